import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/** What is used of a BullMQ Worker here (the platform does not depend on BullMQ itself). */
interface ClosableWorker {
  name: string;
  close(force?: boolean): Promise<void>;
  /** The worker's Redis client once it has connected; `status` is ioredis' ('ready' while connected). */
  getBackend(): { readonly client: Promise<{ status: string }> };
}

const isWorker = (w: unknown): w is ClosableWorker =>
  !!w &&
  typeof (w as ClosableWorker).getBackend === 'function' &&
  typeof (w as ClosableWorker).close === 'function';

/** The BullMQ worker of a `@Processor` (WorkerHost), when it has one. */
function workerOf(instance: unknown): ClosableWorker | undefined {
  if (!instance || typeof instance !== 'object' || !('_worker' in instance)) return undefined;
  const worker = (instance as { _worker?: unknown })._worker;
  return isWorker(worker) ? worker : undefined;
}

/** Whether the worker is connected to Redis now (waiting `waitMs` at most for a first connection). */
async function connected(worker: ClosableWorker, waitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    worker.getBackend().client.then(
      (client) => client.status === 'ready',
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
  ]);
  clearTimeout(timer);
  return answer;
}

/**
 * Closes the worker of every `@Processor` first when the application stops (ADR 0011): it takes no
 * new job and the running ones finish while the NATS transports, NATS and the pools they use are
 * still open (those close after the `beforeApplicationShutdown` hooks; @nestjs/bullmq would close
 * the workers only in its `onApplicationShutdown`, among the global modules, TypeORM's included, in
 * the order they were imported).
 *
 * A worker not connected to Redis within a second is closed at once: BullMQ 6 waits, in a graceful
 * close, for its fetch loop, which itself waits for Redis, so the close would never end and the
 * process would stop only at SHUTDOWN_GRACE_MS with exit 1 (taskforcesh/bullmq#4656); and such a
 * worker holds no job it could still complete (completing needs Redis): a job it had taken is taken
 * again when its lock expires.
 */
@Injectable()
export class WorkersShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Workers');

  constructor(private readonly discovery: DiscoveryService) {}

  async beforeApplicationShutdown(): Promise<void> {
    const workers = this.discovery
      .getProviders()
      .map((wrapper) => workerOf(wrapper.instance))
      .filter((w): w is ClosableWorker => !!w);
    await Promise.all(
      workers.map(async (worker) => {
        if (await connected(worker, 1_000)) return worker.close();
        this.logger.warn(
          `worker ${worker.name}: Redis does not answer; closing without waiting for its loop`,
        );
        await worker.close(true).catch(() => undefined);
      }),
    );
  }
}
