import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { RefreshTokenEntity, SessionEndReason, SessionEntity } from './session.entity';

/** How long an ended or expired session (and its spent refresh tokens) is kept: reuse of an old token is still recognised. */
export const SESSION_RETENTION_DAYS = 30;

/** What presenting a refresh token came to; decided by {@link refreshVerdict}. */
export type Rotation =
  | { kind: 'unknown' }
  | { kind: 'ended'; session: SessionEntity }
  | { kind: 'reused'; session: SessionEntity }
  | { kind: 'rotated'; session: SessionEntity; user: UserEntity };

/**
 * A refresh token that was already replaced is a reuse (a copy in someone else's hands, or a
 * replayed one): the whole session ends. Otherwise it renews an open, unexpired session of an
 * active user, and nothing else.
 */
export function refreshVerdict(
  token: Pick<RefreshTokenEntity, 'replacedAt'>,
  session: Pick<SessionEntity, 'endedAt' | 'expiresAt' | 'createdAt' | 'lastRefreshedAt'>,
  user: Pick<UserEntity, 'active'> | null,
  now: Date,
  idleMs: number,
): 'reused' | 'ended' | 'idle' | 'rotate' {
  if (token.replacedAt) return 'reused';
  if (session.endedAt || session.expiresAt <= now || !user?.active) return 'ended';
  // A portal left open refreshes every few minutes; no refresh for this long is an abandoned screen.
  if (now.getTime() - (session.lastRefreshedAt ?? session.createdAt).getTime() > idleMs) return 'idle';
  return 'rotate';
}

/** The only code that touches `sessions` and `refresh_tokens`. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  /**
   * A new session of `userId` with its first refresh token; answers the session. The user's
   * sessions that ended or expired more than SESSION_RETENTION_DAYS ago go at the same time (their
   * refresh tokens with them), so the tables hold what a reuse check or an investigation needs and
   * no more, without a sweeper of their own.
   */
  open(userId: string, expiresAt: Date, clientAddress: string, tokenHash: Buffer): Promise<SessionEntity> {
    return this.db.transaction(async (m) => {
      await m.query(
        `DELETE FROM sessions WHERE user_id = $1
           AND coalesce(ended_at, expires_at) < now() - make_interval(days => $2)`,
        [userId, SESSION_RETENTION_DAYS],
      );
      const session = await m.getRepository(SessionEntity).save({ userId, expiresAt, clientAddress });
      await m.getRepository(RefreshTokenEntity).insert({ tokenHash, sessionId: session.id });
      return session;
    });
  }

  /**
   * The user of an access token, if its session is still open and unexpired and the user active:
   * one indexed join per request, in place of the plain user read the guard did before sessions.
   */
  activeUserInSession(userId: string, sessionId: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .innerJoin(SessionEntity, 's', 's.user_id = u.id')
      .where('u.id = :userId AND s.id = :sessionId AND u.active', { userId, sessionId })
      .andWhere('s.ended_at IS NULL AND s.expires_at > now()')
      .getOne();
  }

  /**
   * Replaces the refresh token `presented` by `next`, in one transaction holding the token's row,
   * so two refreshes with one token are told apart: the second is a reuse and ends the session.
   */
  rotate(presented: Buffer, next: Buffer, idleMs: number, now = new Date()): Promise<Rotation> {
    return this.db.transaction(async (m) => {
      const token = await m
        .getRepository(RefreshTokenEntity)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.token_hash = :presented', { presented })
        .getOne();
      if (!token) return { kind: 'unknown' };
      const session = await m.getRepository(SessionEntity).findOneByOrFail({ id: token.sessionId });
      const user = await m.getRepository(UserEntity).findOneBy({ id: session.userId });
      switch (refreshVerdict(token, session, user, now, idleMs)) {
        case 'reused':
          if (!session.endedAt) {
            await m
              .getRepository(SessionEntity)
              .update({ id: session.id, endedAt: IsNull() }, { endedAt: now, endReason: 'refresh_reuse' });
          }
          return { kind: 'reused', session };
        case 'ended':
          return { kind: 'ended', session };
        case 'idle':
          await m
            .getRepository(SessionEntity)
            .update({ id: session.id, endedAt: IsNull() }, { endedAt: now, endReason: 'idle' });
          return { kind: 'ended', session };
        case 'rotate':
          await m.getRepository(RefreshTokenEntity).update({ tokenHash: presented }, { replacedAt: now });
          await m.getRepository(RefreshTokenEntity).insert({ tokenHash: next, sessionId: session.id });
          await m.getRepository(SessionEntity).update({ id: session.id }, { lastRefreshedAt: now });
          return { kind: 'rotated', session, user: user as UserEntity };
      }
    });
  }

  /** Ends a session if it is open; true when this call ended it. */
  async end(sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const result = await this.sessions.update(
      { id: sessionId, endedAt: IsNull() },
      { endedAt: () => 'now()', endReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }
}
