import { jetstreamManager } from '@nats-io/jetstream';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILES_BUCKET, Streams } from '@dg/contracts';
import { ensureStream, FileTransfer, Nats } from '../src';
import { freePort, testPrefix, waitFor } from '../src/testing';

const bin =
  process.env.NATS_SERVER_BIN ??
  (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/**
 * NATS_STREAM_REPLICAS on a 3-node JetStream cluster (as k8s/infra/nats runs it), started here on
 * free ports: a service's stream is created with 3 replicas, and a stream made with 1 (before the
 * setting) is replicated in place at the next start.
 */
describe('streams replicated on a 3-node NATS cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nats-cluster-'));
  const servers: ChildProcess[] = [];
  let urls = '';
  const opened: Nats[] = [];

  beforeAll(async () => {
    const client = await Promise.all([0, 1, 2].map(() => freePort()));
    const routes = await Promise.all([0, 1, 2].map(() => freePort()));
    const all = routes.map((p) => `nats://127.0.0.1:${p}`).join(',');
    for (const i of [0, 1, 2]) {
      servers.push(
        spawn(
          bin,
          [
            '-a',
            '127.0.0.1',
            '-p',
            String(client[i]),
            '-js',
            '-sd',
            join(dir, String(i)),
            '--server_name',
            `n${i}`,
            '--cluster_name',
            'test',
            '--cluster',
            `nats://127.0.0.1:${routes[i]}`,
            '--routes',
            all,
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    urls = client.map((p) => `nats://127.0.0.1:${p}`).join(',');
    // JetStream answers once the three have elected a meta leader.
    const probe = new Nats({ url: urls, prefix: '', service: 'probe' });
    opened.push(probe);
    await waitFor(async () => (await jetstreamManager(await probe.connect())).getAccountInfo(), 30_000, 200);
  }, 40_000);

  afterAll(async () => {
    for (const n of opened) await n.onApplicationShutdown();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.exitCode !== null) return resolve();
            s.once('exit', () => resolve());
            s.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (prefix: string, streamReplicas?: number) => {
    const n = new Nats({ url: urls, prefix, service: 'registry', streamReplicas });
    opened.push(n);
    return n;
  };
  const info = async (nats: Nats) =>
    (await jetstreamManager(await nats.connect())).streams.info(nats.stream(Streams.REGISTRY));

  it('creates a stream with NATS_STREAM_REPLICAS replicas, each on another node', async () => {
    const nats = service(testPrefix('rthree'), 3);
    await ensureStream(nats, Streams.REGISTRY);
    const si = await info(nats);
    expect(si.config.num_replicas).toBe(3);
    expect(si.cluster?.leader).toMatch(/^n[012]$/);
    const nodes = [si.cluster!.leader, ...(si.cluster?.replicas ?? []).map((r) => r.name)];
    expect(new Set(nodes)).toEqual(new Set(['n0', 'n1', 'n2']));
  });

  it('replicates an existing single-replica stream when the service starts again with 3', async () => {
    const prefix = testPrefix('rgrow');
    const before = service(prefix);
    await ensureStream(before, Streams.REGISTRY);
    expect((await info(before)).config.num_replicas).toBe(1); // the default: one copy
    const after = service(prefix, 3);
    await ensureStream(after, Streams.REGISTRY);
    const si = await waitFor(async () => {
      const s = await info(after);
      return (s.cluster?.replicas ?? []).filter((r) => r.current).length === 2 ? s : undefined;
    }, 15_000);
    expect(si.config.num_replicas).toBe(3);
  });

  it('keeps the file transfer bucket in as many copies as the streams, growing an older one', async () => {
    const prefix = testPrefix('rfiles');
    const bucketInfo = async (nats: Nats) =>
      (await jetstreamManager(await nats.connect())).streams.info(
        `OBJ_${nats.stream(FILES_BUCKET).toLowerCase()}`,
      );
    const file = { objectName: 'a.csv', fileName: 'a.csv', contentType: 'text/csv' };
    const before = service(prefix);
    await new FileTransfer(before).put(file, new TextEncoder().encode('x'));
    expect((await bucketInfo(before)).config.num_replicas).toBe(1);

    const after = service(prefix, 3);
    const files = new FileTransfer(after);
    // Opening the bucket grows it; the file sent before is served once the new copies caught up.
    const kept = await waitFor(async () => {
      const data = await files.get('a.csv');
      const si = await bucketInfo(after);
      return data && (si.cluster?.replicas ?? []).filter((r) => r.current).length === 2 ? data : undefined;
    }, 20_000);
    expect(new TextDecoder().decode(kept)).toBe('x');
    expect((await bucketInfo(after)).config.num_replicas).toBe(3);
    await files.put({ ...file, objectName: 'b.csv' }, new TextEncoder().encode('y'));
    expect(new TextDecoder().decode((await files.get('b.csv'))!)).toBe('y');
  });
});
