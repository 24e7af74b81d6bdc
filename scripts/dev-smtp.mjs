#!/usr/bin/env node
// DEVELOPMENT STAND-IN for an SMTP relay (like Mailpit): `npm start` runs it when SMTP_HOST is not
// set. It accepts every message on 127.0.0.1:1025, keeps the newest ones in memory, and shows them
// at http://localhost:8025/ (a list, one page per message) and as JSON at /api/messages (newest
// first). Nothing is delivered to anyone. Ports: DEV_SMTP_PORT, DEV_SMTP_HTTP_PORT.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

// Resolve packages the way @dg/notifications does (smtp-server is one of its dependencies).
const require = createRequire(new URL('../apps/notifications/package.json', import.meta.url));
const { SMTPServer } = require('smtp-server');
/** mailparser (a devDependency of @dg/notifications) decodes MIME fully; without it, a plain fallback. */
let simpleParser;
try {
  ({ simpleParser } = require('mailparser'));
} catch {
  simpleParser = undefined;
}

if (process.env.NODE_ENV === 'production') {
  console.error('dev-smtp: refusing to run with NODE_ENV=production (it is a development stand-in)');
  process.exit(1);
}

const SMTP_PORT = Number(process.env.DEV_SMTP_PORT ?? 1025);
const HTTP_PORT = Number(process.env.DEV_SMTP_HTTP_PORT ?? 8025);
const HOST = process.env.DEV_SMTP_HOST ?? '127.0.0.1';
const KEEP = Number(process.env.DEV_SMTP_KEEP ?? 1000);

/** Newest first. */
const messages = [];

// ---- fallback MIME reading (headers and encoded words only) ------------------------------------

function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, charset, enc, data) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  });
}

function plainParse(raw) {
  const source = raw.toString('utf8');
  const end = source.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? source.slice(0, end) : source).replace(/\r?\n[ \t]+/g, ' ');
  const header = (name) => decodeWords(head.match(new RegExp(`^${name}:\\s*(.*)$`, 'im'))?.[1] ?? '');
  return { subject: header('Subject'), messageId: header('Message-ID'), from: header('From'), text: source, html: '', attachments: [] };
}

async function parse(raw) {
  if (!simpleParser) return plainParse(raw);
  const mail = await simpleParser(raw);
  return {
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    from: mail.from?.text ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    attachments: mail.attachments.map((a) => ({ fileName: a.filename ?? '', contentType: a.contentType, size: a.size })),
  };
}

// ---- SMTP ----------------------------------------------------------------------------------------

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
  logger: false,
  size: 30 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('error', callback);
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      try {
        const parsed = await parse(raw);
        const message = {
          id: randomUUID(),
          receivedAt: new Date().toISOString(),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parsed,
          size: raw.length,
          raw,
        };
        messages.unshift(message);
        messages.length = Math.min(messages.length, KEEP);
        console.log(`[dev-smtp] caught for ${message.to.join(', ')}: ${message.subject}`);
        callback(null, `Caught by the development stand-in as ${message.id} (not delivered)`);
      } catch (err) {
        callback(Object.assign(new Error(`cannot read the message: ${err.message}`), { responseCode: 554 }));
      }
    });
  },
});
smtp.on('error', (err) => console.error(`[dev-smtp] ${err.message}`));

// ---- HTTP viewer -----------------------------------------------------------------------------------

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const summary = ({ raw: _raw, ...m }) => m;
const BANNER_HTML =
  '<p style="background:#fff3cd;border:1px solid #e0b252;padding:8px 12px;font-weight:bold">DEVELOPMENT STAND-IN — nothing is delivered. ' +
  'These messages were caught on their way out.</p>';
const pageOf = (title, body) =>
  `<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
  `<body style="font-family:Tahoma,'Noto Sans Thai',sans-serif;margin:24px;color:#1f2933">${BANNER_HTML}${body}</body></html>`;

function listPage() {
  const rows = messages
    .map(
      (m) =>
        `<tr><td style="padding:4px 8px;white-space:nowrap">${esc(new Date(m.receivedAt).toLocaleString('th-TH', { timeZone: 'Asia/Bangkok' }))}</td>` +
        `<td style="padding:4px 8px">${esc(m.to.join(', '))}</td>` +
        `<td style="padding:4px 8px"><a href="/messages/${m.id}">${esc(m.subject || '(no subject)')}</a></td>` +
        `<td style="padding:4px 8px">${m.attachments.length ? `📎 ${m.attachments.length}` : ''}</td></tr>`,
    )
    .join('');
  return pageOf(
    `dev-smtp: ${messages.length} messages`,
    `<h1 style="font-size:20px">Caught e-mail (${messages.length}, newest first)</h1>` +
      `<p><a href="/api/messages">/api/messages</a> (JSON) · keeps the newest ${KEEP}</p>` +
      `<table style="border-collapse:collapse">${rows || '<tr><td>No messages yet.</td></tr>'}</table>`,
  );
}

function messagePage(m) {
  return pageOf(
    m.subject,
    `<p><a href="/">← all messages</a></p><h1 style="font-size:20px">${esc(m.subject)}</h1>` +
      `<table>${[
        ['From', m.from],
        ['To', m.to.join(', ')],
        ['Message-ID', m.messageId],
        ['Received', m.receivedAt],
        ['Attachments', m.attachments.map((a) => `${a.fileName} (${a.contentType}, ${a.size} bytes)`).join(', ')],
      ]
        .map(([k, v]) => `<tr><td style="padding:2px 8px;color:#52606d">${k}</td><td style="padding:2px 8px">${esc(v)}</td></tr>`)
        .join('')}</table>` +
      (m.html
        ? `<h2 style="font-size:16px">HTML</h2><iframe sandbox style="width:100%;height:640px;border:1px solid #ccc" srcdoc="${esc(m.html)}"></iframe>`
        : '') +
      `<h2 style="font-size:16px">Text</h2><pre style="white-space:pre-wrap;background:#f5f7fa;padding:12px">${esc(m.text)}</pre>` +
      `<p><a href="/api/messages/${m.id}/raw">raw source</a></p>`,
  );
}

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (status, body) => send(status, 'application/json; charset=utf-8', JSON.stringify(body, null, 2));
  const found = (id) => messages.find((m) => m.id === id);

  if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', listPage());
  if (req.method === 'GET' && url.pathname === '/api/messages') {
    const to = url.searchParams.get('to');
    return json(200, (to ? messages.filter((m) => m.to.includes(to)) : messages).map(summary));
  }
  if (req.method === 'DELETE' && url.pathname === '/api/messages') {
    messages.length = 0;
    return json(200, { deleted: true });
  }
  let match = /^\/api\/messages\/([0-9a-f-]{36})(\/raw)?$/.exec(url.pathname);
  if (req.method === 'GET' && match) {
    const m = found(match[1]);
    if (!m) return json(404, { message: 'no such message' });
    return match[2] ? send(200, 'text/plain; charset=utf-8', m.raw) : json(200, summary(m));
  }
  match = /^\/messages\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (req.method === 'GET' && match) {
    const m = found(match[1]);
    return m ? send(200, 'text/html; charset=utf-8', messagePage(m)) : send(404, 'text/plain', 'no such message');
  }
  json(404, { message: 'not found: GET /, GET /api/messages, GET /api/messages/:id, GET /api/messages/:id/raw, DELETE /api/messages' });
});

smtp.listen(SMTP_PORT, HOST, () => {
  http.listen(HTTP_PORT, HOST, () => {
    const line = '='.repeat(72);
    console.log(
      [
        line,
        ' DEVELOPMENT STAND-IN — nothing is delivered',
        ` dev-smtp: SMTP on ${HOST}:${SMTP_PORT} accepts every message and keeps it here:`,
        ` http://localhost:${HTTP_PORT}/  (JSON: http://localhost:${HTTP_PORT}/api/messages, newest first)`,
        simpleParser ? '' : ' (mailparser is not installed: subjects decoded, bodies shown as raw source)',
        line,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });
});
http.on('error', (err) => {
  console.error(`dev-smtp: cannot serve the viewer on ${HOST}:${HTTP_PORT}: ${err.message}`);
  process.exit(1);
});
smtp.server.on('error', (err) => {
  console.error(`dev-smtp: cannot listen on ${HOST}:${SMTP_PORT}: ${err.message}`);
  process.exit(1);
});

const stop = () => {
  http.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
