import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';
import { UserEntity } from './user.entity';
import type { AssignableRole } from './users.dto';

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  roles: AssignableRole[];
  agencyId: string | null;
}

export type UserChanges = Partial<
  Pick<UserEntity, 'displayName' | 'roles' | 'agencyId' | 'active' | 'passwordHash'>
>;

export interface UserFilter {
  role?: AssignableRole;
  agencyId?: string;
  active?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

/** Raised by {@link UsersRepository.insert} when the e-mail is already taken (case-insensitively). */
export class DuplicateEmail extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The only code that touches the `users` table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Display names by user id; ids that are not a user's (the system actor, a test's) are left out. */
  async displayNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const uuids = [...new Set(ids)].filter((id) => UUID.test(id));
    if (!uuids.length) return new Map();
    const rows = await this.repo.find({ where: { id: In(uuids) }, select: { id: true, displayName: true } });
    return new Map(rows.map((u) => [u.id, u.displayName]));
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async insert(user: NewUser): Promise<UserEntity> {
    try {
      const rows = await this.repo
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ ...user, email: user.email.toLowerCase() })
        .returning('*')
        .execute();
      return this.repo.create(this.fromRaw(rows.raw as Record<string, unknown>[]));
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_unique')) throw new DuplicateEmail(user.email);
      throw e;
    }
  }

  /** Creates the user unless the e-mail exists; never touches an existing row. True when created. */
  async insertIfAbsent(user: NewUser): Promise<boolean> {
    const result: unknown[] = await this.repo.query(
      `INSERT INTO users (email, password_hash, display_name, roles, agency_id)
       VALUES (lower($1), $2, $3, $4::text[], $5)
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING id`,
      [user.email, user.passwordHash, user.displayName, user.roles, user.agencyId],
    );
    return result.length > 0;
  }

  /**
   * Applies the changes only if the row still has `expectedVersion`, bumping the version.
   * Returns the updated user, or null when the row is missing or was changed meanwhile.
   */
  async updateIfVersion(
    id: string,
    expectedVersion: number,
    changes: UserChanges,
  ): Promise<UserEntity | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .returning('*')
      .execute();
    const rows = result.raw as Record<string, unknown>[];
    return rows.length ? this.repo.create(this.fromRaw(rows)) : null;
  }

  /** Sets a new password hash (an edit: the version moves). Null when the user is gone. */
  async setPassword(id: string, passwordHash: string): Promise<UserEntity | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update(UserEntity)
      .set({ passwordHash, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning('*')
      .execute();
    const rows = result.raw as Record<string, unknown>[];
    return rows.length ? this.repo.create(this.fromRaw(rows)) : null;
  }

  async recordLogin(id: string): Promise<void> {
    // Raw on purpose: a login is not an edit, so neither updated_at nor version moves.
    await this.repo.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [id]);
  }

  /** An agency's active accounts holding any of `roles` (the people notifications tells). */
  activeOfAgency(agencyId: string, roles: readonly string[]): Promise<UserEntity[]> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.agency_id = :agencyId AND u.active AND u.roles && :roles::text[]', { agencyId, roles })
      .orderBy('u.email', 'ASC')
      .getMany();
  }

  async list(filter: UserFilter): Promise<{ items: UserEntity[]; total: number }> {
    const qb = this.repo.createQueryBuilder('u');
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.agencyId) qb.andWhere('u.agency_id = :agencyId', { agencyId: filter.agencyId });
    if (filter.active !== undefined) qb.andWhere('u.active = :active', { active: filter.active });
    if (filter.q) {
      qb.andWhere(`(u.email ILIKE :q ESCAPE '\\' OR u.display_name ILIKE :q ESCAPE '\\')`, {
        q: `%${escapeLike(filter.q)}%`,
      });
    }
    const [items, total] = await qb
      .orderBy('u.email', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** Maps a RETURNING row (column names) to entity properties. */
  private fromRaw(rows: Record<string, unknown>[]): Partial<UserEntity> {
    const r = rows[0];
    return {
      id: r.id as string,
      email: r.email as string,
      passwordHash: r.password_hash as string,
      displayName: r.display_name as string,
      roles: r.roles as AssignableRole[],
      agencyId: (r.agency_id as string | null) ?? null,
      active: r.active as boolean,
      version: r.version as number,
      createdAt: r.created_at as Date,
      updatedAt: r.updated_at as Date,
      lastLoginAt: (r.last_login_at as Date | null) ?? null,
    };
  }
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  const driver =
    e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
  return driver?.code === '23505' && driver.constraint === constraint;
}
