import { Writable } from 'node:stream';
import { runInContext } from './context';
import { createLogger, redactQuery } from './logging';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('writes JSON with the service, and the correlation id and actor of the current call', () => {
    const { lines, stream } = capture();
    const log = createLogger('registry', 'info', stream);
    runInContext({ correlationId: 'corr-7', actor: { id: 'user-9', roles: ['operator'] } }, () =>
      log.info('inside'),
    );
    log.info('outside');
    expect(lines[0]).toMatchObject({
      service: 'registry',
      correlationId: 'corr-7',
      actor: 'user-9',
      msg: 'inside',
    });
    expect(lines[1].correlationId).toBeUndefined();
  });

  it('redacts personal data and secrets', () => {
    const { lines, stream } = capture();
    createLogger('registry', 'info', stream).info(
      { contact: { email: 'a@b.th', phone: '0812345678', lineId: 'x' }, password: 'p' },
      'c',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/a@b\.th|0812345678|"p"/);
    expect(text).toContain('[redacted]');
  });

  it('redacts personal fields nested deeper than one level, and in arrays', () => {
    const { lines, stream } = capture();
    createLogger('gateway', 'info', stream).info(
      {
        body: { agency: { contacts: [{ email: 'deep@b.th', phone: '0899999999' }] } },
        user: { displayName: 'สมชาย ใจดี' },
      },
      'c',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/deep@b\.th|0899999999|สมชาย/);
  });

  it('keeps the names of query parameters and redacts their values', () => {
    expect(redactQuery('/api/v1/users?q=somchai%40dga.or.th&page=2')).toBe(
      '/api/v1/users?q=[redacted]&page=[redacted]',
    );
    expect(redactQuery('/api/v1/users')).toBe('/api/v1/users');
  });
});
