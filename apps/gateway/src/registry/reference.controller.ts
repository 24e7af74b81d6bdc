import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, AnyRole, Ctx } from '../auth/access.decorators';
import { ApiProblemsOf } from '../openapi';
import { MinistryListDto, ProvinceListDto } from './registry.dto';

@ApiTags('registry')
@Allow(AnyRole)
@Controller()
export class ReferenceController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get('ministries')
  @ApiProblemsOf(Rpc.MinistryList)
  @ApiOperation({ summary: 'Ministries (Thai and English names) · รายชื่อกระทรวง' })
  @ApiOkResponse({ type: MinistryListDto })
  ministries(@Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.MinistryList, {}, ctx);
  }

  @Get('provinces')
  @ApiProblemsOf(Rpc.ProvinceList)
  @ApiOperation({ summary: 'Provinces with ISO 3166-2:TH codes · รายชื่อจังหวัดและรหัส ISO 3166-2:TH' })
  @ApiOkResponse({ type: ProvinceListDto })
  provinces(@Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ProvinceList, {}, ctx);
  }
}
