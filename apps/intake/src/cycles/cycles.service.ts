import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  type BlockingResponse,
  Cycle,
  DomainError,
  Events,
  type PublicationReadiness,
  Rpc,
  RpcRequestParsed,
} from '@dg/contracts';
import {
  addToOutbox,
  CallContext,
  OutboxRelay,
  requireRole,
  ServiceClient,
  systemContext,
} from '@dg/platform';
import { carryOver, prefillAnswers, Questionnaire } from '@dg/survey-model';
import { auditResponses } from '../audit';
import { CycleEntity, QuestionnaireEntity, ResponseEntity } from '../entities';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { filterResponses } from '../responses/filter';
import { parseBangkok } from '../thai-date';


@Injectable()
export class CyclesService {
  constructor(
    private readonly ds: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly registry: ServiceClient,
    private readonly relay: OutboxRelay,
  ) {}

  async toCycle(e: CycleEntity, m?: EntityManager): Promise<Cycle> {
    const q = e.questionnaireId ? await this.questionnaires.find(e.questionnaireId, m) : null;
    return {
      id: e.id,
      yearBE: e.yearBE,
      title: { th: e.titleTh, en: e.titleEn },
      status: e.status,
      opensAt: new Date(e.opensAt).toISOString(),
      closesAt: new Date(e.closesAt).toISOString(),
      questionnaireId: e.questionnaireId,
      questionnaireVersion: q?.version ?? null,
      agencyCount: e.agencyCount,
      version: e.version,
      createdAt: new Date(e.createdAt).toISOString(),
      updatedAt: new Date(e.updatedAt).toISOString(),
    };
  }

  async find(id: string, m: EntityManager = this.ds.manager, lock = false): Promise<CycleEntity> {
    const qb = m.createQueryBuilder(CycleEntity, 'c').where('c.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const e = await qb.getOne();
    if (!e) throw new DomainError('CYCLE_NOT_FOUND');
    return e;
  }

  async create(input: RpcRequestParsed<typeof Rpc.CycleCreate>, ctx: CallContext): Promise<Cycle> {
    requireRole(ctx.actor, 'dga_admin');
    const opensAt = parseBangkok(input.opensAt, false);
    const closesAt = parseBangkok(input.closesAt, true);
    if (closesAt <= opensAt) {
      throw new DomainError('VALIDATION_FAILED', undefined, [
        {
          path: 'closesAt',
          code: 'DATE_ORDER',
          message: 'closesAt must be after opensAt',
          messageTh: 'วันปิดต้องอยู่หลังวันเปิด',
        },
      ]);
    }
    const now = new Date();
    const e: CycleEntity = {
      id: input.id ?? String(input.yearBE),
      yearBE: input.yearBE,
      titleTh: input.title.th,
      titleEn: input.title.en,
      status: 'draft',
      opensAt,
      closesAt,
      questionnaireId: null,
      agencyCount: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.ds.manager.insert(CycleEntity, e);
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new DomainError('CYCLE_EXISTS', undefined, undefined, { cycleId: e.id });
      throw err;
    }
    return this.toCycle(e);
  }

  async list(page: number, pageSize: number) {
    const [rows, total] = await this.ds.manager.findAndCount(CycleEntity, {
      order: { yearBE: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: await Promise.all(rows.map((r) => this.toCycle(r))), total, page, pageSize };
  }

  async get(id: string): Promise<Cycle> {
    return this.toCycle(await this.find(id));
  }

  /**
   * Changes title, dates or status (archive). A real change also leaves as `intake.cycle.updated`
   * in the same transaction, so notifications' reminders follow a moved deadline; a patch that
   * changes nothing still takes a version (as before) but tells nobody.
   */
  async update(
    id: string,
    patch: RpcRequestParsed<typeof Rpc.CycleUpdate>['patch'],
    ctx: CallContext,
  ): Promise<Cycle> {
    requireRole(ctx.actor, 'dga_admin');
    const { cycle, changed } = await this.ds.transaction(async (m) => {
      const e = await this.find(id, m, true);
      if (e.version !== patch.version) throw versionConflict(e.version);
      const before = {
        titleTh: e.titleTh,
        titleEn: e.titleEn,
        opensAt: new Date(e.opensAt).getTime(),
        closesAt: new Date(e.closesAt).getTime(),
        status: e.status,
      };
      if (patch.title) [e.titleTh, e.titleEn] = [patch.title.th, patch.title.en];
      if (patch.opensAt) {
        if (e.status !== 'draft')
          throw new DomainError(
            'CYCLE_ALREADY_OPEN',
            'เปลี่ยนวันเปิดได้เฉพาะรอบที่ยังไม่เปิด (opensAt can change only in draft)',
          );
        e.opensAt = parseBangkok(patch.opensAt, false);
      }
      if (patch.closesAt) e.closesAt = parseBangkok(patch.closesAt, true);
      if (e.closesAt <= e.opensAt)
        throw new DomainError('VALIDATION_FAILED', 'closesAt must be after opensAt');
      if (patch.status === 'archived') {
        if (e.status !== 'closed')
          throw new DomainError(
            'CYCLE_NOT_CLOSED',
            'เก็บถาวรได้เฉพาะรอบที่ปิดแล้ว (only a closed cycle can be archived)',
          );
        e.status = 'archived';
      }
      const changed: ('title' | 'opensAt' | 'closesAt' | 'status')[] = [];
      if (e.titleTh !== before.titleTh || e.titleEn !== before.titleEn) changed.push('title');
      if (new Date(e.opensAt).getTime() !== before.opensAt) changed.push('opensAt');
      if (new Date(e.closesAt).getTime() !== before.closesAt) changed.push('closesAt');
      if (e.status !== before.status) changed.push('status');
      e.version += 1;
      e.updatedAt = new Date();
      await m.save(CycleEntity, e);
      // One event per changed version: its envelope id is fixed in the outbox row, so the relay's
      // retries and JetStream's redeliveries carry the same id and consumers' inboxes drop them.
      if (changed.length) {
        await addToOutbox(
          m,
          Events.CycleUpdated,
          {
            cycleId: e.id,
            yearBE: e.yearBE,
            title: { th: e.titleTh, en: e.titleEn },
            status: e.status,
            opensAt: new Date(e.opensAt).toISOString(),
            closesAt: new Date(e.closesAt).toISOString(),
            version: e.version,
            changed,
          },
          ctx,
        );
      }
      return { cycle: await this.toCycle(e, m), changed };
    });
    if (changed.length) this.relay.kick();
    return cycle;
  }

  /**
   * Attaches a questionnaire. Before the cycle opens any definition may be attached; once open the
   * questionnaire is frozen, and only a newer version of the same definition (a correction) is
   * accepted: answers carry over where the question ids (and types) still match.
   */
  async attachQuestionnaire(cycleId: string, questionnaireId: string, version: number, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin');
    const next = await this.questionnaires.find(questionnaireId);
    const { cycle, previous } = await this.ds.transaction(async (m) => {
      const cycle = await this.find(cycleId, m, true);
      if (cycle.version !== version) throw versionConflict(cycle.version);
      let previous: QuestionnaireEntity | null = null;
      if (cycle.status === 'open' && cycle.questionnaireId) {
        previous = await this.questionnaires.find(cycle.questionnaireId, m);
        if (next.key !== previous.key || next.version <= previous.version) {
          throw new DomainError('QUESTIONNAIRE_NOT_A_REVISION');
        }
      } else if (cycle.status !== 'draft') {
        throw new DomainError('CYCLE_CLOSED');
      }
      cycle.questionnaireId = next.id;
      cycle.version += 1;
      cycle.updatedAt = new Date();
      await m.save(CycleEntity, cycle);
      return { cycle, previous };
    });
    const moved = previous
      ? await this.carryAnswers(cycleId, previous, next, ctx)
      : { carried: 0, dropped: 0 };
    return { ...(await this.toCycle(cycle)), carriedOver: moved.carried, droppedAnswers: moved.dropped };
  }

  /**
   * Moves the responses still being answered to the corrected questionnaire, a batch per
   * transaction so autosaves of other agencies never wait long. Responses already awaiting
   * approval, submitted or verified stay on the version they were completed against.
   */
  private async carryAnswers(
    cycleId: string,
    from: QuestionnaireEntity,
    to: QuestionnaireEntity,
    ctx: CallContext,
  ) {
    const source = from.definition as Questionnaire;
    const target = to.definition as Questionnaire;
    let carried = 0;
    let dropped = 0;
    for (;;) {
      const moved = await this.ds.transaction(async (m) => {
        const batch = await m
          .createQueryBuilder(ResponseEntity, 'r')
          .where(
            `r.cycle_id = :cycleId AND r.questionnaire_id = :from AND r.status IN ('not_started', 'in_progress', 'returned')`,
            {
              cycleId,
              from: from.id,
            },
          )
          .orderBy('r.id')
          .limit(200)
          .setLock('pessimistic_write')
          .getMany();
        for (const r of batch) {
          const out = carryOver(source, target, r.answers);
          carried += Object.keys(out.kept).length;
          dropped += out.dropped.length;
          await m.update(ResponseEntity, r.id, {
            answers: out.kept as object,
            questionnaireId: to.id,
            version: r.version + 1,
            updatedAt: new Date(),
          });
          await auditResponses(m, ctx, [
            {
              responseId: r.id,
              action: 'questionnaire.corrected',
              version: r.version + 1,
              changes: { questionnaire: to.id, dropped: out.dropped },
            },
          ]);
        }
        return batch.length;
      });
      if (moved < 200) return { carried, dropped };
    }
  }

  /** Opens the cycle: takes the cohort from the registry and creates one response per agency. */
  async open(cycleId: string, ctx: CallContext): Promise<Cycle> {
    requireRole(ctx.actor, 'dga_admin');
    const before = await this.find(cycleId);
    if (before.status !== 'draft') throw new DomainError('CYCLE_ALREADY_OPEN');
    if (!before.questionnaireId) throw new DomainError('CYCLE_QUESTIONNAIRE_MISSING');
    const members = await this.cohortOf(cycleId, ctx);
    if (members.length === 0) throw new DomainError('CYCLE_COHORT_MISSING');
    const cycle = await this.ds.transaction(async (m) => {
      const e = await this.find(cycleId, m, true);
      if (e.status !== 'draft') throw new DomainError('CYCLE_ALREADY_OPEN');
      const ids = members.map(() => randomUUID());
      // The profile questions start answered from the registry's record (kind, ministry, province).
      const definition = await this.questionnaires.definition(e.questionnaireId!, m);
      for (let i = 0; i < members.length; i += 2000) {
        const chunk = members.slice(i, i + 2000);
        await m.query(
          `INSERT INTO responses (id, cycle_id, agency_id, agency_code, agency_name, agency_group, agency_ministry, agency_province, questionnaire_id, status, answers)
           SELECT id, $1, agency_id, code, name, grp, ministry, province, $2, 'not_started', answers
             FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[])
                  AS v(id, agency_id, code, name, grp, ministry, province, answers)`,
          [
            cycleId,
            e.questionnaireId,
            ids.slice(i, i + 2000),
            chunk.map((x) => x.agencyId),
            chunk.map((x) => x.agencyCode),
            chunk.map((x) => x.nameTh),
            chunk.map((x) => x.group),
            chunk.map((x) => x.ministryId ?? null),
            chunk.map((x) => x.provinceCode ?? null),
            chunk.map((x) => JSON.stringify(prefillAnswers(definition, x))),
          ],
        );
      }
      e.status = 'open';
      e.agencyCount = members.length;
      e.version += 1;
      e.updatedAt = new Date();
      await m.save(CycleEntity, e);
      const q = await this.questionnaires.find(e.questionnaireId!, m);
      await addToOutbox(
        m,
        Events.CycleOpened,
        {
          cycleId,
          yearBE: e.yearBE,
          opensAt: new Date(e.opensAt).toISOString(),
          closesAt: new Date(e.closesAt).toISOString(),
          questionnaireId: q.id,
          questionnaireVersion: q.version,
          agencyCount: members.length,
          version: e.version,
        },
        ctx,
      );
      return e;
    });
    this.relay.kick();
    return this.toCycle(cycle);
  }

  private async cohortOf(cycleId: string, ctx: CallContext) {
    const members: {
      agencyId: string;
      agencyCode: string;
      nameTh: string;
      kind?: string;
      group: 'department' | 'provincial' | 'local';
      ministryId?: string | null;
      provinceCode?: string | null;
    }[] = [];
    for (let page = 1; ; page++) {
      let result;
      try {
        result = await this.registry.call(
          Rpc.CohortGet,
          { cycleId, page, pageSize: 500 },
          systemContext(ctx),
          30_000,
        );
      } catch (e) {
        if (e instanceof DomainError && e.code === 'NOT_FOUND') return [];
        throw e;
      }
      members.push(...result.items);
      if (members.length >= result.total || result.items.length === 0) return members;
    }
  }

  async close(cycleId: string, ctx: CallContext): Promise<Cycle> {
    requireRole(ctx.actor, 'dga_admin');
    const cycle = await this.ds.transaction(async (m) => {
      const e = await this.find(cycleId, m, true);
      if (e.status !== 'open')
        throw new DomainError('CYCLE_NOT_OPEN', 'ปิดได้เฉพาะรอบที่เปิดอยู่ (only an open cycle closes)');
      e.status = 'closed';
      e.version += 1;
      e.updatedAt = new Date();
      await m.save(CycleEntity, e);
      const [counts] = (await m.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE submission_count > 0)::int AS submitted
           FROM responses WHERE cycle_id = $1`,
        [cycleId],
      )) as { total: number; submitted: number }[];
      await addToOutbox(
        m,
        Events.CycleClosed,
        { cycleId, closedAt: e.updatedAt.toISOString(), ...counts },
        ctx,
      );
      return e;
    });
    this.relay.kick();
    return this.toCycle(cycle);
  }

  /**
   * Whether results (and awards) may be published: the cycle is closed, and no response that is
   * not set aside is submitted and unverified, returned, a resubmission awaiting approval, or
   * inside an extension still running (the rule of `blockingReason` for one response).
   */
  async readiness(cycleId: string, ctx: CallContext): Promise<PublicationReadiness> {
    requireRole(ctx.actor, 'system', 'dga_admin', 'operator');
    const cycle = await this.find(cycleId);
    const rows = (await this.ds.query(
      `SELECT agency_id AS "agencyId", agency_code AS "agencyCode", agency_name AS "agencyName", status,
              greatest(coalesce(extended_until, $2), $2) AS deadline,
              CASE WHEN status IN ('submitted', 'resubmitted') THEN 'AWAITING_VERIFICATION'
                   WHEN status = 'returned' THEN 'RETURNED'
                   WHEN status = 'awaiting_approval' AND submission_count > 0 THEN 'AWAITING_APPROVAL'
                   ELSE 'EXTENSION_OPEN' END AS reason
         FROM responses
        WHERE cycle_id = $1 AND set_aside_at IS NULL
          AND (status IN ('submitted', 'resubmitted', 'returned')
               OR (status = 'awaiting_approval' AND submission_count > 0)
               OR (status IN ('not_started', 'in_progress', 'awaiting_approval')
                   AND extended_until > now() AND extended_until > $2))
        ORDER BY agency_code`,
      [cycleId, cycle.closesAt],
    )) as (Omit<BlockingResponse, 'deadline'> & { deadline: Date })[];
    const byReason: Record<string, number> = {};
    for (const r of rows) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    const [{ n: setAside }] = (await this.ds.query(
      `SELECT count(*)::int AS n FROM responses WHERE cycle_id = $1 AND set_aside_at IS NOT NULL`,
      [cycleId],
    )) as { n: number }[];
    const closed = cycle.status === 'closed' || cycle.status === 'archived';
    return {
      cycleId,
      cycleStatus: cycle.status,
      closed,
      ready: closed && rows.length === 0,
      blocking: {
        total: rows.length,
        byReason,
        items: rows.slice(0, 200).map(({ deadline, ...r }) => ({
          ...r,
          deadline: new Date(deadline).toISOString(),
        })),
      },
      setAside,
    };
  }

  /**
   * Counts by status and agency group, of the responses the filter keeps (as the list filters);
   * "submitted" means submitted at least once and approved.
   */
  async progress(query: RpcRequestParsed<typeof Rpc.CycleProgress>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    const { cycleId } = query;
    const cycle = await this.find(cycleId);
    const rows = await filterResponses(
      this.ds.manager
        .createQueryBuilder(ResponseEntity, 'r')
        .select('r.agency_group', 'group')
        .addSelect('r.status', 'status')
        .addSelect('count(*)::int', 'n')
        .addSelect('(count(*) FILTER (WHERE r.submission_count > 0))::int', 'submitted')
        .where('r.cycle_id = :cycleId', { cycleId }),
      query,
    )
      .groupBy('r.agency_group')
      .addGroupBy('r.status')
      .getRawMany<{ group: string; status: string; n: number; submitted: number }>();
    const byStatus: Record<string, number> = {};
    const byGroup: Record<string, { total: number; submitted: number; responseRate: number }> = {};
    let total = 0;
    let submitted = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      const g = (byGroup[r.group] ??= { total: 0, submitted: 0, responseRate: 0 });
      g.total += r.n;
      g.submitted += r.submitted;
      total += r.n;
      submitted += r.submitted;
    }
    const rate = (s: number, t: number) => (t === 0 ? 0 : Math.round((s / t) * 10000) / 100);
    for (const g of Object.values(byGroup)) g.responseRate = rate(g.submitted, g.total);
    return {
      cycleId,
      total,
      byStatus,
      byGroup,
      submitted,
      responseRate: rate(submitted, total),
      deadline: new Date(cycle.closesAt).toISOString(),
    };
  }
}

function versionConflict(currentVersion: number): DomainError {
  return new DomainError('CYCLE_VERSION_CONFLICT', undefined, undefined, { currentVersion });
}
