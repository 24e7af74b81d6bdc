import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Rpc } from '@dg/contracts';
import { RpcHandler } from '@dg/platform';
import { MinistryEntity, ProvinceEntity } from '../entities';

/** Reference lists: ministries and provinces, readable by every role. */
@Injectable()
export class ReferenceMessages {
  constructor(private readonly ds: DataSource) {}

  @RpcHandler(Rpc.MinistryList)
  async ministries() {
    const rows = await this.ds.manager.find(MinistryEntity, { order: { id: 'ASC' } });
    return { items: rows.map((m) => ({ id: m.id, nameTh: m.nameTh, nameEn: m.nameEn })) };
  }

  @RpcHandler(Rpc.ProvinceList)
  async provinces() {
    const rows = await this.ds.manager.find(ProvinceEntity, { order: { code: 'ASC' } });
    return { items: rows.map((p) => ({ code: p.code, nameTh: p.nameTh, nameEn: p.nameEn, region: p.region })) };
  }
}
