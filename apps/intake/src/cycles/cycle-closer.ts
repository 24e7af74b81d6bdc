import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, SYSTEM_ACTOR } from '@dg/contracts';
import { CyclesService } from './cycles.service';

const EVERY_MS = 60_000;

/**
 * Closes open cycles whose closing time has passed, so `intake.cycle.closed` goes out on time even
 * when nobody presses "close". Agencies with an extension can still finish (see ResponsesService's
 * deadline rule).
 */
@Injectable()
export class CycleCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CycleCloser');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly ds: DataSource,
    private readonly cycles: CyclesService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, EVERY_MS);
    this.timer.unref();
  }

  /** One sweep; returns the ids closed. Exposed for tests. */
  async sweep(): Promise<string[]> {
    const due = (await this.ds.query(
      `SELECT id FROM cycles WHERE status = 'open' AND closes_at < now()`,
    )) as { id: string }[];
    const closed: string[] = [];
    for (const { id } of due) {
      try {
        // close() locks the row and checks the state: a replica that comes second finds it closed.
        await this.cycles.close(id, { correlationId: `cycle-closer-${id}`, actor: SYSTEM_ACTOR });
        closed.push(id);
        this.logger.log(`cycle ${id} closed at its closing time`);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'CYCLE_NOT_OPEN') continue;
        this.logger.warn(`could not close cycle ${id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return closed;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
