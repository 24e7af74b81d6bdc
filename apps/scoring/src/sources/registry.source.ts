import { Injectable, Logger } from '@nestjs/common';
import { Rpc } from '@dg/contracts';
import { type CallContext, ServiceClient, systemContext } from '@dg/platform';

type Names = Map<string, { th: string; en: string }>;
const NAMES_TTL_MS = 10 * 60 * 1000;

/** What scoring asks the registry: an agency's ministry and province, and the names of both lists. */
@Injectable()
export class RegistrySource {
  private readonly logger = new Logger(RegistrySource.name);
  private names?: { at: number; ministries: Names; provinces: Names };

  constructor(private readonly rpc: ServiceClient) {}

  agency(id: string, ctx: CallContext) {
    return this.rpc.call(Rpc.AgencyGet, { id }, systemContext(ctx));
  }

  /** Names for the statistics; without the registry the slices keep their codes and no names. */
  async referenceNames(ctx: CallContext): Promise<{ ministries: Names; provinces: Names }> {
    if (this.names && Date.now() - this.names.at < NAMES_TTL_MS) return this.names;
    try {
      const [ministries, provinces] = await Promise.all([
        this.rpc.call(Rpc.MinistryList, {}, systemContext(ctx), 5_000),
        this.rpc.call(Rpc.ProvinceList, {}, systemContext(ctx), 5_000),
      ]);
      this.names = {
        at: Date.now(),
        ministries: new Map(ministries.items.map((m) => [m.id, { th: m.nameTh, en: m.nameEn }])),
        provinces: new Map(provinces.items.map((p) => [p.code, { th: p.nameTh, en: p.nameEn }])),
      };
      return this.names;
    } catch (e) {
      this.logger.warn(`registry names unavailable, statistics keep codes only: ${String(e)}`);
      return { ministries: new Map(), provinces: new Map() };
    }
  }
}
