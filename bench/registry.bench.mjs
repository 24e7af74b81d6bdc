// Registry import: 10,000 agencies (the census scale) through the real import path (parse the
// CSV, validate every row, upsert with audit rows and outbox events, one transaction), against a
// baseline of plain COPY of the same rows into the same table, in fresh databases, same run.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Client } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { NestFactory } = require('@nestjs/core');
const { createTestDatabase, deleteNatsPrefix, testPrefix, TEST_ACTOR_ENV } = require('@dg/platform/testing');
const { execFileSync } = require('node:child_process');
const { RegistryModule } = require('../apps/registry/dist/app.module');
const { registryConfig } = require('../apps/registry/dist/config');
const { AgencyImportService } = require('../apps/registry/dist/agencies/files/agency-import.service');
const provinces = require('../apps/registry/dist/reference/provinces.json');

const N = Number(process.env.BENCH_AGENCIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HEADER = 'code,name_th,name_en,kind,org_type,parent_code,ministry_code,province_code,status,effective_from';

/** A census-shaped file: departments, their regional units, and local administrations. */
function syntheticCsv(n) {
  const rows = [HEADER];
  const departments = Math.min(324, Math.floor(n / 10));
  for (let i = 1; i <= departments; i++) {
    rows.push(`B-D${i},กรมทดสอบที่ ${i},Test Department ${i},department,government_agency,,MDES,TH-10,active,2022-05-01`);
  }
  for (let i = departments + 1; rows.length <= n; i++) {
    const p = provinces[i % provinces.length].code;
    if (i % 5 === 0) {
      rows.push(`B-R${i},สำนักงานทดสอบจังหวัด ${i},Provincial Test Office ${i},regional_unit,government_agency,B-D${(i % departments) + 1},MDES,${p},active,2022-05-01`);
    } else {
      rows.push(`B-L${i},องค์การบริหารส่วนตำบลทดสอบ ${i},Test SAO ${i},local,government_agency,,MOI,${p},active,2022-05-01`);
    }
  }
  return Buffer.from(rows.join('\n') + '\n');
}

async function freshRegistry() {
  const db = await createTestDatabase('bench');
  const prefix = testPrefix('bench');
  execFileSync('node', [require.resolve('../apps/registry/dist/migrate.js')], { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' });
  const config = registryConfig({ DATABASE_URL: db.url, NATS_PREFIX: prefix, ...TEST_ACTOR_ENV, LOG_LEVEL: 'error' });
  const app = await NestFactory.createApplicationContext(RegistryModule.forRoot(config), { logger: ['error'] });
  const drop = async () => Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
  return { app, db: { ...db, drop } };
}

async function timeImport(csv) {
  const { app, db } = await freshRegistry();
  try {
    const importer = app.get(AgencyImportService);
    const ctx = { correlationId: 'bench', actor: { id: 'bench', roles: ['dga_admin'] } };
    const t0 = process.hrtime.bigint();
    const report = await importer.importBytes(csv, false, ctx);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (report.created !== N) throw new Error(`expected ${N} created, got ${report.created}`);
    return seconds;
  } finally {
    await app.close();
    await db.drop();
  }
}

/** Baseline: COPY the same rows (ids and parent ids resolved up front) into the same table. */
async function timeCopy(csv) {
  const { app, db } = await freshRegistry();
  await app.close();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const lines = csv.toString('utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const ids = new Map(lines.map((c) => [c[0], randomUUID()]));
    const tsv = lines
      .map((c) => [ids.get(c[0]), c[0], c[1], c[2], c[3], c[4], c[5] ? ids.get(c[5]) : '\\N', c[6], c[7], c[8], c[9]].join('\t'))
      .join('\n') + '\n';
    const t0 = process.hrtime.bigint();
    await client.query('BEGIN');
    await pipeline(
      Readable.from([tsv]),
      client.query(
        copyFrom(
          `COPY agencies (id, code, name_th, name_en, kind, org_type, parent_id, ministry_id, province_code, status, effective_from) FROM STDIN`,
        ),
      ),
    );
    await client.query('COMMIT');
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await client.end();
    await db.drop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const csv = syntheticCsv(N);
  const imports = [];
  const copies = [];
  for (let r = 0; r < ROUNDS; r++) {
    copies.push(await timeCopy(csv));
    imports.push(await timeImport(csv));
  }
  const importS = median(imports);
  const copyS = median(copies);
  const result = {
    agencies: N,
    rounds: ROUNDS,
    importSeconds: importS,
    copySeconds: copyS,
    importRowsPerSecond: Math.round(N / importS),
    copyRowsPerSecond: Math.round(N / copyS),
    importVsCopy: Number((importS / copyS).toFixed(2)),
  };
  console.log(`  import ${N} agencies (parse, validate, upsert, audit, outbox): ${result.importRowsPerSecond} rows/s (median of ${ROUNDS}, ${importS.toFixed(2)} s)`);
  console.log(`  baseline COPY of the same rows into the same table:          ${result.copyRowsPerSecond} rows/s (${copyS.toFixed(2)} s)`);
  console.log(`  ratio: the import takes ${result.importVsCopy}x the time of COPY`);
  return result;
}
