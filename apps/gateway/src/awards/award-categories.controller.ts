import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { Category, CategoryState } from '@dg/contracts';
import { RpcClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import {
  ApiCycleParam,
  ApiIfMatch,
  ApiUuidParam,
  expectedVersion,
  ParseCycleIdPipe,
  ParseIdPipe,
  withEtag,
} from '../http/params';
import { ApiProblems } from '../openapi';
import {
  CategoryDto,
  CategoryInputDto,
  CategoryListDto,
  CategoryPatchDto,
  CategoryStateDto,
  decisionOf,
  DecisionDto,
  NominationDto,
  NominationInputDto,
} from './awards.dto';

/**
 * Award categories (owned by the awards service): what each award ranks by, who is eligible, how
 * many win, and its committee; and the committee's decisions on a category. Versioned like cycles:
 * a category answers with `ETag: "<version>"` and a change takes the version last read. The
 * gateway checks the route's roles and passes the actor on; the awards service re-checks them, and
 * on decisions checks membership, the chair, conflicts of interest and segregation of duties.
 */
@ApiTags('awards')
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller()
export class AwardCategoriesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('cycles/:id/award-categories')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'Award categories of a cycle · ประเภทรางวัลของรอบการสำรวจ',
    description:
      'Every category with its eligibility, metric, tie-breaks, number of winners, committee, `status` and `version`.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: CategoryListDto })
  @ApiProblems('CYCLE_NOT_FOUND')
  list(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AwardCategoryList, { cycleId }, ctx);
  }

  @Post('cycles/:id/award-categories')
  @Allow('dga_admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an award category · สร้างประเภทรางวัล',
    description:
      '`key` (unique in the cycle), Thai and English `name`, the agency `group` and `kinds` it is open to, the ' +
      '`metric` it ranks by (`overall`, `pillar` with `pillar`, `improvement`, `committee`), `winners`, ' +
      '`eligibility`, `tieBreaks` (tried in order; a tie that survives them all is shared) and the `committee` ' +
      'with its `quorum`. Rules that do not hold together (e.g. metric `pillar` without a pillar, a quorum larger ' +
      'than the committee) are 422 AWARD_CATEGORY_INVALID, every problem in `errors[]`. The ETag header carries ' +
      'the version.',
  })
  @ApiCycleParam()
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND', 'AWARD_CATEGORY_INVALID', 'AWARDS_ANNOUNCED')
  async create(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() category: CategoryInputDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Category> {
    return withEtag(reply, await this.rpc.call(Rpc.AwardCategoryCreate, { cycleId, category }, ctx));
  }

  @Patch('award-categories/:id')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Change an award category · แก้ไขประเภทรางวัล',
    description:
      'Any field but `key`; a field left out stays as it is. Send the version last read (body `version` or ' +
      '`If-Match`); a stale one is 409 AWARD_CATEGORY_VERSION_CONFLICT with `currentVersion`. 422 ' +
      'AWARD_CATEGORY_INVALID with `errors[]` as on create; once the awards are announced nothing changes (409 ' +
      'AWARDS_ANNOUNCED). The ETag header carries the new version.',
  })
  @ApiUuidParam('id', 'award category id')
  @ApiIfMatch()
  @ApiOkResponse({ type: CategoryDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'AWARD_CATEGORY_NOT_FOUND',
    'AWARD_CATEGORY_INVALID',
    'AWARD_CATEGORY_VERSION_CONFLICT',
    'AWARD_STATE',
    'AWARDS_ANNOUNCED',
  )
  async update(
    @Param('id', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) id: string,
    @Body() body: CategoryPatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Category> {
    // Not re-parsed with the contract's CategoryPatch: that would add the defaults of the fields
    // left out (see CategoryPatchBody).
    const patch = { ...body, version: expectedVersion(body.version, ifMatch) };
    return withEtag(reply, await this.rpc.call(Rpc.AwardCategoryUpdate, { id, patch }, ctx));
  }

  @Post('award-categories/:id/decisions')
  @Allow('committee', 'dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a committee decision on a category · บันทึกการพิจารณาของคณะกรรมการรางวัล',
    description: [
      'One decision by the caller, a member of the category’s committee, chosen by `type`:',
      '',
      '- `conflict`: the member declares a conflict of interest with a candidate (`agencyId`, `reason`); they no ' +
        'longer judge that agency.',
      '- `vote`: the member’s scores, 0-100, per candidate (`scores[]` of `agencyId`, `score`).',
      '- `confirm`: the chair confirms the ranked list as the winners; needs the `quorum` of members to have ' +
        'voted.',
      '- `override`: the chair names the `winners` (agency ids) instead, with a `reason` of at least 10 ' +
        'characters (shorter or missing is 400 VALIDATION_FAILED).',
      '',
      'Decisions are append-only and audited: a new one is added, none is changed or removed. A member’s own ' +
        'agency, and the agencies of its ministry, are excluded from their judgement automatically; scoring such ' +
        'an agency, or one they declared a conflict with, is 409 AWARD_CONFLICT_OF_INTEREST. Someone outside the ' +
        'committee (or not its chair, for `confirm` and `override`) is 403 AWARD_NOT_A_MEMBER; the awards service ' +
        'also enforces segregation of duties with the caller (403). Answers with the category’s state: ' +
        'candidates, decisions, conflicts and winners.',
    ].join('\n'),
  })
  @ApiUuidParam('id', 'award category id')
  @ApiBody({ type: DecisionDto })
  @ApiOkResponse({ type: CategoryStateDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'AWARD_CATEGORY_NOT_FOUND',
    'AWARD_NOT_A_MEMBER',
    'AWARD_CONFLICT_OF_INTEREST',
    'AWARD_STATE',
    'AWARDS_ANNOUNCED',
  )
  decide(
    @Param('id', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) categoryId: string,
    @Body() body: DecisionDto,
    @Ctx() ctx: CallContext,
  ): Promise<CategoryState> {
    return this.rpc.call(Rpc.AwardDecisionAdd, { categoryId, decision: decisionOf(body) }, ctx);
  }

  @Post('award-categories/:id/nominations')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Nominate an agency for a nominated category · เสนอชื่อหน่วยงานเข้าชิงรางวัล',
    description:
      'For categories with `nominated: true` (e.g. outstanding digital leader): the agency, the nominee (name, ' +
      'position), a statement of at least 20 characters and links to evidence. Coordinators and approvers ' +
      'nominate their own agency only (403 otherwise); one nomination per agency and category (409 AWARD_STATE ' +
      'for a second one, or once the category is decided). Only nominated agencies become candidates.',
  })
  @ApiUuidParam('id', 'award category id')
  @ApiBody({ type: NominationInputDto })
  @ApiCreatedResponse({ type: NominationDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'FORBIDDEN',
    'AWARD_CATEGORY_NOT_FOUND',
    'AGENCY_NOT_FOUND',
    'AWARD_STATE',
    'AWARDS_ANNOUNCED',
  )
  nominate(
    @Param('id', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) categoryId: string,
    @Body() body: NominationInputDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.AwardNominationAdd, { categoryId, nomination: body }, ctx);
  }
}
