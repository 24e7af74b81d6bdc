import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@dg/contracts';
import { LoginInput } from '../auth/auth.dto';
import type { Authenticator } from '../auth/authenticator';
import type { UserEntity } from '../users/user.entity';

/** What a browser needs to ask for e-mail and password (RFC 7617). */
export const BASIC_CHALLENGE = 'Basic realm="DG queues", charset="UTF-8"';

/** The only role that may change anything on the dashboard: retry, clean and remove jobs of every service. */
export const BOARD_ROLE = 'dga_admin';
/** The survey operators watch the queues (e-mails waiting, scores failing) but change nothing. */
export const BOARD_READ_ROLE = 'operator';
const READ_METHODS = new Set(['GET', 'HEAD']);

/** How long a checked Basic password is trusted before bcrypt runs again. */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 500;

/** 429 with the seconds to wait, for the Retry-After header. */
export class BoardRateLimited extends DomainError {
  constructor(readonly retryAfter: number) {
    super('RATE_LIMITED', `ลองใหม่ได้ในอีก ${retryAfter} วินาที (retry in ${retryAfter} s)`);
  }
}

/**
 * The login throttle for Basic password checks: `admit` counts one check and answers the seconds
 * to wait when it must wait; `succeeded` tells it the password was right.
 */
export interface PasswordCheckLimiter {
  admit(request: FastifyRequest, email: string): Promise<number | null>;
  succeeded(request: FastifyRequest, email: string): Promise<void>;
}

/** `Authorization: Basic base64(email:password)` read as UTF-8; null when it is not Basic. */
export function basicCredentials(header: string | undefined): { email: string; password: string } | null {
  const match = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { email: decoded, password: '' };
  return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Who may use the queue dashboard. Its routes are plain Fastify routes registered by bull-board,
 * which Nest's AccessGuard never sees, so this is their guard: deny by default, `dga_admin` (and
 * `operator`, reading only),
 * with a bearer token (scripts) or HTTP Basic e-mail + password (a browser).
 *
 * A browser repeats its Basic credentials on every asset and on every poll of the board, so a
 * password that passed bcrypt is remembered for a few minutes (by an HMAC of the header under a
 * per-process key, never the password itself), and only real password checks count against the
 * login rate limit. The user is still re-read on every request, so deactivating someone, taking
 * their role away or changing their password applies at once.
 */
export class BoardAccess {
  private readonly verified = new Map<string, { userId: string; passwordHash: string; until: number }>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly authenticator: Authenticator,
    private readonly limit: PasswordCheckLimiter,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who is behind the request's Authorization header (bearer or Basic); 401, 429 or 503 otherwise. */
  async identify(request: FastifyRequest): Promise<UserEntity> {
    const header = request.headers.authorization;
    const basic = basicCredentials(header);
    return basic ? this.basic(request, header as string, basic) : this.authenticator.bearer(header);
  }

  /** A DGA admin may do anything; an operator may only read (GET, HEAD); anyone else gets 403. */
  requireAccess(user: UserEntity, method: string): void {
    if (user.roles.includes(BOARD_ROLE)) return;
    if (user.roles.includes(BOARD_READ_ROLE)) {
      if (READ_METHODS.has(method)) return;
      throw new DomainError(
        'FORBIDDEN',
        'ผู้ดูแลการสำรวจดูคิวงานได้อย่างเดียว แก้ไขไม่ได้ (queue dashboard: read-only for operators)',
      );
    }
    throw new DomainError(
      'FORBIDDEN',
      'แดชบอร์ดคิวงานใช้ได้เฉพาะผู้ดูแลระบบ สพร. และผู้ดูแลการสำรวจ (queue dashboard: dga_admin, operator read-only)',
    );
  }

  private async basic(
    request: FastifyRequest,
    header: string,
    credentials: { email: string; password: string },
  ): Promise<UserEntity> {
    const key = createHmac('sha256', this.key).update(header).digest('base64');
    const known = this.verified.get(key);
    if (known && known.until > this.now()) {
      const user = await this.authenticator.activeUser(known.userId).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') return null;
        throw e;
      });
      if (user && user.passwordHash === known.passwordHash) return user;
    }
    this.verified.delete(key);

    const retryAfter = await this.limit.admit(request, credentials.email);
    if (retryAfter !== null) throw new BoardRateLimited(retryAfter);
    const input = LoginInput.safeParse(credentials);
    if (!input.success) throw new DomainError('INVALID_CREDENTIALS');
    const user = await this.authenticator.credentials(input.data.email, input.data.password);
    await this.limit.succeeded(request, input.data.email);

    if (this.verified.size >= VERIFIED_MAX) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(key, {
      userId: user.id,
      passwordHash: user.passwordHash,
      until: this.now() + VERIFIED_TTL_MS,
    });
    return user;
  }
}
