import { Injectable, Logger } from '@nestjs/common';
import { Actor, DomainError } from '@dg/contracts';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password.service';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

/** What the services are told about the caller; roles and agency come from the row, not the token. */
export function actorOf(user: UserEntity): Actor {
  return { id: user.id, email: user.email, roles: user.roles, agencyId: user.agencyId };
}

/**
 * The two ways to prove who one is, shared by the access guard, the login route and the queue
 * dashboard (whose routes are plain Fastify routes, outside the guard).
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Authenticator');

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsRepository,
  ) {}

  /** `Authorization: Bearer <jwt>` → the user (see {@link bearerSession}). */
  async bearer(header: string | undefined): Promise<UserEntity> {
    return (await this.bearerSession(header)).user;
  }

  /**
   * `Authorization: Bearer <jwt>` → the user and the session the token belongs to, re-read from
   * the database on every request: a logout, a deactivation or a change of password or roles
   * (which end the user's sessions) applies at once, before the token expires. 401
   * UNAUTHENTICATED when absent, invalid, of an ended session or of an inactive user.
   */
  async bearerSession(header: string | undefined): Promise<{ user: UserEntity; sessionId: string }> {
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED');
    const claims = await this.tokens.verify(match[1]);
    const user = await this.sessions.activeUserInSession(claims.sub, claims.sid).catch((e: unknown) => {
      // The token was proven already; the database is what failed: a 503 to retry, not a 500.
      this.logger.error({ err: e }, 'could not read the session of a valid token');
      throw new DomainError('SERVICE_UNAVAILABLE');
    });
    if (!user) {
      throw new DomainError('UNAUTHENTICATED', 'เซสชันสิ้นสุดแล้ว กรุณาเข้าสู่ระบบใหม่ (session ended: log in again)');
    }
    return { user, sessionId: claims.sid };
  }

  /** The active user with this id; 401 when gone or inactive, 503 when the database fails. */
  async activeUser(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id).catch((e: unknown) => {
      // The caller was proven already; the database is what failed: a 503 to retry, not a 500.
      this.logger.error({ err: e }, 'could not read the user of a valid token');
      throw new DomainError('SERVICE_UNAVAILABLE');
    });
    if (!user || !user.active) {
      throw new DomainError('UNAUTHENTICATED', 'บัญชีนี้ถูกปิดใช้งานหรือไม่มีอยู่ (account inactive or removed)');
    }
    return user;
  }

  /**
   * E-mail + password → the active user. Unknown e-mail, wrong password and inactive account get
   * the same 401 INVALID_CREDENTIALS after the same amount of bcrypt work, so the answer does not
   * tell which e-mails exist.
   */
  async credentials(email: string, password: string): Promise<UserEntity> {
    const user = await this.users.findByEmail(email);
    const matches = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !matches || !user.active) {
      this.logger.warn(
        { userId: user?.id ?? null, reason: !user ? 'unknown' : !matches ? 'password' : 'inactive' },
        'login refused',
      );
      throw new DomainError('INVALID_CREDENTIALS');
    }
    return user;
  }
}
