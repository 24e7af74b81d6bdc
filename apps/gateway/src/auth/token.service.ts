import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import { DomainError, Uuid } from '@dg/contracts';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { AssignableRole } from '../users/users.dto';

export const JWT_ISSUER = 'dg-gateway';
export const JWT_AUDIENCE = 'dg-api';

/**
 * What an access token says. The guard trusts only `sub` and `sid` (the session, which must still
 * be open): roles and agency are re-read from the database.
 */
export const TokenClaims = z.object({
  sub: Uuid,
  sid: Uuid,
  email: z.string(),
  roles: z.array(AssignableRole).min(1),
  agencyId: Uuid.nullable(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.jwt.ttlSeconds;
  }

  sign(claims: TokenClaims): Promise<string> {
    return this.jwt.signAsync(
      { sid: claims.sid, email: claims.email, roles: claims.roles, agencyId: claims.agencyId },
      {
        subject: claims.sub,
        expiresIn: this.config.jwt.ttlSeconds,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      },
    );
  }

  /** Verifies signature, expiry, issuer and audience; any failure is a 401 UNAUTHENTICATED. */
  async verify(token: string): Promise<TokenClaims> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(token, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
    } catch (e) {
      const expired = e instanceof Error && e.name === 'TokenExpiredError';
      throw new DomainError(
        'UNAUTHENTICATED',
        expired ? 'โทเค็นหมดอายุ กรุณาเข้าสู่ระบบใหม่ (token expired)' : 'โทเค็นไม่ถูกต้อง (invalid token)',
      );
    }
    const claims = TokenClaims.safeParse(payload);
    // A token without an expiry would be valid for ever (jsonwebtoken accepts one): refused.
    const expires = (payload as { exp?: unknown } | null)?.exp;
    if (!claims.success || typeof expires !== 'number') throw new DomainError('UNAUTHENTICATED', 'โทเค็นไม่ถูกต้อง (invalid token)');
    return claims.data;
  }
}
