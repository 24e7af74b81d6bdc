import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { type AgencyUserList, Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, requireRole } from '@dg/platform';
import { UsersRepository } from './users.repository';

/**
 * The gateway owns user accounts; notifications asks it (as the system actor, the only caller
 * NATS and the actor check let through) for the people of an agency to tell: its active
 * coordinators and approvers, with the e-mail they log in with.
 */
@Controller()
export class UsersMessages {
  constructor(private readonly users: UsersRepository) {}

  @MessagePattern(Rpc.AgencyUsers)
  async agencyUsers(
    @Payload() req: RpcRequestParsed<typeof Rpc.AgencyUsers>,
    @Ctx() ctx: CallContext,
  ): Promise<AgencyUserList> {
    requireRole(ctx.actor, 'system');
    const users = await this.users.activeOfAgency(req.agencyId, req.roles);
    return {
      items: users.map((u) => ({
        id: u.id,
        displayName: u.displayName,
        email: u.email,
        roles: u.roles.filter(
          (r): r is 'coordinator' | 'approver' => r === 'coordinator' || r === 'approver',
        ),
      })),
    };
  }
}
