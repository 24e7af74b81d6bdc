// Notifications at census scale: 10,000 briefing-invitation e-mails to a local SMTP server.
//  - the platform: one announcement through the notifications service in-process (campaign and
//    10,000 delivery rows in PostgreSQL, 10,000 BullMQ jobs, the e-mail worker rendering the Thai +
//    English template and sending over a pooled SMTP transport), cohort contacts served over NATS;
//  - the baseline, same run: a plain nodemailer loop on a pooled transport sending the same number
//    of messages (pre-rendered) to the same server.
// Reports messages/s, time to the last delivery, and lost / duplicated messages (both must be 0).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { SMTPServer } = require('smtp-server');
const nodemailer = require('nodemailer');
const { connect } = require('@nats-io/transport-node');
const { NestFactory } = require('@nestjs/core');
const { getQueueToken } = require('@nestjs/bullmq');
const { execFileSync } = require('node:child_process');
const { createTestDatabase, deleteNatsPrefix, freePort, testPrefix, waitFor, NATS_TEST_URL, TEST_ACTOR_ENV } = require('@dg/platform/testing');
const { NotificationsModule } = require('../apps/notifications/dist/app.module');
const { notificationsConfig } = require('../apps/notifications/dist/config');
const { CampaignsService } = require('../apps/notifications/dist/campaigns/campaigns.service');
const { QUEUES } = require('../apps/notifications/dist/deliveries/jobs');

const N = Number(process.env.BENCH_MESSAGES ?? 10_000);

/** A counting SMTP sink: received Message-IDs, so lost and duplicated messages can be told apart. */
async function sink() {
  const ids = [];
  let last = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      let head = '';
      stream.on('data', (c) => {
        if (head.length < 4096) head += c.toString('utf8');
      });
      stream.on('end', () => {
        const m = /^message-id:\s*(\S+)/im.exec(head);
        ids.push(m ? m[1] : '(none)');
        last = Date.now();
        cb();
      });
    },
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { port, ids, lastAt: () => last, close: () => new Promise((r) => server.close(r)) };
}

function tally(ids, expected) {
  const unique = new Set(ids);
  return { received: ids.length, lost: expected - unique.size, duplicates: ids.length - unique.size };
}

async function baseline(html, text) {
  const s = await sink();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5 });
  const t0 = Date.now();
  let next = 0;
  // As many in flight as the pool has connections (the loop a person would write).
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < N) {
        const i = next++;
        await transport.sendMail({ from: 'bench@dga.or.th', to: `agency${i}@example.go.th`, subject: 'เชิญประชุมชี้แจง | Briefing', html, text, messageId: `<b${i}@bench>` });
      }
    }),
  );
  const seconds = (s.lastAt() - t0) / 1000;
  transport.close();
  await s.close();
  return { seconds, ...tally(s.ids, N) };
}

async function platform() {
  const s = await sink();
  const db = await createTestDatabase('benchntf');
  const prefix = testPrefix('benchntf');
  execFileSync('node', [require.resolve('../apps/notifications/dist/migrate.js')], { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' });
  // The registry and intake, as far as an announcement needs them, answered over NATS.
  const nc = await connect({ servers: NATS_TEST_URL });
  const contacts = Array.from({ length: N }, (_, i) => ({
    agencyId: randomUUID(),
    agencyCode: `B-${i}`,
    agencyName: `หน่วยงานทดสอบที่ ${i}`,
    group: 'department',
    contact: {
      id: randomUUID(), agencyId: randomUUID(), fullName: `ผู้ประสานงาน ${i}`, position: null, email: `agency${i}@example.go.th`,
      phone: null, lineId: null, purpose: 'bench', legalBasis: 'public_task', erasedAt: null, createdAt: new Date().toISOString(),
    },
  }));
  // Nest's NATS packets (ADR 0014): the request is {pattern, data, id}, the reply {id, response}.
  const reply = (msg, data) => msg.respond(JSON.stringify({ id: msg.json().id, response: data, isDisposed: true }));
  nc.subscribe(`${prefix}.registry.cohort.contacts`, {
    callback: (_e, msg) => {
      const { page, pageSize } = msg.json().data;
      reply(msg, { items: contacts.slice((page - 1) * pageSize, page * pageSize), total: N, page, pageSize });
    },
  });
  nc.subscribe(`${prefix}.intake.cycle.get`, {
    callback: (_e, msg) => {
      const now = new Date().toISOString();
      reply(msg, {
        id: '2565', yearBE: 2565, title: { th: 'การสำรวจ 2565', en: 'Survey 2565' }, status: 'open', opensAt: now,
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), questionnaireId: null, questionnaireVersion: null,
        agencyCount: N, version: 1, createdAt: now, updatedAt: now,
      });
    },
  });
  const config = notificationsConfig({
    DATABASE_URL: db.url, NATS_PREFIX: prefix, ...TEST_ACTOR_ENV, BULL_PREFIX: `bench:${prefix}`, LOG_LEVEL: 'error',
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(s.port), EMAIL_RATE_PER_SECOND: '10000', SEND_CONCURRENCY: '20', SMTP_MAX_CONNECTIONS: '5',
  });
  const app = await NestFactory.createApplicationContext(NotificationsModule.forRoot(config), { logger: ['error'] });
  try {
    const t0 = Date.now();
    const summary = await app.get(CampaignsService).announce(
      '2565',
      { startsAt: '2022-05-25T09:00:00+07:00', meetingLink: 'https://meet.example.go.th/b', documents: [], attachments: [], channels: ['email'] },
      { correlationId: 'bench', actor: { id: 'bench', roles: ['dga_admin'] } },
    );
    const queuedAt = Date.now();
    await waitFor(async () => (s.ids.length >= N ? true : undefined), 30 * 60_000, 200);
    await new Promise((r) => setTimeout(r, 2000)); // any duplicate would arrive now
    const seconds = (s.lastAt() - t0) / 1000;
    const [{ sent }] = await app.get(require('typeorm').DataSource).query(`SELECT count(*)::int AS sent FROM deliveries WHERE status = 'sent'`);
    for (const q of Object.values(QUEUES)) await app.get(getQueueToken(q)).obliterate({ force: true });
    return { seconds, queueSeconds: (queuedAt - t0) / 1000, queued: summary.queued, loggedSent: sent, ...tally(s.ids, N) };
  } finally {
    await app.close();
    await nc.close();
    await s.close();
    await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
  }
}

export async function run() {
  const { TemplateRenderer } = require('../apps/notifications/dist/templates/renderer');
  const { DEFAULT_TEMPLATES, sampleVariables } = require('../apps/notifications/dist/templates/defaults');
  const rendered = new TemplateRenderer().render(DEFAULT_TEMPLATES.briefing_invitation, 'th', sampleVariables('briefing_invitation'));
  const base = await baseline(rendered.html, rendered.text);
  const plat = await platform();
  const result = {
    messages: N,
    platformSeconds: Number(plat.seconds.toFixed(2)),
    platformPerSecond: Math.round(N / plat.seconds),
    platformQueueSeconds: Number(plat.queueSeconds.toFixed(2)),
    platformLost: plat.lost,
    platformDuplicates: plat.duplicates,
    platformLoggedSent: plat.loggedSent,
    baselineSeconds: Number(base.seconds.toFixed(2)),
    baselinePerSecond: Math.round(N / base.seconds),
    baselineLost: base.lost,
    baselineDuplicates: base.duplicates,
    platformVsBaseline: Number((plat.seconds / base.seconds).toFixed(2)),
  };
  console.log(`  platform: ${N} invitations (campaign + delivery log + BullMQ + render + pooled SMTP): last delivered after ${result.platformSeconds} s = ${result.platformPerSecond} msg/s (recipients queued in ${result.platformQueueSeconds} s); lost ${plat.lost}, duplicated ${plat.duplicates}; log says sent ${plat.loggedSent}`);
  console.log(`  baseline: plain nodemailer loop, pooled transport, 5 connections: ${result.baselineSeconds} s = ${result.baselinePerSecond} msg/s; lost ${base.lost}, duplicated ${base.duplicates}`);
  console.log(`  ratio: the platform takes ${result.platformVsBaseline}x the time of the plain loop`);
  return result;
}
