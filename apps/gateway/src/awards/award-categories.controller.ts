import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { Category, CategoryState } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
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
import { ApiProblemsOf } from '../openapi';
import { CommitteeMembers } from './committee-members';
import {
  CandidateListQueryDto,
  CandidatePageDto,
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
@Controller()
export class AwardCategoriesController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly members: CommitteeMembers,
  ) {}

  @Get('cycles/:id/award-categories')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'Award categories of a cycle · ประเภทรางวัลของรอบการสำรวจ',
    description:
      'Every category with its eligibility, metric, tie-breaks, number of winners, committee, `status` and `version`.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: CategoryListDto })
  @ApiProblemsOf(Rpc.AwardCategoryList)
  list(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AwardCategoryList, { cycleId }, ctx);
  }

  @Get('award-categories/:id/candidates')
  @Allow('dga_admin', 'operator', 'committee', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Candidates of an award category, paged · รายชื่อผู้มีสิทธิ์ได้รับรางวัลของประเภทนี้ (แบ่งหน้า)',
    description:
      'Every candidate of the category as last computed, ranked first then by agency code: eligibility with the ' +
      'reasons (Thai and English), value, overall and pillar scores, change, rank, tie. `page` (from 1) and ' +
      '`pageSize` (1-500, default 50); `total` counts them all (the overview of `GET /cycles/:id/awards` shows ' +
      'the first 100 only). `agencyId` narrows to one agency. Coordinators and approvers get their own agency’s ' +
      'row only (an empty page when it is not a candidate). Unknown category: 404 AWARD_CATEGORY_NOT_FOUND.',
  })
  @ApiUuidParam('id', 'award category id')
  @ApiOkResponse({ type: CandidatePageDto })
  @ApiProblemsOf(Rpc.AwardCandidateList)
  candidates(
    @Param('id', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) categoryId: string,
    @Query() query: CandidateListQueryDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.AwardCandidateList, { categoryId, ...query }, ctx);
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
      'than the committee) are 422 AWARD_CATEGORY_INVALID, every problem in `errors[]`. Segregation of duties: ' +
      'every member (`userId`) is an active account holding the `committee` role (`NOT_A_COMMITTEE_USER` ' +
      'otherwise: an admin cannot sit on a committee), a committee has its chair and at least one other member ' +
      '(`COMMITTEE_TOO_SMALL`), and a committee-ranked category needs a quorum of two at least ' +
      '(`QUORUM_TOO_LOW`). The ETag header carries the version.',
  })
  @ApiCycleParam()
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiProblemsOf(Rpc.AwardCategoryCreate)
  async create(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() category: CategoryInputDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Category> {
    await this.members.check(category.committee);
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
  @ApiProblemsOf(Rpc.AwardCategoryUpdate)
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
    await this.members.check(body.committee);
    return withEtag(reply, await this.rpc.call(Rpc.AwardCategoryUpdate, { id, patch }, ctx));
  }

  @Post('award-categories/:id/decisions')
  @Allow('committee')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a committee decision on a category · บันทึกการพิจารณาของคณะกรรมการรางวัล',
    description: [
      'One decision by the caller, a member of the category’s committee, chosen by `type`:',
      '',
      '- `conflict`: the member declares a conflict of interest with a candidate (`agencyId`, `reason`); they no ' +
        'longer judge that agency.',
      '- `vote`: the member’s scores, 0-100, per candidate (`scores[]` of `agencyId`, `score`).',
      '- `confirm`: the chair confirms the ranked list as the winners; a committee-ranked list needs the ' +
        '`quorum` of members, and two at least, to have voted (409 AWARD_QUORUM_NOT_REACHED).',
      '- `override`: the chair names the `winners` (agency ids) instead, with a `reason` of at least 10 ' +
        'characters (shorter or missing is 400 VALIDATION_FAILED); the chair never decides alone: the `quorum` of ' +
        'members, and two at least, must have voted (409 AWARD_QUORUM_NOT_REACHED).',
      '',
      'Decisions are append-only and audited: a new one is added, none is changed or removed. A member’s own ' +
        'agency, and the agencies of its ministry, are excluded from their judgement automatically; scoring such ' +
        'an agency, or one they declared a conflict with, is 409 AWARD_CONFLICT_OF_INTEREST. Someone outside the ' +
        'committee is 403 AWARD_NOT_A_MEMBER, a listed account without the `committee` role 403 ' +
        'AWARD_COMMITTEE_ROLE_REQUIRED, a member who is not its chair 403 FORBIDDEN for `confirm` and ' +
        '`override`; judging an agency whose response the caller verified is 409 AWARD_CONFLICT_OF_INTEREST ' +
        '(segregation of duties). Every refusal has its own code (see the responses). Answers with the ' +
        'category’s state: ' +
        'candidates, decisions, conflicts and winners.',
    ].join('\n'),
  })
  @ApiUuidParam('id', 'award category id')
  @ApiBody({ type: DecisionDto })
  @ApiOkResponse({ type: CategoryStateDto })
  @ApiProblemsOf(Rpc.AwardDecisionAdd)
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
      'nominate their own agency only (403 otherwise); one nomination per agency and category (409 ' +
      'AWARD_ALREADY_NOMINATED for a second one, 409 AWARD_CATEGORY_DECIDED once the category is decided). Only ' +
      'nominated agencies become candidates. Evidence links are `https://` addresses with a host name (400 ' +
      'VALIDATION_FAILED with `errors[].code` UNSAFE_URL otherwise).',
  })
  @ApiUuidParam('id', 'award category id')
  @ApiBody({ type: NominationInputDto })
  @ApiCreatedResponse({ type: NominationDto })
  @ApiProblemsOf(Rpc.AwardNominationAdd)
  nominate(
    @Param('id', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) categoryId: string,
    @Body() body: NominationInputDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.AwardNominationAdd, { categoryId, nomination: body }, ctx);
  }
}
