import os from 'node:os';
import crypto from 'node:crypto';
import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { ExecutionSettings } from '../config/readExecution';
import { ChangeExecutor, ExecutionEnd } from './ChangeExecutor';
import { ExecutionClock } from './types';

/** Id of the scheduled task that picks up runnable changes. @internal */
export const EXECUTION_TASK_ID = 'gitops-execute-changes';

/**
 * Claims runnable changes (approved, waiting for a window that opened, or
 * executing under an expired lease after a crash) and runs them, at most
 * `maxConcurrent` at a time in this process. The claim is a conditional
 * update in the database, so two backend processes never run one change;
 * the lease is renewed while a change runs and its loss stops the run.
 *
 * @internal
 */
export class ExecutionRunner {
  readonly #store: ChangeStore;
  readonly #executor: ChangeExecutor;
  readonly #settings: ExecutionSettings;
  readonly #logger: LoggerService;
  readonly #clock: ExecutionClock;
  readonly #owner: string;
  readonly #running = new Map<
    string,
    { abort: AbortController; done: Promise<ExecutionEnd> }
  >();
  #stopped = false;
  #ticking = false;

  static create(options: {
    store: ChangeStore;
    executor: ChangeExecutor;
    settings: ExecutionSettings;
    logger: LoggerService;
    clock: ExecutionClock;
    owner?: string;
  }): ExecutionRunner {
    return new ExecutionRunner(options);
  }

  private constructor(options: {
    store: ChangeStore;
    executor: ChangeExecutor;
    settings: ExecutionSettings;
    logger: LoggerService;
    clock: ExecutionClock;
    owner?: string;
  }) {
    this.#store = options.store;
    this.#executor = options.executor;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#owner =
      options.owner ??
      `${os.hostname()}:${process.pid}:${crypto
        .randomBytes(4)
        .toString('hex')}`;
  }

  /** This process's claim owner id. */
  get owner(): string {
    return this.#owner;
  }

  /** Registers the periodic pick-up with Backstage's scheduler (one replica at a time per tick). */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: EXECUTION_TASK_ID,
      frequency: { milliseconds: this.#settings.schedulerFrequencyMs },
      timeout: {
        milliseconds: Math.max(60_000, this.#settings.schedulerFrequencyMs * 4),
      },
      initialDelay: {
        milliseconds: Math.min(5_000, this.#settings.schedulerFrequencyMs),
      },
      fn: async () => {
        await this.tick();
      },
    });
  }

  /** Claims and starts runnable changes up to the concurrency limit; returns the ids started. */
  async tick(): Promise<string[]> {
    // one claim loop at a time per process: overlapping ticks would only
    // compete for database connections with the lease renewals
    if (this.#ticking) return [];
    this.#ticking = true;
    try {
      return await this.#claimAvailable();
    } finally {
      this.#ticking = false;
    }
  }

  async #claimAvailable(): Promise<string[]> {
    const started: string[] = [];
    while (
      !this.#stopped &&
      this.#running.size < this.#settings.maxConcurrent
    ) {
      const change = await this.#store.claimForExecution({
        owner: this.#owner,
        leaseMs: this.#settings.leaseMs,
        now: this.#clock.now(),
      });
      if (!change) break;
      this.#start(change);
      started.push(change.id);
    }
    return started;
  }

  /**
   * Starts one change now (e.g. right after its approval) when it is
   * runnable and no one else holds it; false otherwise.
   */
  async kick(id: string): Promise<boolean> {
    if (this.#stopped || this.#running.has(id)) return false;
    const change = await this.#store.claimForExecution({
      id,
      owner: this.#owner,
      leaseMs: this.#settings.leaseMs,
      now: this.#clock.now(),
    });
    if (!change) return false;
    this.#start(change);
    return true;
  }

  /** Resolves when the given (or every) running change of this process has stopped. */
  async whenIdle(id?: string): Promise<void> {
    const runs = id ? [this.#running.get(id)] : [...this.#running.values()];
    await Promise.all(runs.map(r => r?.done.catch(() => undefined)));
  }

  /** Ids running in this process. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  /**
   * Stops taking work and aborts running changes without changing their
   * state; any replica (or this one after a restart) resumes them from the
   * last recorded step. On a graceful stop the leases are handed over (made
   * due now) once the runs have stopped, so nobody waits for them to expire;
   * `handOver: false` leaves them as a crash would.
   */
  async stop(options: { handOver?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    const ids = [...this.#running.keys()];
    for (const r of this.#running.values())
      r.abort.abort(new Error('shutting down'));
    await this.whenIdle();
    if (options.handOver === false) return;
    for (const id of ids) {
      await this.#store
        .renewLease(id, this.#owner, 0, this.#clock.now())
        .catch(e =>
          this.#logger.warn(`handing over change ${id} failed: ${e}`),
        );
    }
  }

  #start(change: StoredChange) {
    const abort = new AbortController();
    // set when the executor returned: a renewal racing the final transition is not a lost lease
    let finished = false;
    const renewEvery = Math.max(100, Math.floor(this.#settings.leaseMs / 4));
    const timer = setInterval(() => {
      this.#store
        .renewLease(
          change.id,
          this.#owner,
          this.#settings.leaseMs,
          this.#clock.now(),
        )
        .then(ok => {
          if (
            !ok &&
            !abort.signal.aborted &&
            this.#running.has(change.id) &&
            !finished
          ) {
            this.#logger.warn(
              `lost the execution lease of change ${change.id}; stopping`,
            );
            abort.abort(new Error('lease lost'));
          }
        })
        .catch(e =>
          this.#logger.warn(
            `renewing the lease of change ${change.id} failed: ${e}`,
          ),
        );
    }, renewEvery);
    timer.unref?.();
    const done = this.#executor
      .execute(change, this.#owner, abort.signal)
      .catch(e => {
        this.#logger.error(
          `execution of change ${change.id} crashed: ${
            (e as Error).stack ?? e
          }`,
        );
        return 'lost' as ExecutionEnd;
      })
      .then(end => {
        finished = true;
        this.#logger.info(`change ${change.id}: execution ended (${end})`);
        return end;
      })
      .finally(() => {
        clearInterval(timer);
        this.#running.delete(change.id);
      });
    this.#running.set(change.id, { abort, done });
  }
}
