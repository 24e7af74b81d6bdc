import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError, FieldError, Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { PasswordHasher } from '../auth/password.service';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { passwordPolicyErrors } from './password-policy';
import { userView } from './user.view';
import {
  agencyRuleErrors,
  UserCreateInput,
  UserListQuery,
  UserPage,
  UserPatchInput,
  UserView,
} from './users.dto';
import { DuplicateEmail, UserChanges, UsersRepository } from './users.repository';

/** DGA admins manage the people who use the platform. Rules here; SQL in the repository. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('UsersService');

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly rpc: ServiceClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  /** The first DGA admin (ADMIN_EMAIL / ADMIN_PASSWORD) is created if absent; an existing account is never touched. */
  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.admin;
    const created = await this.users.insertIfAbsent({
      email,
      passwordHash: await this.passwords.hash(password),
      displayName: 'DGA administrator',
      roles: ['dga_admin'],
      agencyId: null,
    });
    if (created) this.logger.log('created the first DGA admin account from ADMIN_EMAIL');
  }

  async list(query: UserListQuery): Promise<UserPage> {
    const { items, total } = await this.users.list(query);
    return { items: items.map(userView), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return userView(user);
  }

  async create(input: UserCreateInput, ctx: CallContext): Promise<UserView> {
    const agencyId = input.agencyId ?? null;
    this.assertPasswordPolicy(input.password, input.email);
    this.assertAgencyRule(input.roles, agencyId);
    if (agencyId) await this.assertAgencyExists(agencyId, ctx);
    try {
      const user = await this.users.insert({
        email: input.email,
        passwordHash: await this.passwords.hash(input.password),
        displayName: input.displayName,
        roles: input.roles,
        agencyId,
      });
      this.logger.log({ userId: user.id, by: ctx.actor.id, roles: user.roles }, 'user created');
      return userView(user);
    } catch (e) {
      if (e instanceof DuplicateEmail) throw new DomainError('EMAIL_TAKEN');
      throw e;
    }
  }

  async update(
    id: string,
    version: number,
    patch: Omit<UserPatchInput, 'version'>,
    ctx: CallContext,
  ): Promise<UserView> {
    const current = await this.users.findById(id);
    if (!current) throw new DomainError('USER_NOT_FOUND');
    if (current.version !== version) throw this.conflict(current.version);

    if (patch.password !== undefined) this.assertPasswordPolicy(patch.password, current.email);
    const roles = patch.roles ?? current.roles;
    const agencyId = patch.agencyId !== undefined ? patch.agencyId : current.agencyId;
    this.assertAgencyRule(roles, agencyId);
    if (agencyId && agencyId !== current.agencyId) await this.assertAgencyExists(agencyId, ctx);
    if (
      id === ctx.actor.id &&
      (patch.active === false || (patch.roles && !patch.roles.includes('dga_admin')))
    ) {
      throw new DomainError('VALIDATION_FAILED', undefined, [
        {
          path: patch.active === false ? 'active' : 'roles',
          code: 'SELF_LOCKOUT',
          message: 'an admin cannot deactivate themself or drop their own dga_admin role',
          messageTh: 'ผู้ดูแลระบบไม่สามารถปิดบัญชีหรือถอดสิทธิ์ผู้ดูแลของตนเองได้',
        },
      ]);
    }

    const changes: UserChanges = {};
    if (patch.displayName !== undefined) changes.displayName = patch.displayName;
    if (patch.roles !== undefined) changes.roles = patch.roles;
    if (patch.agencyId !== undefined) changes.agencyId = patch.agencyId;
    if (patch.active !== undefined) changes.active = patch.active;
    if (patch.password !== undefined) changes.passwordHash = await this.passwords.hash(patch.password);

    const updated = await this.users.updateIfVersion(id, version, changes);
    if (!updated) {
      const now = await this.users.findById(id);
      if (!now) throw new DomainError('USER_NOT_FOUND');
      throw this.conflict(now.version);
    }
    // The users table's trigger ended the user's sessions if the password, roles or agency
    // changed or the account was deactivated (migration Sessions1796640000000).
    this.logger.log({ userId: id, by: ctx.actor.id, changed: Object.keys(changes) }, 'user updated');
    return userView(updated);
  }

  private conflict(currentVersion: number): DomainError {
    return new DomainError('USER_VERSION_CONFLICT', undefined, undefined, { currentVersion });
  }

  private assertPasswordPolicy(password: string, email: string): void {
    const errors = passwordPolicyErrors(password, email);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', undefined, errors);
  }

  private assertAgencyRule(roles: Parameters<typeof agencyRuleErrors>[0], agencyId: string | null): void {
    const errors = agencyRuleErrors(roles, agencyId);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', undefined, errors);
  }

  /** The agency must exist in the registry; an unknown one is the caller's input error, naming agencyId. */
  private async assertAgencyExists(agencyId: string, ctx: CallContext): Promise<void> {
    try {
      await this.rpc.call(Rpc.AgencyGet, { id: agencyId }, ctx);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'AGENCY_NOT_FOUND') {
        const error: FieldError = {
          path: 'agencyId',
          code: 'UNKNOWN_AGENCY',
          message: 'no agency with this id in the registry',
          messageTh: 'ไม่พบหน่วยงานนี้ในทะเบียนหน่วยงาน',
          value: agencyId,
        };
        throw new DomainError('VALIDATION_FAILED', undefined, [error]);
      }
      throw e;
    }
  }
}
