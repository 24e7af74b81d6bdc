import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ParseCycleIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { CohortPageDto, CohortPutDto, CohortSummaryDto, PageQueryDto } from './registry.dto';

/** The agencies of a survey cycle and their reporting group. Cohorts belong to a cycle, not to the registry. */
@ApiTags('cycles')
@Controller('cycles')
export class CohortsController {
  constructor(private readonly rpc: ServiceClient) {}

  @Put(':id/cohort')
  @Allow('dga_admin')
  @ApiOperation({
    summary: "Replace a cycle's cohort · กำหนดหน่วยงานเป้าหมายของรอบการสำรวจ",
    description:
      'Members by agency code, with an optional group (default from the agency kind); announcedCount is kept beside the final count.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: CohortSummaryDto })
  @ApiProblemsOf(Rpc.CohortPut)
  put(@Param('id', ParseCycleIdPipe) cycleId: string, @Body() cohort: CohortPutDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.CohortPut, { cycleId, cohort }, ctx);
  }

  @Get(':id/cohort')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({ summary: "A cycle's cohort with counts by group · หน่วยงานเป้าหมายของรอบการสำรวจ" })
  @ApiCycleParam()
  @ApiOkResponse({ type: CohortPageDto })
  @ApiProblemsOf(Rpc.CohortGet)
  get(@Param('id', ParseCycleIdPipe) cycleId: string, @Query() page: PageQueryDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.CohortGet, { cycleId, page: page.page, pageSize: page.pageSize }, ctx);
  }
}
