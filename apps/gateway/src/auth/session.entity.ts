import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Why a session ended: the user logged out, a refresh token was used twice, the account changed,
 * or nobody refreshed it for SESSION_IDLE.
 */
export type SessionEndReason = 'logout' | 'refresh_reuse' | 'account_changed' | 'idle';

/** One login. Access tokens carry its id (`sid`) and stop working when it ends. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** SESSION_TTL after login: refresh tokens are refused after it, whatever their use. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'last_refreshed_at', type: 'timestamptz', nullable: true })
  lastRefreshedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: SessionEndReason | null;

  /** The client address at login, for the audit of a reuse. */
  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress: string | null;
}

/** A refresh token of a session, by its SHA-256 hash; `replacedAt` is set when it is used. */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'replaced_at', type: 'timestamptz', nullable: true })
  replacedAt: Date | null;
}
