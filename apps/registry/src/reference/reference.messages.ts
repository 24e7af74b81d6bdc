import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Rpc } from '@dg/contracts';

import { MinistryEntity, ProvinceEntity } from '../entities';

/** Reference lists: ministries and provinces, readable by every role. */
@Controller()
export class ReferenceMessages {
  constructor(private readonly ds: DataSource) {}

  @MessagePattern(Rpc.MinistryList)
  async ministries() {
    const rows = await this.ds.manager.find(MinistryEntity, { order: { id: 'ASC' } });
    return { items: rows.map((m) => ({ id: m.id, nameTh: m.nameTh, nameEn: m.nameEn })) };
  }

  @MessagePattern(Rpc.ProvinceList)
  async provinces() {
    const rows = await this.ds.manager.find(ProvinceEntity, { order: { code: 'ASC' } });
    return {
      items: rows.map((p) => ({ code: p.code, nameTh: p.nameTh, nameEn: p.nameEn, region: p.region })),
    };
  }
}
