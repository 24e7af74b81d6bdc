import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AgencyPatch, Rpc } from '@dg/contracts';
import type { Agency } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, AnyRole, Ctx } from '../auth/access.decorators';
import { ApiIfMatch, ApiUuidParam, etagOf, expectedVersion, ParseIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import {
  AgencyCreateDto,
  AgencyDto,
  AgencyListQueryDto,
  AgencyPageDto,
  AgencyPatchDto,
} from './registry.dto';

/** Agencies of the registry. The registry re-checks scope: a coordinator sees only their own agency. */
@ApiTags('registry')
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get()
  @Allow(AnyRole)
  @ApiOperation({
    summary: 'Search agencies · ค้นหาหน่วยงาน',
    description:
      'Filter by kind, ministryId, province, parentId, status and q (Thai or English text). Coordinators see their own agency only.',
  })
  @ApiOkResponse({ type: AgencyPageDto })
  @ApiProblemsOf(Rpc.AgencyList)
  list(@Query() query: AgencyListQueryDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AgencyList, query, ctx);
  }

  @Get(':id')
  @Allow(AnyRole)
  @ApiOperation({
    summary: 'Get an agency · ดูข้อมูลหน่วยงาน',
    description: 'The ETag header carries the version.',
  })
  @ApiUuidParam()
  @ApiOkResponse({ type: AgencyDto })
  @ApiProblemsOf(Rpc.AgencyGet)
  async get(
    @Param('id', new ParseIdPipe('AGENCY_NOT_FOUND')) id: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Agency> {
    const agency = await this.rpc.call(Rpc.AgencyGet, { id }, ctx);
    void reply.header('etag', etagOf(agency.version));
    return agency;
  }

  @Post()
  @Allow('dga_admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an agency · เพิ่มหน่วยงาน' })
  @ApiCreatedResponse({ type: AgencyDto })
  @ApiProblemsOf(Rpc.AgencyCreate)
  create(@Body() body: AgencyCreateDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AgencyCreate, body, ctx);
  }

  @Patch(':id')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Change an agency · แก้ไขข้อมูลหน่วยงาน',
    description:
      'Send the version last read (body `version` or `If-Match`); a stale one is 409 with `currentVersion`.',
  })
  @ApiUuidParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: AgencyDto })
  @ApiProblemsOf(Rpc.AgencyUpdate)
  async update(
    @Param('id', new ParseIdPipe('AGENCY_NOT_FOUND')) id: string,
    @Body() body: AgencyPatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Agency> {
    const patch = AgencyPatch.parse({ ...body, version: expectedVersion(body.version, ifMatch) });
    const agency = await this.rpc.call(Rpc.AgencyUpdate, { id, patch }, ctx);
    void reply.header('etag', etagOf(agency.version));
    return agency;
  }
}
