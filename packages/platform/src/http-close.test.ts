import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { endKeepAliveWhenClosing } from './http';

/** A CSV-like answer streamed in 10 chunks, 50 ms apart, so it is still going when close() is called. */
async function slowServer(withFix: boolean): Promise<{ fastify: FastifyInstance; url: string }> {
  const fastify = new FastifyAdapter({ logger: false }).getInstance() as unknown as FastifyInstance;
  if (withFix) endKeepAliveWhenClosing(fastify);
  fastify.get('/export', async (_request, reply) => {
    let sent = 0;
    const body = new Readable({
      read() {
        setTimeout(() => this.push(sent++ < 10 ? 'row\n' : null), 50);
      },
    });
    return reply.type('text/csv').send(body);
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = fastify.server.address() as { port: number };
  return { fastify, url: `http://127.0.0.1:${port}/export` };
}

/** Starts three keep-alive downloads, closes the server while they stream, and times the close. */
async function closeDuringDownloads(fastify: FastifyInstance, url: string) {
  const answers = await Promise.all([1, 2, 3].map(() => fetch(url)));
  const started = Date.now();
  const closed = Promise.race([
    fastify.close().then(() => Date.now() - started),
    new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5_000).unref()),
  ]);
  const bodies = await Promise.all(answers.map((a) => a.text()));
  return { bodies, closedAfterMs: await closed };
}

describe('endKeepAliveWhenClosing', () => {
  it('lets a closing server finish the downloads in flight and close right after them', async () => {
    const { fastify, url } = await slowServer(true);
    const { bodies, closedAfterMs } = await closeDuringDownloads(fastify, url);
    expect(bodies).toEqual(['row\n'.repeat(10), 'row\n'.repeat(10), 'row\n'.repeat(10)]);
    expect(closedAfterMs).not.toBe('still open');
    expect(closedAfterMs as number).toBeLessThan(5_000);
  });

  it('is needed: without it the keep-alive connections hold the close for keepAliveTimeout', async () => {
    const { fastify, url } = await slowServer(false);
    const { bodies, closedAfterMs } = await closeDuringDownloads(fastify, url);
    expect(bodies.every((b) => b === 'row\n'.repeat(10))).toBe(true);
    expect(closedAfterMs).toBe('still open');
    fastify.server.closeAllConnections();
  });
});
