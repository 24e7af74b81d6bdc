import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { AgenciesService } from './agencies.service';
import { AgencyExportService } from './files/agency-export.service';
import { AgencyImportService } from './files/agency-import.service';

/** NATS entry points of the agencies module; requests arrive validated against the contracts. */
@Controller()
export class AgenciesMessages {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly importer: AgencyImportService,
    private readonly exporter: AgencyExportService,
  ) {}

  @MessagePattern(Rpc.AgencyGet)
  get(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyGet>, @Ctx() ctx: CallContext) {
    return this.agencies.get(req.id, ctx);
  }

  @MessagePattern(Rpc.AgencyList)
  list(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyList>, @Ctx() ctx: CallContext) {
    return this.agencies.list(req, ctx);
  }

  @MessagePattern(Rpc.AgencyCreate)
  create(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyCreate>, @Ctx() ctx: CallContext) {
    return this.agencies.create(req, ctx);
  }

  @MessagePattern(Rpc.AgencyUpdate)
  update(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyUpdate>, @Ctx() ctx: CallContext) {
    return this.agencies.update(req.id, req.patch, ctx);
  }

  @MessagePattern(Rpc.AgencyImport)
  import(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyImport>, @Ctx() ctx: CallContext) {
    return this.importer.importFile(req.file, req.dryRun, ctx);
  }

  @MessagePattern(Rpc.AgencyExport)
  export(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyExport>, @Ctx() ctx: CallContext) {
    return this.exporter.export(req.format, ctx);
  }
}
