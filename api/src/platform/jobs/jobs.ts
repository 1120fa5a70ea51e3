import { randomUUID } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

/** What a job handler gets: its data and its id (to tell a current timer from a stale one). */
export interface JobRun<T> {
  id: string;
  data: T;
}

export type JobHandler<T> = (run: JobRun<T>) => Promise<void>;

export interface ScheduleOptions {
  /** Run no earlier than this. */
  at?: Date;
  /** Run no earlier than this many seconds from now. */
  afterSeconds?: number;
}

interface Registration {
  handler: JobHandler<never>;
  concurrency: number;
}

export const JOBS_SCHEMA = 'pgboss';

/**
 * Timers and background work on pg-boss, in the application's own database: a job survives a
 * restart and runs once across every API process. Handlers are registered while the services are
 * built; `start` then installs (or upgrades) pg-boss's schema, creates the queues and starts the
 * workers. Jobs may be scheduled only after `start`.
 *
 * A timer that may become pointless (the customer answered, the transfer was accepted) is either
 * cancelled, or, cheaper on hot paths, checks its condition again when it fires.
 */
export class Jobs {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, Registration>();
  private readonly recurring = new Map<string, string>();
  private readonly batches = new Map<
    string,
    { jobs: { id: string; data: object; startAfter?: Date }[]; written: Promise<void> }
  >();
  private started = false;

  constructor(
    databaseUrl: string,
    private readonly log: Logger,
    private readonly pollingSeconds = 1,
  ) {
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: JOBS_SCHEMA, max: 4 });
    this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
  }

  /** Registers the handler of a job kind (one per name); `concurrency` workers per process. */
  register<T>(name: string, handler: JobHandler<T>, concurrency = 2): void {
    if (this.started) throw new Error(`Job ${name} registered after start`);
    if (this.handlers.has(name)) throw new Error(`Job ${name} is registered twice`);
    this.handlers.set(name, { handler: handler as JobHandler<never>, concurrency });
  }

  /** Runs a registered job on a cron schedule (UTC), once per occurrence across all processes. */
  every(name: string, cron: string): void {
    if (this.started) throw new Error(`Job ${name} scheduled after start`);
    this.recurring.set(name, cron);
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const [name, { handler, concurrency }] of this.handlers) {
      await this.boss.createQueue(name, { retryLimit: 3, retryDelay: 1, retryBackoff: true });
      await this.boss.work<object>(
        name,
        { pollingIntervalSeconds: this.pollingSeconds, localConcurrency: concurrency, batchSize: 1 },
        async ([job]) => {
          if (!job) return;
          try {
            await handler({ id: job.id, data: job.data as never });
          } catch (error) {
            this.log.error({ err: error, job: name, jobId: job.id }, 'job failed; it will be retried');
            throw error;
          }
        },
      );
    }
    for (const [name, cron] of this.recurring) await this.boss.schedule(name, cron);
    this.started = true;
  }

  /** Schedules a job; returns its id. */
  async schedule<T extends object>(name: string, data: T, options: ScheduleOptions = {}): Promise<string> {
    if (!this.handlers.has(name)) throw new Error(`No handler for job ${name}`);
    const startAfter =
      options.at ??
      (options.afterSeconds !== undefined ? new Date(Date.now() + options.afterSeconds * 1000) : undefined);
    const id = await this.boss.send(name, data, startAfter ? { startAfter } : {});
    if (!id) throw new Error(`Job ${name} was not scheduled`);
    return id;
  }

  /**
   * Like `schedule`, for busy paths: the jobs scheduled in one turn of the event loop are written
   * together, in one statement.
   */
  scheduleBatched<T extends object>(name: string, data: T, options: ScheduleOptions = {}): Promise<string> {
    if (!this.handlers.has(name)) throw new Error(`No handler for job ${name}`);
    const startAfter =
      options.at ??
      (options.afterSeconds !== undefined ? new Date(Date.now() + options.afterSeconds * 1000) : undefined);
    const id = randomUUID();
    let batch = this.batches.get(name);
    if (!batch) {
      const jobs: { id: string; data: object; startAfter?: Date }[] = [];
      const written = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          this.batches.delete(name);
          this.boss.insert(name, jobs).then(() => resolve(), reject);
        }),
      );
      batch = { jobs, written };
      this.batches.set(name, batch);
    }
    batch.jobs.push({ id, data, ...(startAfter ? { startAfter } : {}) });
    return batch.written.then(() => id);
  }

  /** Cancels a job that has not run yet; a job that already ran or was cancelled is left as it is. */
  async cancel(name: string, id: string): Promise<void> {
    await this.boss.cancel(name, id);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5000 });
  }
}
