#!/usr/bin/env node
// Loads the sample 2565 data through the public API, the way a DGA admin would: log in, import
// apps/registry/sample/agencies-2565.csv, register the cycle's cohort, create the 2565 cycle,
// upload the sample questionnaire, attach it and open the cycle. Safe to run again: it skips what
// is already there. The sample cycle stays open for SAMPLE_OPEN_DAYS (default 90) from the first
// run, so people can try answering; the real 2565 survey closed in mid-2022.
//   node scripts/load-sample.mjs [--gateway http://localhost:3000]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.indexOf('--gateway');
const gateway = (arg > 0 ? process.argv[arg + 1] : process.env.GATEWAY_URL) ?? 'http://localhost:3000';
const api = `${gateway}/api/v1`;
const email = process.env.ADMIN_EMAIL ?? 'admin@dga.or.th';
const password = process.env.ADMIN_PASSWORD ?? 'admin-2565';
const CYCLE = '2565';
const ANNOUNCED = 1876;

async function call(method, path, token, body) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
    },
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  return { status: res.status, data };
}

async function main() {
  const login = await call('POST', '/auth/login', undefined, { email, password });
  if (login.status !== 200) throw new Error(`login as ${email} failed: ${login.status} ${JSON.stringify(login.data)}`);
  const token = login.data.accessToken;

  const csvPath = join(root, 'apps/registry/sample/agencies-2565.csv');
  const csv = readFileSync(csvPath);
  const existing = await call('GET', '/agencies?pageSize=1', token);
  if (existing.data.total === 0) {
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
  await openSampleCycle(token);
  const byKind = [];
  for (const kind of ['department', 'regional_unit', 'special_local']) {
    byKind.push(`${kind} ${(await call('GET', `/agencies?kind=${kind}&pageSize=1`, token)).data.total}`);
  }
  console.log(`sample: agencies by kind: ${byKind.join(', ')}`);
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
  } else {
    console.log(`sample: cycle ${CYCLE} is ${cycle.data.status}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
