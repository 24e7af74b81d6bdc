import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { type Actor, DomainError, Events, Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { best, middle, tinyRules, worst } from './fixtures';
import { agency, coordinatorOf, type ScoringHarness, scorecardsOf, startScoring } from './harness';

/** As the gateway's routes without login call: an agency role without an agency. */
const anonymous: Actor = { id: 'anonymous', roles: ['coordinator'], agencyId: null };

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      if (!(e instanceof DomainError)) throw e;
      return e;
    },
  );

/**
 * Cohort results as an operator and the public see them: rankings within groups with ties,
 * statistics by group, ministry and province, change against imported previous-year results,
 * rescoring after a rules change, and publication that freezes everything.
 */
describe('scoring results', () => {
  let h: ScoringHarness;
  const A = agency('DEP-A');
  const B = agency('DEP-B');
  const C = agency('DEP-C', 'department', { ministryId: 'MOF', provinceCode: 'TH-10' });
  const D = agency('PROV-D', 'provincial');
  let responseB = '';

  beforeAll(async () => {
    h = await startScoring('scresults');
    await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: tinyRules });
    for (const [a, answers] of [
      [A, best],
      [B, middle],
      [C, middle],
      [D, worst],
    ] as const) {
      const s = await h.submit(a, answers);
      if (a === B) responseB = s.responseId;
    }
    await waitFor(async () => ((await h.ds.query(`SELECT count(*)::int AS n FROM current_scores`)) as { n: number }[])[0].n === 4, 20_000);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function upload(name: string, bytes: Uint8Array) {
    return h.app.get(FileTransfer).put({ objectName: `import/${randomUUID()}`, fileName: name, contentType: 'text/csv' }, bytes);
  }

  it('refuses rules that do not fit the questionnaire, naming every problem', async () => {
    const bad = {
      ...tinyRules,
      pillarWeights: { p1: 70, p9: 20 },
      excludeQuestions: ['nope'],
      levels: tinyRules.levels.map((l, i) => (i === 2 ? { ...l, min: 10 } : l)),
    };
    const e = await refusal(h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: bad }));
    expect(e.code).toBe('SCORING_RULES_INVALID');
    const codes = e.errors!.map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['UNKNOWN_PILLAR', 'UNKNOWN_QUESTION', 'CUTOFFS_ORDER']));
    expect(e.errors!.every((x) => x.messageTh)).toBe(true);
    expect((await h.call(Rpc.ScoringRulesGet, { cycleId: '2565' })).version).toBe(1); // nothing saved
  });

  it('describes how scores are made, without login, as soon as the cycle has a questionnaire and rules', async () => {
    const m = await h.call(Rpc.MethodologyPublic, { cycleId: '2565' }, anonymous);
    expect(m).toMatchObject({
      cycleId: '2565',
      questionnaire: { id: 'tiny', version: 1 },
      rules: { id: 'tiny-rules', version: 1 },
      method: 'raw',
      hiddenQuestions: 'zero',
      totals: { pillars: 2, indicators: 2, questions: 4, scoredQuestions: 4, excludedQuestions: 0 },
      rounding: { mode: 'half_away_from_zero', scores: 2, statistics: { decimals: 2 }, change: { decimals: 4 } },
      classifiedBy: 'reported_overall',
      standardised: null,
    });
    expect(m.pillars.map((p) => [p.id, p.weight, p.weightFrom])).toEqual([
      ['p1', 60, 'questionnaire'],
      ['p2', 40, 'questionnaire'],
    ]);
    expect(m.pillars[0].indicators[0].questions[1]).toMatchObject({
      id: 'q2',
      text: { en: 'Level' },
      options: [
        { value: 'a', points: 0 },
        { value: 'b', points: 1 },
        { value: 'c', points: 2 },
      ],
      maxPoints: 2,
      rubric: { kind: 'choice' },
    });
    expect(m.levels.map((l) => [l.level, l.min, l.below])).toEqual([
      [1, 0, 20],
      [2, 20, 40],
      [3, 40, 60],
      [4, 60, 80],
      [5, 80, null],
    ]);
    expect(m.outcomes.unanswered).toEqual({ counted: true, points: 'zero' });
    // Not there yet: no questionnaire, then no rules; an unknown cycle is not found.
    h.others.cycles.set('2566', { questionnaireId: null });
    const none = await refusal(h.call(Rpc.MethodologyPublic, { cycleId: '2566' }, anonymous));
    expect([none.code, none.status]).toEqual(['METHODOLOGY_NOT_READY', 404]);
    expect(none.detail).toContain('แบบสำรวจ');
    h.others.cycles.set('2566', { questionnaireId: h.questionnaireId });
    const noRules = await refusal(h.call(Rpc.MethodologyPublic, { cycleId: '2566' }, anonymous));
    expect([noRules.code, noRules.detail]).toEqual(['METHODOLOGY_NOT_READY', expect.stringContaining('เกณฑ์')]);
    expect((await refusal(h.call(Rpc.MethodologyPublic, { cycleId: '2599' }, anonymous))).code).toBe('CYCLE_NOT_FOUND');
  });

  it('imports the previous year from a Windows-874 CSV, refusing bad rows and honouring dry runs', async () => {
    const bad = await upload('bad.csv', Buffer.from('agency_code,overall,level\nDEP-A,101,3\n,50,\nDEP-B,70,9\n'));
    const e = await refusal(h.call(Rpc.ResultsImport, { cycleId: '2564', file: bad }));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.errors!.map((x) => [x.row, x.column, x.code])).toEqual([
      [2, 'overall', 'NOT_A_SCORE'],
      [3, 'agency_code', 'REQUIRED'],
      [4, 'level', 'NOT_A_LEVEL'],
    ]);
    const csv = 'agency_code,agency_name,overall,level,pillar_1,pillar_2\nDEP-A,กรมเอ,90,5,90,90\nDEP-B,กรมบี,70.00,4,80,55\n';
    const file = await upload('results-2564.csv', iconv.encode(csv, 'windows-874'));
    const dry = await h.call(Rpc.ResultsImport, { cycleId: '2564', file, dryRun: true });
    expect(dry).toEqual({ cycleId: '2564', imported: 2, replaced: 0, dryRun: true });
    const real = await h.call(Rpc.ResultsImport, { cycleId: '2564', file });
    expect(real).toEqual({ cycleId: '2564', imported: 2, replaced: 0, dryRun: false });
  });

  it('ranks within each group with ties shown, and gives statistics and year-over-year change', async () => {
    const r = await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 50 }, coordinatorOf(A.id)).catch((e: unknown) => e);
    expect((r as DomainError).code).toBe('FORBIDDEN');

    const results = await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 50 });
    expect(results.status).toBe('provisional');
    expect(results.previousCycleId).toBe('2564');
    expect(results.rankings.items.map((x) => [x.agencyCode, x.group, x.rank, x.tied, x.overall, x.level, x.change])).toEqual([
      ['DEP-A', 'department', 1, false, 100, 5, 10],
      ['DEP-B', 'department', 2, true, 65, 4, -5],
      ['DEP-C', 'department', 2, true, 65, 4, null],
      ['PROV-D', 'provincial', 1, false, 0, 1, null],
    ]);
    const dept = results.statistics.byGroup.find((s) => s.key === 'department')!;
    expect(dept.name?.th).toBe('หน่วยงานระดับกรมหรือเทียบเท่า');
    // 100, 65, 65: mean 76.67, median 65, quartiles (type 7) 65 and 82.5
    expect(dept.overall).toEqual({ n: 3, mean: 76.67, median: 65, q1: 65, q3: 82.5, min: 65, max: 100 });
    expect(dept.pillars['1']).toMatchObject({ n: 3, mean: 83.33, median: 75 });
    expect(dept.levels).toEqual({ '1': 0, '2': 0, '3': 0, '4': 2, '5': 1 });
    expect(dept.change).toEqual({ n: 2, mean: 2.5 });
    expect(results.statistics.all.overall.n).toBe(4);
    expect(results.statistics.byMinistry.map((s) => [s.key, s.overall.n, s.name?.en ?? null])).toEqual([
      ['MDES', 3, 'Ministry of Digital Economy and Society'],
      ['MOF', 1, null],
    ]);
    expect(results.statistics.byProvince.map((s) => [s.key, s.overall.n])).toEqual([
      ['TH-10', 1],
      ['TH-50', 3],
    ]);
    const filtered = await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 1, ministryId: 'MDES' });
    expect(filtered.rankings).toMatchObject({ total: 3, page: 1, pageSize: 1 });
    expect(filtered.rankings.items[0].agencyCode).toBe('DEP-A');
    // The public search box: part of the code or the name, any case.
    const found = await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 50, q: ' dep-c ' });
    expect(found.rankings.items.map((x) => x.agencyCode)).toEqual(['DEP-C']);
    expect(found.statistics.all.overall.n).toBe(4); // statistics stay the cohort's
  });

  it('hides scorecards from agencies until publication and never shows another agency’s', async () => {
    expect((await refusal(h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: B.id }, coordinatorOf(B.id)))).code).toBe(
      'SCORECARD_NOT_FOUND',
    );
    expect((await refusal(h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: A.id }, coordinatorOf(B.id)))).code).toBe(
      'SCORECARD_NOT_FOUND',
    );
    expect((await refusal(h.call(Rpc.ResultsPublic, { cycleId: '2565', page: 1, pageSize: 50 }))).code).toBe('RESULTS_NOT_PUBLISHED');
    const card = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: B.id });
    expect(card).toMatchObject({ agencyCode: 'DEP-B', published: false });
    // Nothing public before publication: no published cycle, no public scorecard.
    expect(await h.call(Rpc.ResultsPublishedCycles, {}, anonymous)).toEqual({ items: [] });
    const early = await refusal(h.call(Rpc.ScorecardPublic, { cycleId: '2565', agencyCode: 'DEP-B' }, anonymous));
    expect([early.code, early.status]).toEqual(['RESULTS_NOT_PUBLISHED', 404]);
  });

  it('rescoring after a rules change reports progress and changes the scores', async () => {
    const changed = await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: { ...tinyRules, version: 2, pillarWeights: { p1: 50, p2: 50 } } });
    expect(changed.version).toBe(2);
    const started = await h.call(Rpc.RescoreStart, { cycleId: '2565' });
    expect(started).toMatchObject({ total: 4, rulesVersion: 2 });
    expect(['queued', 'running', 'completed']).toContain(started.state);
    const again = await h.call(Rpc.RescoreStart, { cycleId: '2565' }).catch((e: unknown) => e);
    if (again instanceof DomainError) expect(again.code).toBe('RESCORE_RUNNING');
    const done = await waitFor(async () => {
      const s = await h.call(Rpc.RescoreGet, { cycleId: '2565' });
      return s.jobId === started.jobId && s.state === 'completed' ? s : undefined;
    }, 20_000);
    expect(done).toMatchObject({ total: 4, done: 4, failed: 0 });
    // B: p1 75, p2 50, now weighted 50/50 = 62.5
    const b = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: B.id });
    expect(b.rulesVersion).toBe(2);
    expect(b.card.overall).toBe(62.5);
    expect(await scorecardsOf(h.ds, responseB)).toHaveLength(2); // the card of rules v1 stays, for the record
  });

  it('refuses to publish while the cycle is open or submitted responses are neither verified nor set aside', async () => {
    const readiness = {
      cycleId: '2565',
      cycleStatus: 'open' as const,
      closed: false,
      ready: false,
      blocking: { total: 0, byReason: {}, items: [] },
      setAside: 0,
    };
    h.others.readiness.set('2565', readiness);
    const open = await refusal(h.call(Rpc.ResultsPublish, { cycleId: '2565' }));
    expect([open.code, open.status, open.meta]).toEqual(['CYCLE_NOT_CLOSED', 409, { cycleStatus: 'open' }]);
    expect(open.detail).toContain('ปิดรอบการสำรวจก่อน');
    const late = {
      agencyId: B.id,
      agencyCode: B.code,
      agencyName: 'กรมบี',
      status: 'submitted' as const,
      reason: 'AWAITING_VERIFICATION' as const,
      deadline: new Date().toISOString(),
    };
    h.others.readiness.set('2565', {
      ...readiness,
      cycleStatus: 'closed',
      closed: true,
      blocking: { total: 1, byReason: { AWAITING_VERIFICATION: 1 }, items: [late] },
    });
    const unverified = await refusal(h.call(Rpc.ResultsPublish, { cycleId: '2565' }));
    expect([unverified.code, unverified.status]).toEqual(['RESPONSES_NOT_VERIFIED', 409]);
    expect(unverified.meta).toEqual({
      blockingCount: 1,
      byReason: { AWAITING_VERIFICATION: 1 },
      agencies: [
        { agencyId: B.id, agencyCode: B.code, agencyName: 'กรมบี', status: 'submitted', reason: 'AWAITING_VERIFICATION' },
      ],
    });
    expect(unverified.detail).toContain(B.code);
    expect(unverified.detail).toContain('ส่งแล้ว รอการตรวจสอบ 1');
    // Nothing was published or announced.
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE subject = $1`, [Events.ResultsPublished])) as { n: number }[];
    expect(n).toBe(0);
    expect((await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 1 })).status).toBe('provisional');
    h.others.readiness.delete('2565'); // closed, every response verified or set aside
  });

  it('publishing freezes the results and lets agencies see their own scorecard', async () => {
    const summary = await h.call(Rpc.ResultsPublish, { cycleId: '2565' });
    expect(summary).toMatchObject({ cycleId: '2565', rulesVersion: 2, scored: 4, byGroup: { department: 3, provincial: 1 } });
    expect((await refusal(h.call(Rpc.ResultsPublish, { cycleId: '2565' }))).code).toBe('RESULTS_PUBLISHED');
    expect((await refusal(h.call(Rpc.RescoreStart, { cycleId: '2565' }))).code).toBe('RESULTS_PUBLISHED');
    expect((await refusal(h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: { ...tinyRules, version: 3 } }))).code).toBe(
      'RESULTS_PUBLISHED',
    );
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE subject = $1`, [Events.ResultsPublished])) as { n: number }[];
    expect(n).toBe(1);

    const publicResults = await h.call(Rpc.ResultsPublic, { cycleId: '2565', page: 1, pageSize: 50, group: 'department' });
    expect(publicResults.status).toBe('published');
    expect(publicResults.rankings.items.map((x) => [x.agencyCode, x.rank, x.tied, x.overall])).toEqual([
      ['DEP-A', 1, false, 100],
      ['DEP-B', 2, true, 62.5],
      ['DEP-C', 2, true, 62.5],
    ]);
    expect(publicResults.statistics.byGroup.find((s) => s.key === 'department')!.overall.mean).toBe(75);
    const search = async (q: string) =>
      (await h.call(Rpc.ResultsPublic, { cycleId: '2565', page: 1, pageSize: 50, q })).rankings.items.map((x) => x.agencyCode);
    expect(await search('dep-b')).toEqual(['DEP-B']);
    expect(await search('หน่วยงาน PROV')).toEqual(['PROV-D']); // the Thai name
    expect(await search('DEP')).toEqual(['DEP-A', 'DEP-B', 'DEP-C']);
    expect(await search('%')).toEqual([]); // LIKE's wildcards are plain text
    expect(await search('')).toHaveLength(4);

    // A verification after publication is scored, but the published results do not move.
    await h.publish(Events.ResponseVerified, {
      cycleId: '2565',
      responseId: responseB,
      agencyId: B.id,
      agencyCode: B.code,
      submission: 1,
      responseVersion: 9,
      questionnaireId: h.questionnaireId,
      questionnaireVersion: 1,
      verdicts: [{ questionId: 'q1', verdict: 'rejected' }],
    });
    await waitFor(async () => ((await scorecardsOf(h.ds, responseB)).length === 3 ? true : undefined), 20_000);
    const own = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: B.id }, coordinatorOf(B.id));
    expect(own).toMatchObject({ published: true, responseVersion: 4 });
    expect(own.card.overall).toBe(62.5);
    const operatorView = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: B.id });
    expect(operatorView).toMatchObject({ published: false, responseVersion: 9 });
    const after = await h.call(Rpc.ResultsGet, { cycleId: '2565', page: 1, pageSize: 50, group: 'department' });
    expect(after.rankings.items.find((x) => x.agencyCode === 'DEP-B')!.overall).toBe(62.5);

    // Without login: the cycle is listed as published, and each agency's published card (the one
    // its own people read, not the later one) is there by agency code.
    expect(await h.call(Rpc.ResultsPublishedCycles, {}, anonymous)).toEqual({
      items: [{ id: '2565', yearBE: 2565, title: { th: 'ทดสอบ', en: 'Test' }, publishedAt: summary.publishedAt }],
    });
    const publicCard = await h.call(Rpc.ScorecardPublic, { cycleId: '2565', agencyCode: 'DEP-B' }, anonymous);
    expect(publicCard).toEqual(own);
    expect(publicCard.card.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions)).every((x) => x.reason.th && x.reason.en)).toBe(true);
    for (const agencyCode of ['NOPE-1', 'PROV-X']) {
      const missing = await refusal(h.call(Rpc.ScorecardPublic, { cycleId: '2565', agencyCode }, anonymous));
      expect([missing.code, missing.status]).toEqual(['SCORECARD_NOT_FOUND', 404]);
    }
    expect((await refusal(h.call(Rpc.ScorecardPublic, { cycleId: '2599', agencyCode: 'DEP-B' }, anonymous))).code).toBe(
      'RESULTS_NOT_PUBLISHED',
    );
    // The methodology after publication: the rules that were published (v2, pillar weights from the rules).
    const m = await h.call(Rpc.MethodologyPublic, { cycleId: '2565' }, anonymous);
    expect(m.rules.version).toBe(2);
    expect(m.pillars.map((p) => [p.weight, p.weightFrom])).toEqual([
      [50, 'rules'],
      [50, 'rules'],
    ]);

    // The year is published here: its results cannot be replaced by an import.
    const file = await upload('r.csv', Buffer.from('agency_code,overall\nDEP-A,1\n'));
    expect((await refusal(h.call(Rpc.ResultsImport, { cycleId: '2565', file }))).code).toBe('RESULTS_PUBLISHED');
  });
});
