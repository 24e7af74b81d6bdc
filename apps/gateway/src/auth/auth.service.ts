import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, FieldError } from '@dg/contracts';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { passwordPolicyErrors } from '../users/password-policy';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import type { LoginInput, LoginResult, Me, PasswordChangeInput } from './auth.dto';
import { Authenticator } from './authenticator';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password.service';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

export function meOf(u: UserEntity): Me {
  return { id: u.id, email: u.email, displayName: u.displayName, roles: u.roles, agencyId: u.agencyId };
}

/** Refresh tokens are 256 random bits; only their SHA-256 is stored, so a database copy cannot be replayed. */
const newRefreshToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

const sessionEnded = () =>
  new DomainError('UNAUTHENTICATED', 'เซสชันสิ้นสุดแล้ว กรุณาเข้าสู่ระบบใหม่ (session ended: log in again)');

/** Login, refresh, logout and one's own password: the sessions of ADR 0016. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('AuthService');

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly authenticator: Authenticator,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  /**
   * Throttled per client address and e-mail first (429), then unknown e-mail, wrong password and
   * inactive account all get 401 INVALID_CREDENTIALS (see Authenticator). Opens a session.
   */
  async login({ email, password }: LoginInput, clientAddress: string): Promise<LoginResult> {
    await this.throttle.admit(clientAddress, email);
    const user = await this.authenticator.credentials(email, password);
    await this.throttle.succeeded(clientAddress, email);
    await this.users.recordLogin(user.id);
    return this.openSession(user, clientAddress);
  }

  /**
   * A refresh token → a new access token and a new refresh token (the presented one is spent).
   * A spent one presented again ends its whole session: whoever holds either copy must log in.
   */
  async refresh(refreshToken: string | undefined): Promise<LoginResult> {
    if (!refreshToken) throw new DomainError('UNAUTHENTICATED', 'ไม่พบ refresh token (no refresh token)');
    const next = newRefreshToken();
    const rotation = await this.sessions.rotate(
      hashOf(refreshToken),
      hashOf(next),
      this.config.jwt.sessionIdleSeconds * 1000,
    );
    switch (rotation.kind) {
      case 'unknown':
        throw new DomainError('UNAUTHENTICATED', 'refresh token ไม่ถูกต้อง (invalid refresh token)');
      case 'ended':
        throw sessionEnded();
      case 'reused':
        this.logger.warn(
          { audit: 'refresh_reuse', userId: rotation.session.userId, sessionId: rotation.session.id },
          'a spent refresh token was presented again: the session is ended',
        );
        throw sessionEnded();
      case 'rotated':
        return this.result(rotation.user, rotation.session.id, next, rotation.session.expiresAt);
    }
  }

  /** Ends the session: its access tokens stop at once, its refresh token is refused. */
  async logout(userId: string, sessionId: string): Promise<void> {
    if (await this.sessions.end(sessionId, 'logout')) {
      this.logger.log({ audit: 'logout', userId, sessionId }, 'session ended by logout');
    }
  }

  /**
   * Changes one's own password: the current one is required (checked under the login throttle, so
   * a stolen access token cannot be used to guess it), the new one meets the policy. Every
   * session of the user ends, this one included; a new session is answered for this client.
   */
  async changePassword(
    account: UserEntity,
    input: PasswordChangeInput,
    clientAddress: string,
  ): Promise<LoginResult> {
    await this.throttle.admit(clientAddress, account.email);
    const errors: FieldError[] = [];
    if (!(await this.passwords.verify(input.currentPassword, account.passwordHash))) {
      errors.push({
        path: 'currentPassword',
        code: 'INCORRECT',
        message: 'the current password is not correct',
        messageTh: 'รหัสผ่านปัจจุบันไม่ถูกต้อง',
      });
    } else {
      errors.push(...passwordPolicyErrors(input.newPassword, account.email, 'newPassword'));
      if (input.newPassword === input.currentPassword) {
        errors.push({
          path: 'newPassword',
          code: 'SAME_AS_CURRENT',
          message: 'the new password must differ from the current one',
          messageTh: 'รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน',
        });
      }
    }
    if (errors.length) throw new DomainError('VALIDATION_FAILED', undefined, errors);
    await this.throttle.succeeded(clientAddress, account.email);

    // The users table's trigger ends every session of the user when the hash changes.
    const updated = await this.users.setPassword(account.id, await this.passwords.hash(input.newPassword));
    if (!updated) throw sessionEnded();
    this.logger.log(
      { audit: 'password_changed', userId: account.id },
      'own password changed; sessions ended',
    );
    return this.openSession(updated, clientAddress);
  }

  private async openSession(user: UserEntity, clientAddress: string): Promise<LoginResult> {
    const refreshToken = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.jwt.sessionTtlSeconds * 1000);
    const session = await this.sessions.open(user.id, expiresAt, clientAddress, hashOf(refreshToken));
    return this.result(user, session.id, refreshToken, expiresAt);
  }

  private async result(
    user: UserEntity,
    sessionId: string,
    refreshToken: string,
    sessionExpiresAt: Date,
  ): Promise<LoginResult> {
    const accessToken = await this.tokens.sign({
      sub: user.id,
      sid: sessionId,
      email: user.email,
      roles: user.roles,
      agencyId: user.agencyId,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      refreshToken,
      refreshExpiresIn: Math.max(0, Math.floor((sessionExpiresAt.getTime() - Date.now()) / 1000)),
      user: meOf(user),
    };
  }
}
