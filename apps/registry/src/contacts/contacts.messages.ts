import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { ContactsService } from './contacts.service';

@Controller()
export class ContactsMessages {
  constructor(private readonly contacts: ContactsService) {}

  @MessagePattern(Rpc.ContactList)
  list(@Payload() req: RpcRequestParsed<typeof Rpc.ContactList>, @Ctx() ctx: CallContext) {
    return this.contacts.list(req.agencyId, ctx);
  }

  @MessagePattern(Rpc.ContactCreate)
  create(@Payload() req: RpcRequestParsed<typeof Rpc.ContactCreate>, @Ctx() ctx: CallContext) {
    return this.contacts.create(req.agencyId, req.contact, ctx);
  }

  @MessagePattern(Rpc.ContactOwner)
  owner(@Payload() req: RpcRequestParsed<typeof Rpc.ContactOwner>, @Ctx() ctx: CallContext) {
    return this.contacts.owner(req.id, ctx);
  }

  @MessagePattern(Rpc.ContactErase)
  erase(@Payload() req: RpcRequestParsed<typeof Rpc.ContactErase>, @Ctx() ctx: CallContext) {
    return this.contacts.erase(req.id, ctx);
  }
}
