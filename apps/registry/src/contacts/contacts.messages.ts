import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { ContactsService } from './contacts.service';

@Injectable()
export class ContactsMessages {
  constructor(private readonly contacts: ContactsService) {}

  @RpcHandler(Rpc.ContactList)
  list(req: RpcRequestParsed<typeof Rpc.ContactList>, ctx: CallContext) {
    return this.contacts.list(req.agencyId, ctx);
  }

  @RpcHandler(Rpc.ContactCreate)
  create(req: RpcRequestParsed<typeof Rpc.ContactCreate>, ctx: CallContext) {
    return this.contacts.create(req.agencyId, req.contact, ctx);
  }

  @RpcHandler(Rpc.ContactErase)
  erase(req: RpcRequestParsed<typeof Rpc.ContactErase>, ctx: CallContext) {
    return this.contacts.erase(req.id, ctx);
  }
}
