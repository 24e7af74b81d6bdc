import { Injectable } from '@nestjs/common';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import type { LoginInput, LoginResult, Me } from './auth.dto';
import { Authenticator } from './authenticator';
import { TokenService } from './token.service';

export function meOf(u: UserEntity): Me {
  return { id: u.id, email: u.email, displayName: u.displayName, roles: u.roles, agencyId: u.agencyId };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly authenticator: Authenticator,
    private readonly tokens: TokenService,
  ) {}

  /** Unknown e-mail, wrong password and inactive account all get 401 INVALID_CREDENTIALS (see Authenticator). */
  async login({ email, password }: LoginInput): Promise<LoginResult> {
    const user = await this.authenticator.credentials(email, password);
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
