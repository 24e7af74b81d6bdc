#!/usr/bin/env node
// Loads the sample 2565 data, the way a DGA admin would where there is a way: log in, import
// apps/registry/sample/agencies-2565.csv, register the cycle's cohort, give each cohort agency one
// made-up contact person (so that notifications have someone to write to), create the 2565 cycle,
// upload the sample questionnaire, attach it and open the cycle; put the sample scoring rules on
// the cycle and import synthetic 2564 results (for year-over-year change); then answer the survey
// for the sample cohort (scripts/sample-answers.mjs), so that scores and results are there to see;
// then the rest of the year in the order DGA runs it (finishYear below): close the cycle; the
// operator's part (the sample's verified responses were verified while answering; the ones the
// sample leaves "submitted" are set aside with a reason: not verified before publication); then,
// where the gateway has the awards routes and the awards service answers, a sample award round:
// publish the 2565 results once scoring has caught up, sample award categories with a
// made-up committee (three gateway users with the role committee), candidates, the chair's
// confirmation of each category and the announcement (see sampleAwards below). Results and awards
// are refused while the cycle is open or a submitted response is neither verified nor set aside.
// In development (never with NODE_ENV=production) it then leaves something for a newcomer to do in
// the portal (newcomerCycle below): an open 2566 cycle for the same cohort, with the same
// questionnaire and rules and nobody's answers, and two people of one sample agency (DEP-001) who
// can sign in: its coordinator and its head (approver), with the logins printed
// (scripts/sample/people.mjs).
// Safe to run again: it skips what is already there (agencies that already reached their sample
// stage are left alone; an announced award round is only summarised). The cycle is created open
// for SAMPLE_OPEN_DAYS (default 90); with --keep-open (SAMPLE_KEEP_OPEN=1), or without answers
// (--answers none or 0), it stays open so people can try answering, and nothing is published.
//
//   node scripts/load-sample.mjs [--gateway http://localhost:3000] [--answers all|none|N] [--keep-open]
// (--answers N: only the first N agencies of the sample, by code; the end-to-end test uses it)
//
// ANSWERS ARE A DEVELOPMENT SEEDING TOOL. Coordinators and approvers are people with accounts in
// the gateway, one or more per agency; making and logging in two bcrypt accounts for each of
// 1,876 agencies would take many minutes. So the answering step talks to intake directly over
// NATS request/reply (the wire of packages/platform/src/rpc.ts: the subject with NATS_PREFIX, the
// x-actor and x-correlation-id headers, the actor signed as the gateway signs it with
// ACTOR_SIGNING_KEY (ADR 0017), a `{ response | err }` reply), as an actor scoped to
// the agency with the coordinator or approver role and an id that says where it comes from
// (`sample-loader:coordinator:DEP-001`). Intake applies its own rules to every call exactly as
// for a request from the gateway (validation, states, versions, deadlines, evidence checks); only
// the gateway's login is skipped. Operators' verification goes through the gateway as the admin.
// It needs the NATS that intake uses (NATS_URL, NATS_PREFIX) and refuses to run with
// NODE_ENV=production. Environment:
//   NATS_URL (nats://127.0.0.1:4222), NATS_PREFIX (''), ACTOR_SIGNING_KEY (the gateway's: npm start
//   makes one), SAMPLE_ANSWERS (all | none | N),
//   SAMPLE_CONCURRENCY (8), SAMPLE_CONTACT_CONCURRENCY (16), ADMIN_EMAIL, ADMIN_PASSWORD, GATEWAY_URL,
//   SAMPLE_SCORES_WAIT_S (120: how long the award round waits for scoring to catch up),
//   SAMPLE_COMMITTEE_PASSWORD (committee-2565: the sample committee members' password).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAgencies, readQuestionnaire, samplePlan, STAGE_ORDER } from './sample-answers.mjs';
import { OPEN_CYCLE, OPEN_CYCLE_DAYS, SAMPLE_AGENCY_CODE, SAMPLE_PEOPLE, sampleLoginLines } from './sample/people.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argOf = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const gateway = argOf('--gateway') ?? process.env.GATEWAY_URL ?? 'http://localhost:3000';
const api = `${gateway}/api/v1`;
const email = process.env.ADMIN_EMAIL ?? 'admin@dga.or.th';
const password = process.env.ADMIN_PASSWORD ?? 'admin-2565';
const CYCLE = '2565';
const PREVIOUS_CYCLE = '2564';
const ANNOUNCED = 1876;
const RULES_PATH = join(root, 'packages/survey-model/samples/scoring-rules-2565.json');
const PREVIOUS_RESULTS_PATH = join(root, 'scripts/sample/results-2564.csv');
const ANSWERS = (argOf('--answers') ?? process.env.SAMPLE_ANSWERS ?? 'all').toLowerCase();
if (!/^(all|none|\d+)$/.test(ANSWERS)) throw new Error(`--answers takes all, none or a number, not ${ANSWERS}`);
const CONCURRENCY = Math.max(1, Number(process.env.SAMPLE_CONCURRENCY ?? 8));
const CONTACT_CONCURRENCY = Math.max(1, Number(process.env.SAMPLE_CONTACT_CONCURRENCY ?? 16));
const KEEP_OPEN = process.argv.includes('--keep-open') || process.env.SAMPLE_KEEP_OPEN === '1';
/** Why the sample sets aside the responses it leaves submitted (kept in each one's audit trail). */
const SET_ASIDE_REASON =
  'ตัวอย่าง: ผู้ดูแลการสำรวจตรวจสอบไม่ทันก่อนประกาศผล คะแนนที่ประกาศจึงยังไม่ผ่านการตรวจสอบ (sample: not verified before publication; its published score is unverified)';

/**
 * The admin's access token lasts 15 minutes, and loading the whole sample on a busy machine can
 * take longer: a 401 on the admin's token signs in again once and retries, and later calls that
 * still hold the old token use the new one.
 */
const admin = { token: null, expired: new Set(), renewing: null };
async function adminLogin() {
  const login = await send('POST', '/auth/login', undefined, { email, password });
  if (login.status !== 200) throw new Error(`login as ${email} failed: ${login.status} ${JSON.stringify(login.data)}`);
  admin.token = login.data.accessToken;
  return admin.token;
}
/** One sign-in for every call that met the 401 at once (the loader runs 8 to 16 calls at a time). */
function renewAdmin(stale) {
  if (stale !== admin.token) return Promise.resolve(admin.token); // another call renewed it already
  admin.expired.add(stale);
  admin.renewing ??= adminLogin().finally(() => {
    admin.renewing = null;
  });
  return admin.renewing;
}

async function call(method, path, token, body) {
  if (token && admin.expired.has(token)) token = admin.renewing ? await admin.renewing : admin.token;
  const r = await send(method, path, token, body);
  if (r.status === 401 && token && (token === admin.token || admin.expired.has(token))) {
    return send(method, path, await renewAdmin(token), body);
  }
  return r;
}

async function send(method, path, token, body) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
    },
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  return { status: res.status, data };
}

/** One line for a problem+json answer. */
const problem = (r) => `${r.status} ${r.data?.code ?? ''} ${r.data?.detail ?? r.data?.title ?? JSON.stringify(r.data ?? '').slice(0, 300)}`.trim();
const warn = (msg) => console.warn(`sample: WARNING ${msg}`);

async function main() {
  const token = await adminLogin();

  const csvPath = join(root, 'apps/registry/sample/agencies-2565.csv');
  const csv = readFileSync(csvPath);
  const existing = await call('GET', '/agencies?pageSize=1', token);
  const freshRegistry = existing.data.total === 0;
  if (freshRegistry) {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'agencies-2565.csv');
    const imported = await call('POST', '/agencies/import', token, form);
    if (imported.status !== 200 && imported.status !== 201) {
      throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.data).slice(0, 2000)}`);
    }
    console.log(`sample: imported ${imported.data.created} agencies (${imported.data.encoding})`);
  } else {
    console.log(`sample: registry already holds ${existing.data.total} agencies, import skipped`);
  }

  const cohort = await call('GET', `/cycles/${CYCLE}/cohort?pageSize=1`, token);
  if (cohort.status === 404) {
    const codes = csv.toString('utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[0]);
    const put = await call('PUT', `/cycles/${CYCLE}/cohort`, token, {
      announcedCount: ANNOUNCED,
      members: codes.map((agencyCode) => ({ agencyCode })),
    });
    if (put.status !== 200) throw new Error(`cohort failed: ${put.status} ${JSON.stringify(put.data).slice(0, 2000)}`);
    console.log(`sample: cohort ${CYCLE} = ${put.data.finalCount} agencies ${JSON.stringify(put.data.byGroup)}`);
  } else {
    console.log(`sample: cohort ${CYCLE} already registered (${cohort.data?.summary?.finalCount} agencies)`);
  }
  // Contacts before the cycle opens, so that whoever announces the cycle finds someone to tell.
  await addSampleContacts(token, freshRegistry);
  const cycle = await openSampleCycle(token);
  const byKind = [];
  for (const kind of ['department', 'regional_unit', 'special_local']) {
    byKind.push(`${kind} ${(await call('GET', `/agencies?kind=${kind}&pageSize=1`, token)).data.total}`);
  }
  console.log(`sample: agencies by kind: ${byKind.join(', ')}`);

  // Scores are computed as submissions arrive, so the rules go on the cycle before any answer.
  await putScoringRules(token);
  await importPreviousResults(token);
  const noAnswers = ANSWERS === 'none' || ANSWERS === '0';
  if (noAnswers) console.log('sample: answers skipped (--answers none)');
  else await answerSample(token, { closed: cycle.status !== 'open' });
  if (KEEP_OPEN || (noAnswers && cycle.status === 'open')) {
    console.log(`sample: cycle ${CYCLE} stays open (${KEEP_OPEN ? '--keep-open' : 'no answers'}): results and awards are published only once it is closed`);
  } else if (await finishYear(token)) {
    await sampleAwards(token);
  }
  await newcomerCycle(token, csv);
}

// ---------------------------------------------------------------------------------------------
// For a newcomer in the portal (development only): the next year's cycle open with nobody's
// answers, and a coordinator and a head of one sample agency who can sign in and answer it.

/** Today in Asia/Bangkok as YYYY-MM-DD (a bare date is that day in Bangkok for intake). */
const bangkokToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok' }).format(new Date());

async function newcomerCycle(token, csv) {
  if (process.env.NODE_ENV === 'production') {
    console.log(`sample: no sample logins and no open ${OPEN_CYCLE} cycle: NODE_ENV=production (they are for development only)`);
    return;
  }
  // The cohort: the same agencies as 2565.
  const cohort = await call('GET', `/cycles/${OPEN_CYCLE}/cohort?pageSize=1`, token);
  if (cohort.status === 404) {
    const codes = csv.toString('utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[0]);
    const put = await call('PUT', `/cycles/${OPEN_CYCLE}/cohort`, token, {
      announcedCount: codes.length,
      members: codes.map((agencyCode) => ({ agencyCode })),
    });
    if (put.status !== 200) throw new Error(`cohort ${OPEN_CYCLE} failed: ${problem(put)}`);
    console.log(`sample: cohort ${OPEN_CYCLE} = ${put.data.finalCount} agencies (the same as ${CYCLE})`);
  } else if (cohort.status !== 200) {
    throw new Error(`cohort ${OPEN_CYCLE}: ${problem(cohort)}`);
  }

  // The cycle, with the same questionnaire (the very one of 2565) and the same rules.
  const closesAt = () => new Date(Date.now() + OPEN_CYCLE_DAYS * 86_400_000).toISOString();
  let cycle = await call('GET', `/cycles/${OPEN_CYCLE}`, token);
  if (cycle.status === 404) {
    cycle = await call('POST', '/cycles', token, {
      id: OPEN_CYCLE,
      yearBE: Number(OPEN_CYCLE),
      title: {
        th: `การสำรวจระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงานภาครัฐ ประจำปี พ.ศ. ${OPEN_CYCLE} (ตัวอย่าง)`,
        en: `Digital Government Readiness Survey B.E. ${OPEN_CYCLE} (${Number(OPEN_CYCLE) - 543}) (sample)`,
      },
      opensAt: bangkokToday(),
      closesAt: closesAt(),
    });
    if (cycle.status !== 201) throw new Error(`cycle ${OPEN_CYCLE} failed: ${problem(cycle)}`);
  } else if (cycle.status !== 200) {
    throw new Error(`cycle ${OPEN_CYCLE}: ${problem(cycle)}`);
  }
  if (!cycle.data.questionnaireId && cycle.data.status === 'draft') {
    const previous = await call('GET', `/cycles/${CYCLE}`, token);
    if (!previous.data?.questionnaireId) throw new Error(`cycle ${CYCLE} has no questionnaire to reuse`);
    const attached = await call('PUT', `/cycles/${OPEN_CYCLE}/questionnaire`, token, {
      questionnaireId: previous.data.questionnaireId,
      version: cycle.data.version,
    });
    if (attached.status !== 200) throw new Error(`attach to ${OPEN_CYCLE} failed: ${problem(attached)}`);
    cycle = attached;
  }
  await putScoringRulesOn(token, OPEN_CYCLE);
  if (cycle.data.status === 'draft') {
    const opened = await call('POST', `/cycles/${OPEN_CYCLE}/open`, token);
    if (opened.status !== 200) throw new Error(`open ${OPEN_CYCLE} failed: ${problem(opened)}`);
    console.log(`sample: cycle ${OPEN_CYCLE} open for ${opened.data.agencyCount} agencies until ${opened.data.closesAt}, nobody's answers filled`);
  } else if (cycle.data.status === 'open' && Date.parse(cycle.data.closesAt) < Date.now() + 14 * 86_400_000) {
    // An old development database: the deadline moves on, so there is still time to answer.
    const moved = await call('PATCH', `/cycles/${OPEN_CYCLE}`, token, { closesAt: closesAt(), version: cycle.data.version });
    if (moved.status !== 200) throw new Error(`deadline of ${OPEN_CYCLE} not moved: ${problem(moved)}`);
    console.log(`sample: cycle ${OPEN_CYCLE} is open; its deadline moved to ${moved.data.closesAt}`);
  } else {
    console.log(`sample: cycle ${OPEN_CYCLE} is ${cycle.data.status} (until ${cycle.data.closesAt})`);
  }

  // The people of the sample agency.
  const found = await call('GET', `/agencies?q=${encodeURIComponent(SAMPLE_AGENCY_CODE)}&pageSize=10`, token);
  const agency = found.data?.items?.find((a) => a.code === SAMPLE_AGENCY_CODE);
  if (!agency) throw new Error(`sample agency ${SAMPLE_AGENCY_CODE} not in the registry`);
  for (const person of SAMPLE_PEOPLE) {
    const find = async () =>
      (await call('GET', `/users?q=${encodeURIComponent(person.email)}&pageSize=10`, token)).data?.items?.find((u) => u.email === person.email);
    let user = await find();
    if (!user) {
      const r = await call('POST', '/users', token, {
        email: person.email,
        displayName: person.displayName,
        password: person.password,
        roles: person.roles,
        agencyId: agency.id,
      });
      if (r.status === 201) user = r.data;
      else if (r.status === 409) user = await find();
      else throw new Error(`sample user ${person.email}: ${problem(r)}${r.data?.errors ? ` ${JSON.stringify(r.data.errors)}` : ''}`);
    }
    if (user?.agencyId !== agency.id || !person.roles.every((role) => user.roles.includes(role)) || user.active === false) {
      warn(`user ${person.email} exists but is not an active ${person.roles.join('/')} of ${SAMPLE_AGENCY_CODE}: left as it is`);
    }
  }
  console.log(`sample: logins of ${SAMPLE_AGENCY_CODE} ${agency.nameTh ?? ''} for cycle ${OPEN_CYCLE} (development only, never made with NODE_ENV=production):`);
  for (const line of sampleLoginLines('  ')) console.log(`sample: ${line}`);
}

/**
 * The order DGA runs a year in: the cycle closed, then every submitted response verified or set
 * aside, then (sampleAwards) the results published and the awards announced. The sample's
 * verified responses were verified while answering; those it leaves submitted are set aside,
 * through the gateway as the admin, with a reason. False when publication cannot follow.
 */
async function finishYear(token) {
  const cycle = await call('GET', `/cycles/${CYCLE}`, token);
  if (cycle.data?.status === 'open') {
    const closed = await call('POST', `/cycles/${CYCLE}/close`, token);
    if (closed.status !== 200 && closed.data?.code !== 'CYCLE_NOT_OPEN') throw new Error(`close failed: ${problem(closed)}`);
    console.log(`sample: cycle ${CYCLE} closed (the real order: close, verify, publish, award)`);
  }
  let setAside = 0;
  for (let round = 0; round < 20; round++) {
    const r = await call('GET', `/cycles/${CYCLE}/publication-readiness`, token);
    if (r.status !== 200) {
      warn(`results not published: publication readiness: ${scoringTrouble(r, 'GET /cycles/:id/publication-readiness')}`);
      return false;
    }
    if (r.data.ready) {
      if (setAside) console.log(`sample: ${setAside} submitted responses set aside (not verified before publication)`);
      return true;
    }
    const before = setAside;
    await pool(r.data.blocking.items, CONCURRENCY, async (item) => {
      const path = `/cycles/${CYCLE}/responses/${item.agencyId}`;
      const current = await call('GET', path, token);
      const done = await call('POST', `${path}/set-aside`, token, { reason: SET_ASIDE_REASON, version: current.data?.version });
      if (done.status === 200) setAside++;
      else warn(`response ${item.agencyCode} not set aside: ${problem(done)}`);
    });
    if (setAside === before) {
      warn(`results not published: ${r.data.blocking.total} responses still hold publication back (${JSON.stringify(r.data.blocking.byReason)})`);
      return false;
    }
  }
  return false;
}

/** Runs `work` on every item, `limit` at a time. */
async function pool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------------
// Contacts: one made-up survey coordinator per cohort agency (synthetic; example.go.th addresses
// are reserved-looking and go nowhere, and `npm start` catches all mail in a stand-in anyway).

const FIRST_NAMES = ['สมชาย', 'สมหญิง', 'ประเสริฐ', 'วิไลวรรณ', 'ธนพล', 'กมลชนก', 'อนุชา', 'ศิริพร', 'ณัฐวุฒิ', 'พิมพ์ชนก', 'วรวุฒิ', 'สุภาพร', 'ชยพล', 'อรอุมา', 'ปิยะพงษ์', 'จิราภรณ์'];
const LAST_NAMES = ['ใจดี', 'รักษ์ไทย', 'ศรีสุข', 'บุญมา', 'ทองคำ', 'วงศ์สวัสดิ์', 'แก้วมณี', 'พึ่งบุญ', 'สายสุวรรณ', 'มีสุข', 'เจริญผล', 'ชัยมงคล'];

/** The sample coordinator of one agency, the same on every run (derived from the agency code). */
function sampleContact(code) {
  const h = createHash('sha256').update(`sample-contact:${code}`).digest();
  return {
    fullName: `${FIRST_NAMES[h[0] % FIRST_NAMES.length]} ${LAST_NAMES[h[1] % LAST_NAMES.length]}`,
    position: 'ผู้ประสานงานการสำรวจ',
    email: `${code.toLowerCase()}@example.go.th`,
    // About half have LINE: a user id has the shape of LINE's (U + 32 hex), made up from the code.
    ...(h[2] % 2 === 0 ? { lineId: `U${h.subarray(3, 19).toString('hex')}` } : {}),
    purpose: 'ประสานงานการสำรวจความพร้อมรัฐบาลดิจิทัล (survey coordination)',
    legalBasis: 'public_task',
  };
}

async function listCohort(token) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await call('GET', `/cycles/${CYCLE}/cohort?page=${page}&pageSize=500`, token);
    if (r.status !== 200) throw new Error(`listing the cohort failed: ${problem(r)}`);
    out.push(...r.data.items);
    if (out.length >= r.data.total || !r.data.items.length) return out;
  }
}

/**
 * One contact per cohort agency through POST /agencies/:id/contacts; agencies that have one are
 * left alone. When this run imported the agencies none can have a contact yet, so the check per
 * agency (a GET each) is skipped and the first run makes 1,876 calls, a later run as many GETs.
 */
async function addSampleContacts(token, freshRegistry) {
  const started = performance.now();
  const members = await listCohort(token);
  const stats = { created: 0, existing: 0, failed: 0, withLine: 0, failures: [] };
  let streak = 0;
  await pool(members, CONTACT_CONCURRENCY, async ({ agencyId, agencyCode }) => {
    if (streak >= 25) return; // the gateway or the registry is not there: say so once, below
    try {
      if (!freshRegistry) {
        const held = await call('GET', `/agencies/${agencyId}/contacts`, token);
        if (held.status !== 200) throw new Error(problem(held));
        if (held.data.items.length) {
          stats.existing++;
          return;
        }
      }
      const contact = sampleContact(agencyCode);
      const r = await call('POST', `/agencies/${agencyId}/contacts`, token, contact);
      if (r.status !== 201) throw new Error(problem(r));
      stats.created++;
      if (contact.lineId) stats.withLine++;
      streak = 0;
    } catch (e) {
      stats.failed++;
      streak++;
      if (stats.failures.length < 5) stats.failures.push(`${agencyCode}: ${e.message}`);
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `sample: contacts: ${stats.created} created (${stats.withLine} with LINE), ${stats.existing} agencies already had one, ${stats.failed} failed; ${seconds} s`,
  );
  if (stats.failed) {
    warn(`${stats.failed} contacts failed${streak >= 25 ? ' (stopped after 25 failures in a row)' : ''}:\n  ${stats.failures.join('\n  ')}`);
  }
}

async function openSampleCycle(token) {
  let cycle = await call('GET', `/cycles/${CYCLE}`, token);
  if (cycle.status === 404) {
    const days = Number(process.env.SAMPLE_OPEN_DAYS ?? 90);
    cycle = await call('POST', '/cycles', token, {
      id: CYCLE,
      yearBE: 2565,
      title: {
        th: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงานภาครัฐ ประจำปี พ.ศ. 2565 (ตัวอย่าง)',
        en: 'Digital Government Readiness Survey B.E. 2565 (2022) (sample)',
      },
      opensAt: '2022-05-25',
      closesAt: new Date(Date.now() + days * 86_400_000).toISOString(),
    });
    if (cycle.status !== 201) throw new Error(`cycle failed: ${cycle.status} ${JSON.stringify(cycle.data)}`);
  }
  if (!cycle.data.questionnaireId) {
    const definition = JSON.parse(readFileSync(join(root, 'packages/survey-model/samples/questionnaire-2565.json'), 'utf8'));
    let q = await call('POST', '/questionnaires', token, definition);
    if (q.status !== 201) throw new Error(`questionnaire failed: ${q.status} ${JSON.stringify(q.data).slice(0, 2000)}`);
    const attached = await call('PUT', `/cycles/${CYCLE}/questionnaire`, token, { questionnaireId: q.data.id, version: cycle.data.version });
    if (attached.status !== 200) throw new Error(`attach failed: ${attached.status} ${JSON.stringify(attached.data)}`);
    cycle = attached;
    console.log(`sample: questionnaire ${q.data.key} v${q.data.version} (${q.data.questionCount} questions) attached to cycle ${CYCLE}`);
  }
  if (cycle.data.status === 'draft') {
    const opened = await call('POST', `/cycles/${CYCLE}/open`, token);
    if (opened.status !== 200) throw new Error(`open failed: ${opened.status} ${JSON.stringify(opened.data)}`);
    console.log(`sample: cycle ${CYCLE} open for ${opened.data.agencyCount} agencies until ${opened.data.closesAt}`);
    return opened.data;
  }
  console.log(`sample: cycle ${CYCLE} is ${cycle.data.status}`);
  return cycle.data;
}

// ---------------------------------------------------------------------------------------------
// Scoring: the sample rules on the cycle, and last cycle's results for year-over-year change.
// Both are optional for the rest of the sample: a gateway or scoring service that does not have
// them yet gets a warning, and loading goes on.

/** Why a scoring call did not work, in words for the warning. */
function scoringTrouble(r, route) {
  if (r.status === 404 && (!r.data?.code || r.data.code === 'NOT_FOUND' || r.data.code === 'ROUTE_NOT_FOUND')) {
    return `the gateway has no ${route} route yet`;
  }
  if (r.status === 503 || r.status === 504) return `the scoring service does not answer (${problem(r)})`;
  return problem(r);
}

const putScoringRules = (token) => putScoringRulesOn(token, CYCLE);

async function putScoringRulesOn(token, cycleId) {
  if (!existsSync(RULES_PATH)) {
    warn(`no sample scoring rules at ${RULES_PATH.slice(root.length + 1)}; scores wait until rules are put on cycle ${cycleId}`);
    return;
  }
  const rules = JSON.parse(readFileSync(RULES_PATH, 'utf8'));
  const current = await call('GET', `/cycles/${cycleId}/scoring-rules`, token);
  if (current.status === 200 && current.data?.rulesId === rules.id && current.data?.rules?.version === rules.version) {
    console.log(`sample: scoring rules ${rules.id} v${rules.version} already on cycle ${cycleId} (version ${current.data.version})`);
    return;
  }
  const put = await call('PUT', `/cycles/${cycleId}/scoring-rules`, token, rules);
  if (put.status === 200 || put.status === 201) {
    console.log(`sample: scoring rules ${rules.id} v${rules.version} put on cycle ${cycleId} (version ${put.data?.version}, ${put.data?.method})`);
  } else {
    warn(`scoring rules not put on cycle ${cycleId}: ${scoringTrouble(put, `PUT /cycles/:id/scoring-rules`)}`);
  }
}

async function importPreviousResults(token) {
  if (!existsSync(PREVIOUS_RESULTS_PATH)) {
    warn(`no ${PREVIOUS_RESULTS_PATH.slice(root.length + 1)} (node scripts/sample/make-results-2564.mjs writes it)`);
    return;
  }
  const form = new FormData();
  form.append('file', new Blob([readFileSync(PREVIOUS_RESULTS_PATH)], { type: 'text/csv' }), 'results-2564.csv');
  const r = await call('POST', `/cycles/${PREVIOUS_CYCLE}/results/import`, token, form);
  if (r.status === 200 || r.status === 201) {
    console.log(`sample: previous results ${PREVIOUS_CYCLE}: ${r.data?.imported} imported (${r.data?.replaced ?? 0} replaced)`);
  } else {
    warn(`previous results ${PREVIOUS_CYCLE} not imported: ${scoringTrouble(r, `POST /cycles/:id/results/import`)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Awards: a sample round on the 2565 cycle, through the gateway like a DGA admin and a committee
// chair would. Optional like scoring: without the awards routes (404) or the awards service (503)
// it says so and loading goes on. Publishing the results is final (they freeze), so it waits until
// scoring has caught up with the submitted and verified responses; categories are made only for
// agency groups that have verified published scores (a published cycle gets no new ones), and the
// announcement only when every category has been decided.

const SCORES_WAIT_MS = Math.max(0, Number(process.env.SAMPLE_SCORES_WAIT_S ?? 120)) * 1000;
const COMMITTEE_PASSWORD = process.env.SAMPLE_COMMITTEE_PASSWORD ?? 'committee-2565';
/** Made-up committee members (gateway users with the role committee); the first chairs. */
const SAMPLE_COMMITTEE = [
  { email: 'sample-committee-1@example.go.th', name: 'ศาสตราจารย์สมมติ ใจกว้าง (กรรมการตัวอย่าง)' },
  { email: 'sample-committee-2@example.go.th', name: 'นางสาวตัวอย่าง รอบคอบ (กรรมการตัวอย่าง)' },
  { email: 'sample-committee-3@example.go.th', name: 'นายทดลอง เที่ยงธรรม (กรรมการตัวอย่าง)' },
];

/** The pillar of the sample questionnaire about data (the one with the data-management indicator). */
function dataPillar() {
  const q = JSON.parse(readFileSync(join(root, 'packages/survey-model/samples/questionnaire-2565.json'), 'utf8'));
  const p = q.pillars.find((x) => (x.indicators ?? []).some((i) => /data management/i.test(i.title?.en ?? '')));
  return p?.number ?? 4;
}

/** The sample categories, modelled on DGA's (DOMAIN.md): highest readiness per group, improvement, data governance. */
function sampleCategories(committee) {
  const sample = (th, en) => ({ th: `ตัวอย่าง: ${th}`, en: `Sample: ${en}` });
  const common = { committee, quorum: 1 };
  return [
    {
      key: 'top-department',
      name: { th: 'หน่วยงานระดับกรมที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด', en: 'Highest digital government readiness: departments' },
      description: sample('หน่วยงานระดับกรมหรือเทียบเท่าที่มีคะแนนรวมสูงสุด 3 อันดับ', 'the three department-level agencies with the highest overall score'),
      group: 'department',
      metric: 'overall',
      winners: 3,
      ...common,
    },
    {
      key: 'top-provincial',
      name: { th: 'หน่วยงานภาครัฐส่วนภูมิภาคที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด', en: 'Highest digital government readiness: provincial units' },
      description: sample('หน่วยงานส่วนภูมิภาคที่มีคะแนนรวมสูงสุด 5 อันดับ', 'the five regional units with the highest overall score'),
      group: 'provincial',
      metric: 'overall',
      winners: 5,
      ...common,
    },
    {
      key: 'top-local',
      name: { th: 'องค์กรปกครองส่วนท้องถิ่นที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด', en: 'Highest digital government readiness: local administrations' },
      description: sample('องค์กรปกครองส่วนท้องถิ่นที่มีคะแนนรวมสูงสุด', 'the local administration with the highest overall score'),
      group: 'local',
      metric: 'overall',
      winners: 1,
      ...common,
    },
    {
      key: 'most-improved-department',
      name: { th: 'หน่วยงานระดับกรมที่มีพัฒนาการด้านรัฐบาลดิจิทัลโดดเด่น', en: 'Most improved department' },
      description: sample('คะแนนรวมเพิ่มขึ้นจากปีก่อนมากที่สุด 3 อันดับ เฉพาะหน่วยงานที่มีผลปีก่อน', 'the three departments whose overall score rose most since last year (those with last year\'s score)'),
      group: 'department',
      metric: 'improvement',
      winners: 3,
      eligibility: { verifiedOnly: true, excludePreviousWinners: false, requirePrevious: true },
      tieBreaks: ['overall'],
      ...common,
    },
    {
      key: 'data-governance',
      name: { th: 'หน่วยงานที่มีการบริหารจัดการข้อมูลดีเด่น', en: 'Outstanding data governance' },
      description: sample('คะแนนตัวชี้วัดด้านการบริหารจัดการข้อมูลสูงสุด 3 อันดับ จากหน่วยงานที่มีคะแนนรวมอย่างน้อย 50', 'the three highest scores in the data pillar, among agencies with an overall score of at least 50'),
      group: null,
      metric: 'pillar',
      pillar: dataPillar(),
      winners: 3,
      eligibility: { verifiedOnly: true, excludePreviousWinners: false, minOverall: 50 },
      tieBreaks: ['overall'],
      ...common,
    },
  ];
}

/** Why an awards call did not work, in words for the warning (null: the round can go on). */
function awardsTrouble(r, route) {
  if (r.status === 404) return `the gateway has no ${route} route yet (${problem(r)})`;
  if (r.status === 503 || r.status === 504) return `the awards service does not answer (${problem(r)})`;
  return problem(r);
}

/** Every row of the 2565 results (all pages), with the counts at the top. */
async function allResults(token) {
  const rows = [];
  let first;
  for (let page = 1; ; page++) {
    const r = await call('GET', `/cycles/${CYCLE}/results?page=${page}&pageSize=500`, token);
    if (r.status !== 200) throw new Error(`results: ${problem(r)}`);
    first ??= r.data;
    rows.push(...r.data.rankings.items);
    if (rows.length >= r.data.rankings.total || !r.data.rankings.items.length) return { ...first, rows };
  }
}

/**
 * Waits until scoring has a scorecard for every submitted or verified response and the verified
 * ones are scored as verified (or SAMPLE_SCORES_WAIT_S passes). Returns what it saw.
 */
async function waitForScores(token) {
  const deadline = Date.now() + SCORES_WAIT_MS;
  for (;;) {
    const progress = await call('GET', `/cycles/${CYCLE}/progress`, token);
    const by = progress.data?.byStatus ?? {};
    const expected = (by.submitted ?? 0) + (by.resubmitted ?? 0) + (by.verified ?? 0);
    const expectedVerified = by.verified ?? 0;
    const head = await call('GET', `/cycles/${CYCLE}/results?pageSize=1`, token);
    if (head.status !== 200) return { ok: false, why: `results: ${scoringTrouble(head, 'GET /cycles/:id/results')}` };
    const { scored, failed } = head.data;
    let verified = null;
    if (scored + failed >= expected && expected > 0) {
      verified = (await allResults(token)).rows.filter((r) => r.verified).length;
      if (verified >= expectedVerified) return { ok: true, scored, verified };
    }
    const state = `${scored} of ${expected} submitted responses scored${verified === null ? '' : `, ${verified} of ${expectedVerified} verified`}`;
    if (expected === 0) return { ok: false, why: 'no response is submitted yet' };
    if (Date.now() >= deadline) return { ok: false, why: `scoring has not caught up after ${SCORES_WAIT_MS / 1000} s (${state})` };
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** The sample committee as gateway users (made once; found by e-mail afterwards). */
async function committeeUsers(token) {
  const users = [];
  for (const [i, m] of SAMPLE_COMMITTEE.entries()) {
    const find = async () =>
      (await call('GET', `/users?q=${encodeURIComponent(m.email)}&pageSize=10`, token)).data?.items?.find((u) => u.email === m.email);
    let user = await find();
    if (!user) {
      const r = await call('POST', '/users', token, { email: m.email, displayName: m.name, password: COMMITTEE_PASSWORD, roles: ['committee'] });
      if (r.status === 201) user = r.data;
      else if (r.status === 409) user = await find();
      else throw new Error(`committee user ${m.email}: ${problem(r)}`);
    }
    if (!user?.roles?.includes('committee') || user.active === false) throw new Error(`user ${m.email} exists but is not an active committee member`);
    users.push({ userId: user.id, name: m.name, agencyId: null, chair: i === 0, email: m.email });
  }
  return users;
}

/** One line per category for the summary: its key and its winners' codes with their rank. */
function winnersSummary(categories) {
  const n = categories.reduce((k, c) => k + c.winners.length, 0);
  const lines = categories.map((c) => `  ${c.key}: ${c.winners.map((w) => `${w.agencyCode} (${w.rank})`).join(', ') || '-'}`);
  return `${categories.length} categories, ${n} winners\n${lines.join('\n')}`;
}

async function sampleAwards(token) {
  const probe = await call('GET', `/cycles/${CYCLE}/award-categories`, token);
  if (probe.status !== 200) {
    warn(`award round skipped: ${awardsTrouble(probe, 'GET /cycles/:id/award-categories')}`);
    return;
  }
  const before = await call('GET', `/cycles/${CYCLE}/awards`, token);
  if (before.status !== 200) {
    warn(`award round skipped: ${awardsTrouble(before, 'GET /cycles/:id/awards')}`);
    return;
  }
  if (before.data.announcedAt) {
    const pub = await call('GET', `/public/cycles/${CYCLE}/awards`);
    const summary = pub.status === 200 ? winnersSummary(pub.data.categories) : `${before.data.categories.length} categories`;
    console.log(`sample: awards ${CYCLE} already announced (${before.data.announcedAt}): ${summary}`);
    return;
  }

  // 1. Published results: the candidates come from them only.
  const results = await call('GET', `/cycles/${CYCLE}/results?pageSize=1`, token);
  if (results.status !== 200) {
    warn(`award round skipped: results of ${CYCLE}: ${scoringTrouble(results, 'GET /cycles/:id/results')}`);
    return;
  }
  if (results.data.status !== 'published') {
    const seen = await waitForScores(token);
    if (!seen.ok) {
      warn(`award round skipped: results of ${CYCLE} not published, ${seen.why}; run node scripts/load-sample.mjs again later`);
      return;
    }
    const published = await call('POST', `/cycles/${CYCLE}/results/publish`, token);
    if (published.status === 200) {
      console.log(`sample: results ${CYCLE} published: ${published.data.scored} agencies ${JSON.stringify(published.data.byGroup)}`);
    } else if (published.data?.code !== 'RESULTS_PUBLISHED') {
      warn(`award round skipped: results of ${CYCLE} not published: ${scoringTrouble(published, 'POST /cycles/:id/results/publish')}`);
      return;
    }
  }
  const verifiedByGroup = {};
  for (const r of (await allResults(token)).rows) if (r.verified) verifiedByGroup[r.group] = (verifiedByGroup[r.group] ?? 0) + 1;
  const verifiedTotal = Object.values(verifiedByGroup).reduce((a, b) => a + b, 0);

  // 2. The committee and the categories.
  let committee;
  try {
    committee = await committeeUsers(token);
  } catch (e) {
    warn(`award round skipped: ${e.message}`);
    return;
  }
  const members = committee.map(({ email: _email, ...m }) => m);
  const existing = new Map(probe.data.items.map((c) => [c.key, c]));
  const notMade = [];
  for (const spec of sampleCategories(members)) {
    const current = existing.get(spec.key);
    if (!current) {
      const have = spec.group ? (verifiedByGroup[spec.group] ?? 0) : verifiedTotal;
      if (!have) {
        notMade.push(`${spec.key} (no verified published score in group ${spec.group ?? 'any'})`);
        continue;
      }
      const r = await call('POST', `/cycles/${CYCLE}/award-categories`, token, spec);
      if (r.status !== 201) {
        warn(`award round skipped: category ${spec.key} not created: ${problem(r)}${r.data?.errors ? ` ${JSON.stringify(r.data.errors).slice(0, 500)}` : ''}`);
        return;
      }
      continue;
    }
    // Made by an earlier run with other committee users (e.g. the gateway's database was reset):
    // an undecided category whose committee is the sample one takes this run's users, so that the
    // chair below is a member. A category someone gave another committee is left to it.
    const ids = (list) => list.map((m) => `${m.userId}:${m.chair}`).sort().join();
    const sampleNames = new Set(SAMPLE_COMMITTEE.map((m) => m.name));
    const sampleCommittee = (current.committee ?? []).length > 0 && current.committee.every((m) => sampleNames.has(m.name));
    if (!['decided', 'announced'].includes(current.status) && sampleCommittee && ids(current.committee) !== ids(members)) {
      const r = await call('PATCH', `/award-categories/${current.id}`, token, { committee: members, version: current.version });
      if (r.status !== 200) warn(`category ${spec.key}: committee not updated: ${problem(r)}`);
    }
  }
  if (notMade.length) console.log(`sample: award categories not made: ${notMade.join(', ')}`);

  // 3. Candidates, then the chair's confirmation of each undecided category.
  const computed = await call('POST', `/cycles/${CYCLE}/awards/candidates`, token);
  if (computed.status !== 200) {
    warn(`award round skipped: candidates: ${awardsTrouble(computed, 'POST /cycles/:id/awards/candidates')}`);
    return;
  }
  const chair = committee.find((m) => m.chair);
  const undecided = computed.data.categories.filter((c) => c.status !== 'decided');
  const blocked = [];
  if (undecided.length) {
    const login = await call('POST', '/auth/login', undefined, { email: chair.email, password: COMMITTEE_PASSWORD });
    if (login.status !== 200) {
      warn(`award round skipped: the sample chair ${chair.email} cannot log in (${problem(login)}); set SAMPLE_COMMITTEE_PASSWORD to their password`);
      return;
    }
    const chairToken = login.data.accessToken;
    for (const c of undecided) {
      const eligible = c.candidates.filter((x) => x.eligible).length;
      if (!c.committee.some((m) => m.userId === chair.userId && m.chair)) {
        blocked.push(`${c.key} (not a sample category: its own committee decides)`);
        continue;
      }
      if (!eligible) {
        blocked.push(`${c.key} (no eligible candidate among ${c.candidates.length})`);
        continue;
      }
      const r = await call('POST', `/award-categories/${c.id}/decisions`, chairToken, { type: 'confirm' });
      if (r.status !== 200) blocked.push(`${c.key} (${problem(r)})`);
    }
  }
  if (blocked.length) {
    warn(`awards ${CYCLE} not announced: categories not decided: ${blocked.join('; ')}`);
    return;
  }

  // 4. The announcement (notifications sends each winning agency its award news).
  const announced = await call('POST', `/cycles/${CYCLE}/awards/announce`, token);
  if (announced.status !== 200) {
    warn(`awards ${CYCLE} not announced: ${awardsTrouble(announced, 'POST /cycles/:id/awards/announce')}`);
    return;
  }
  console.log(`sample: awards ${CYCLE} announced: ${winnersSummary(announced.data.categories)}`);
  console.log(`sample: winners: GET ${api}/public/cycles/${CYCLE}/awards (the winners' contacts get the award news)`);
}

// ---------------------------------------------------------------------------------------------
// Answers (development seeding tool; see the top of this file)

const rank = (status) => (status === 'resubmitted' ? STAGE_ORDER.indexOf('submitted') : STAGE_ORDER.indexOf(status));

class RpcError extends Error {
  constructor(subject, body) {
    super(`${subject}: ${body.code}${body.detail ? ` ${body.detail}` : ''}${body.errors ? ` ${JSON.stringify(body.errors).slice(0, 500)}` : ''}`);
    this.code = body.code;
  }
}

/** A small NATS client speaking the platform's RPC wire (packages/platform/src/rpc.ts). */
async function natsClient() {
  let nats;
  let obj;
  let contracts;
  let platform;
  try {
    nats = await import('@nats-io/transport-node');
    obj = await import('@nats-io/obj');
    contracts = await import('@dg/contracts');
    platform = await import('@dg/platform');
  } catch (e) {
    warn(`answers skipped: the NATS client or @dg/contracts is not installed here (${e.message}); run from the repository after npm ci and the build`);
    return null;
  }
  const { Rpc, Headers, FILES_BUCKET } = contracts.default ?? contracts;
  const { ActorSigner } = platform.default ?? platform;
  if (!process.env.ACTOR_SIGNING_KEY) {
    warn('answers skipped: ACTOR_SIGNING_KEY (the gateway\'s key, which intake verifies) is not set');
    return null;
  }
  const signer = new ActorSigner(process.env.ACTOR_SIGNING_KEY);
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const prefix = process.env.NATS_PREFIX ?? '';
  const subject = (name) => (prefix ? `${prefix}.${name}` : name);
  let nc;
  try {
    nc = await nats.connect({ servers: url.split(','), name: 'sample-loader', timeout: 5000 });
  } catch (e) {
    warn(`answers skipped: NATS at ${url} does not answer (${e.message})`);
    return null;
  }
  // The platform's transfer bucket (packages/platform/src/files.ts): same name and settings.
  const bucket = (prefix ? `${prefix.toUpperCase()}_${FILES_BUCKET}` : FILES_BUCKET).toLowerCase();
  const store = await new obj.Objm(nc).create(bucket, { ttl: 60 * 60 * 1000 * 1e6 });

  async function rpc(name, request, actor, timeout = 30_000) {
    const h = nats.headers();
    const correlationId = `sample-${randomUUID()}`;
    h.set(Headers.CorrelationId, correlationId);
    h.set(Headers.Actor, JSON.stringify(actor));
    h.set(Headers.ActorAssertion, signer.sign(Rpc[name], request, actor, correlationId));
    // Nest's NATS packets (the services' transport, ADR 0014): {pattern, data, id} out,
    // {id, response} or {id, err: {code, detail}} back.
    const packet = { pattern: subject(Rpc[name]), data: request, id: randomUUID() };
    const msg = await nc.request(subject(Rpc[name]), JSON.stringify(packet), { timeout, headers: h });
    const reply = msg.json();
    if (reply.err) throw new RpcError(Rpc[name], reply.err);
    return reply.response;
  }
  return { rpc, store, url, prefix, close: () => nc.drain() };
}

/** A one-page PDF saying what it is: synthetic sample evidence for one question. */
function samplePdf(questionId, n) {
  const text = `Sample evidence - synthetic, DG readiness sample 2565 - question ${questionId} - file ${n}`;
  const stream = `BT /F1 12 Tf 56 780 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/**
 * The sample PDFs in the transfer bucket, one object per question and file number, put once and
 * uploaded for every agency (intake stores its own copy per agency); removed when loading ends.
 */
function sampleFiles(store) {
  const objects = new Map();
  return {
    async get(questionId, n) {
      const key = `${questionId}/${n}`;
      if (!objects.has(key)) {
        const bytes = samplePdf(questionId, n);
        const objectName = `sample-evidence/${randomUUID()}`;
        objects.set(
          key,
          store.putBlob({ name: objectName, description: `application/pdf;sample.pdf` }, bytes).then(() => ({ objectName, size: bytes.byteLength })),
        );
      }
      return objects.get(key);
    },
    async removeAll() {
      for (const pending of objects.values()) {
        const o = await pending.catch(() => null);
        if (o) await store.delete(o.objectName).catch(() => undefined);
      }
    },
  };
}

async function listResponses(token) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await call('GET', `/cycles/${CYCLE}/responses?page=${page}&pageSize=500`, token);
    if (r.status !== 200) throw new Error(`listing responses failed: ${problem(r)}`);
    out.push(...r.data.items);
    if (out.length >= r.data.total || !r.data.items.length) return out;
  }
}

async function answerSample(token, { closed = false } = {}) {
  if (process.env.NODE_ENV === 'production') {
    warn('answers skipped: NODE_ENV=production (sample answers are for development only)');
    return;
  }
  const started = performance.now();
  const nats = await natsClient();
  if (!nats) return;
  try {
    const questionnaire = readQuestionnaire();
    const sample = readAgencies();
    // --answers N: a fixed part of the sample (the first N codes), so that a second run skips it.
    const codes = new Set(sample.map((a) => a.code).sort().slice(0, ANSWERS === 'all' ? undefined : Number(ANSWERS)));
    const agencies = new Map(sample.filter((a) => codes.has(a.code)).map((a) => [a.code, a]));
    const provinces = await call('GET', '/provinces', token);
    const provinceName = new Map((provinces.data?.items ?? []).map((p) => [p.code, p.nameTh]));
    const responses = await listResponses(token);
    const stats = { answered: 0, skipped: 0, failed: 0, files: 0, rejected: 0, byStage: {}, failures: [] };
    const work = [];
    for (const r of responses) {
      const agency = agencies.get(r.agencyCode);
      if (!agency) continue; // not a sample agency (or not in the part asked for)
      const plan = samplePlan(questionnaire, { ...agency, provinceName: provinceName.get(agency.provinceCode) });
      if (r.status === 'returned' || rank(r.status) >= rank(plan.stage)) stats.skipped++;
      else work.push({ response: r, plan });
    }
    if (!work.length) {
      console.log(`sample: answers already loaded (${stats.skipped} responses at or past their sample stage)`);
      return;
    }
    if (closed) {
      console.log(`sample: cycle ${CYCLE} is closed: ${work.length} sample responses left as they were (${stats.skipped} at or past their stage)`);
      return;
    }
    // The intake on this NATS and prefix must be the one behind the gateway: it knows a response
    // that the gateway listed, at the same version. Fails fast (no responders) when nothing is there.
    const where = `NATS ${nats.url}${nats.prefix ? ` (prefix ${nats.prefix})` : ''}`;
    try {
      const [{ response: probe, plan }] = work;
      const coordinator = { id: `sample-loader:coordinator:${plan.code}`, roles: ['coordinator'], agencyId: probe.agencyId };
      const seen = await nats.rpc('ResponseGet', { cycleId: CYCLE, agencyId: probe.agencyId }, coordinator, 5000);
      if (seen.version !== probe.version) throw new Error(`response ${plan.code} is at version ${seen.version} there, ${probe.version} through the gateway`);
    } catch (e) {
      warn(`answers skipped: the intake behind ${gateway} does not answer on ${where}; set NATS_URL and NATS_PREFIX as intake has them (${e.message})`);
      return;
    }
    console.log(`sample: answering ${work.length} responses through intake over NATS (development seeding; ${stats.skipped} already done)`);
    const files = sampleFiles(nats.store);
    let next = 0;
    let streak = 0;
    const worker = async () => {
      while (next < work.length && streak < 25) {
        const item = work[next++];
        try {
          await advance(nats, files, token, item, stats);
          stats.answered++;
          stats.byStage[item.plan.stage] = (stats.byStage[item.plan.stage] ?? 0) + 1;
          streak = 0;
        } catch (e) {
          stats.failed++;
          streak++;
          if (stats.failures.length < 5) stats.failures.push(`${item.plan.code}: ${e.message}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
    } finally {
      await files.removeAll();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const stages = STAGE_ORDER.filter((s) => stats.byStage[s]).map((s) => `${stats.byStage[s]} ${s.replace('_', ' ')}`);
    console.log(
      `sample: answers: ${stats.answered} responses taken to their sample stage (${stages.join(', ')}), ` +
        `${stats.skipped} left as they were, ${stats.failed} failed; ${stats.files} evidence files, ${stats.rejected} rejected at verification; ${seconds} s`,
    );
    if (stats.failed) {
      warn(`${stats.failed} responses failed${streak >= 25 ? ' (stopped after 25 failures in a row)' : ''}:\n  ${stats.failures.join('\n  ')}`);
    }
    console.log(`sample: scores follow in the background: GET ${api}/cycles/${CYCLE}/results`);
  } finally {
    await nats.close();
  }
}

/** Takes one response from where it is to its plan's stage, one allowed step after another. */
async function advance(nats, files, token, { response, plan }, stats) {
  const key = { cycleId: CYCLE, agencyId: response.agencyId };
  const coordinator = { id: `sample-loader:coordinator:${plan.code}`, roles: ['coordinator'], agencyId: response.agencyId };
  const approver = { id: `sample-loader:approver:${plan.code}`, roles: ['approver'], agencyId: response.agencyId };
  const target = rank(plan.stage);
  let status = response.status;
  let version = response.version;
  let answers;

  if (rank(status) <= rank('in_progress')) {
    const patch = { ...plan.answers };
    // Evidence: an earlier, interrupted run may have attached some already.
    const before = status === 'in_progress' ? (await nats.rpc('ResponseGet', key, coordinator)).answers : {};
    for (const e of plan.evidence) {
      if (Array.isArray(before[e.questionId]) && before[e.questionId].length) continue;
      const ids = [];
      for (let n = 1; n <= e.files; n++) {
        const { objectName, size } = await files.get(e.questionId, n);
        const file = { objectName, fileName: `${plan.code}-${e.questionId}-${n}.pdf`, contentType: 'application/octet-stream', size };
        ids.push((await nats.rpc('EvidenceUpload', { ...key, questionId: e.questionId, file }, coordinator)).id);
        stats.files++;
      }
      patch[e.questionId] = ids;
    }
    const saved = await nats.rpc('ResponseSave', { ...key, patch: { version, answers: patch } }, coordinator);
    ({ status, version, answers } = saved);
  }
  if (target >= rank('awaiting_approval') && rank(status) < rank('awaiting_approval')) {
    ({ status, version, answers } = await nats.rpc('ResponseSubmit', { ...key, version }, coordinator));
  }
  if (target >= rank('submitted') && rank(status) < rank('submitted')) {
    ({ status, version, answers } = await nats.rpc('ResponseApprove', { ...key, version, decision: 'approve' }, approver));
  }
  if (target >= rank('verified') && rank(status) < rank('verified')) {
    // The operator's part goes through the gateway, as the admin who is logged in.
    answers ??= (await call('GET', `/cycles/${CYCLE}/responses/${response.agencyId}`, token)).data?.answers ?? {};
    const rejected = new Set(plan.rejectedEvidence);
    const verdicts = plan.evidence
      .filter((e) => Array.isArray(answers[e.questionId]) && answers[e.questionId].length)
      .map((e) =>
        rejected.has(e.questionId)
          ? { questionId: e.questionId, verdict: 'rejected', comment: 'เอกสารไม่ตรงกับที่ระบุในคำตอบ (the file does not show what the answer claims) — sample verdict' }
          : { questionId: e.questionId, verdict: 'accepted' },
      );
    const r = await call('POST', `/cycles/${CYCLE}/responses/${response.agencyId}/verify`, token, { verdicts, complete: true, version });
    if (r.status !== 200) throw new Error(`verify: ${problem(r)}`);
    stats.rejected += verdicts.filter((v) => v.verdict === 'rejected').length;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
