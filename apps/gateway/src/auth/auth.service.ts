import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@dg/contracts';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import type { LoginInput, LoginResult, Me } from './auth.dto';
import { PasswordHasher } from './password.service';
import { TokenService } from './token.service';

export function meOf(u: UserEntity): Me {
  return { id: u.id, email: u.email, displayName: u.displayName, roles: u.roles, agencyId: u.agencyId };
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('AuthService');

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  /**
   * Unknown e-mail, wrong password and inactive account get the same answer after the same
   * amount of bcrypt work, so the answer does not tell which e-mails exist.
   */
  async login({ email, password }: LoginInput): Promise<LoginResult> {
    const user = await this.users.findByEmail(email);
    const matches = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !matches || !user.active) {
      this.logger.warn(
        { userId: user?.id ?? null, reason: !user ? 'unknown' : !matches ? 'password' : 'inactive' },
        'login refused',
      );
      throw new DomainError('INVALID_CREDENTIALS');
    }
    await this.users.recordLogin(user.id);
    const accessToken = await this.tokens.sign({
      sub: user.id,
      email: user.email,
      roles: user.roles,
      agencyId: user.agencyId,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds, user: meOf(user) };
  }
}
