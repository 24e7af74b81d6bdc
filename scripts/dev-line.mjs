#!/usr/bin/env node
// DEVELOPMENT STAND-IN for the LINE Messaging API: `npm start` runs it when
// LINE_CHANNEL_ACCESS_TOKEN is not set, and points notifications' LINE_API_BASE_URL here. It
// answers POST /v2/bot/message/push as LINE does (a Bearer token required, X-Line-Retry-Key
// accepted once, 409 for a repeat), logs each push, and lists them at GET /api/pushes (newest
// first) and at http://localhost:8026/. Nothing is delivered to anyone. Port: DEV_LINE_PORT.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

if (process.env.NODE_ENV === 'production') {
  console.error('dev-line: refusing to run with NODE_ENV=production (it is a development stand-in)');
  process.exit(1);
}

const PORT = Number(process.env.DEV_LINE_PORT ?? 8026);
// 127.0.0.1 unless told otherwise (docker compose sets 0.0.0.0 so the notifications container can reach it).
const HOST = process.env.DEV_LINE_HOST ?? '127.0.0.1';
const KEEP = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Newest first. */
const pushes = [];
/** retry key → { requestId, sentMessages } (LINE keeps a key for 24 hours; this keeps it while running). */
const accepted = new Map();

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function listPage() {
  const rows = pushes
    .map(
      (p) =>
        `<tr><td style="padding:6px 8px;vertical-align:top;white-space:nowrap">${esc(new Date(p.at).toLocaleString('th-TH', { timeZone: 'Asia/Bangkok' }))}</td>` +
        `<td style="padding:6px 8px;vertical-align:top">${esc(p.to)}</td>` +
        `<td style="padding:6px 8px"><pre style="margin:0;white-space:pre-wrap">${esc(p.messages.map((m) => m.text ?? `[${m.type}]`).join('\n---\n'))}</pre></td></tr>`,
    )
    .join('');
  return (
    `<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>dev-line: ${pushes.length} pushes</title></head>` +
    `<body style="font-family:Tahoma,'Noto Sans Thai',sans-serif;margin:24px;color:#1f2933">` +
    '<p style="background:#fff3cd;border:1px solid #e0b252;padding:8px 12px;font-weight:bold">DEVELOPMENT STAND-IN — nothing is delivered. ' +
    'These LINE pushes were caught on their way out.</p>' +
    `<h1 style="font-size:20px">Caught LINE pushes (${pushes.length}, newest first)</h1>` +
    `<p><a href="/api/pushes">/api/pushes</a> (JSON) · keeps the newest ${KEEP}</p>` +
    `<table style="border-collapse:collapse">${rows || '<tr><td>No pushes yet.</td></tr>'}</table></body></html>`
  );
}

function push(req, raw, reply) {
  const auth = req.headers.authorization ?? '';
  if (!/^Bearer \S+/.test(auth)) {
    return reply(401, { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
  }
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return reply(400, { message: 'The request body could not be parsed as JSON' });
  }
  const retryKey = req.headers['x-line-retry-key'];
  if (retryKey !== undefined && !UUID.test(String(retryKey))) {
    return reply(400, { message: "The value for the 'X-Line-Retry-Key' header is invalid" });
  }
  const done = retryKey ? accepted.get(retryKey) : undefined;
  if (done) {
    console.log(`[dev-line] 409 retry key ${retryKey} already accepted (request ${done.requestId})`);
    return reply(409, { message: 'The retry key is already accepted', sentMessages: done.sentMessages }, { 'x-line-accepted-request-id': done.requestId });
  }
  if (typeof body.to !== 'string' || body.to.length === 0) {
    return reply(400, { message: "The property, 'to', in the request body is invalid" });
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length < 1 || messages.length > 5) {
    return reply(400, { message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 5', property: 'messages' }] });
  }
  const bad = messages.findIndex((m) => m.type === 'text' && (typeof m.text !== 'string' || m.text.length === 0 || m.text.length > 5000));
  if (bad >= 0) {
    return reply(400, { message: 'The request body has 1 error(s)', details: [{ message: 'Length must be between 1 and 5000', property: `messages[${bad}].text` }] });
  }
  const requestId = reply.requestId;
  const sentMessages = messages.map(() => ({ id: String(BigInt(`0x${randomBytes(7).toString('hex')}`)), quoteToken: randomBytes(24).toString('base64url') }));
  if (retryKey) accepted.set(retryKey, { requestId, sentMessages });
  pushes.unshift({ at: new Date().toISOString(), to: body.to, retryKey: retryKey ?? null, requestId, messages });
  pushes.length = Math.min(pushes.length, KEEP);
  const first = messages[0]?.text ?? `[${messages[0]?.type}]`;
  console.log(`[dev-line] push to ${body.to} (retry key ${retryKey ?? 'none'}): ${first.replace(/\s+/g, ' ').slice(0, 160)}`);
  reply(200, { sentMessages });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const requestId = randomUUID();
    const reply = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-line-request-id': requestId, ...headers });
      res.end(JSON.stringify(body, null, status === 200 && req.method === 'GET' ? 2 : 0));
    };
    reply.requestId = requestId;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && path === '/v2/bot/message/push') return push(req, Buffer.concat(chunks).toString('utf8'), reply);
    if (req.method === 'GET' && path === '/api/pushes') return reply(200, pushes);
    if (req.method === 'DELETE' && path === '/api/pushes') {
      pushes.length = 0;
      return reply(200, { deleted: true });
    }
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(listPage());
    }
    reply(404, { message: 'Not found (this stand-in answers POST /v2/bot/message/push, GET /api/pushes, DELETE /api/pushes, GET /)' });
  });
});

server.on('error', (err) => {
  console.error(`dev-line: cannot listen on ${HOST}:${PORT}: ${err.message}`);
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  const line = '='.repeat(72);
  console.log(
    [
      line,
      ' DEVELOPMENT STAND-IN — nothing is delivered',
      ` dev-line: LINE Messaging API push endpoint on http://${HOST}:${PORT}/v2/bot/message/push`,
      ` caught pushes: http://localhost:${PORT}/api/pushes (newest first), http://localhost:${PORT}/`,
      line,
    ].join('\n'),
  );
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
