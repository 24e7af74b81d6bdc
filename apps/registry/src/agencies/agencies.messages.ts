import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { AgenciesService } from './agencies.service';
import { AgencyExportService } from './files/agency-export.service';
import { AgencyImportService } from './files/agency-import.service';

/** NATS entry points of the agencies module; requests arrive validated against the contracts. */
@Injectable()
export class AgenciesMessages {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly importer: AgencyImportService,
    private readonly exporter: AgencyExportService,
  ) {}

  @RpcHandler(Rpc.AgencyGet)
  get(req: RpcRequestParsed<typeof Rpc.AgencyGet>, ctx: CallContext) {
    return this.agencies.get(req.id, ctx);
  }

  @RpcHandler(Rpc.AgencyList)
  list(req: RpcRequestParsed<typeof Rpc.AgencyList>, ctx: CallContext) {
    return this.agencies.list(req, ctx);
  }

  @RpcHandler(Rpc.AgencyCreate)
  create(req: RpcRequestParsed<typeof Rpc.AgencyCreate>, ctx: CallContext) {
    return this.agencies.create(req, ctx);
  }

  @RpcHandler(Rpc.AgencyUpdate)
  update(req: RpcRequestParsed<typeof Rpc.AgencyUpdate>, ctx: CallContext) {
    return this.agencies.update(req.id, req.patch, ctx);
  }

  @RpcHandler(Rpc.AgencyImport)
  import(req: RpcRequestParsed<typeof Rpc.AgencyImport>, ctx: CallContext) {
    return this.importer.importFile(req.file, req.dryRun, ctx);
  }

  @RpcHandler(Rpc.AgencyExport)
  export(req: RpcRequestParsed<typeof Rpc.AgencyExport>, ctx: CallContext) {
    return this.exporter.export(req.format, ctx);
  }
}
