import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import { type Clock, databaseClock } from '../clock.js';
import type { RollupAccess, RollupSettings } from '../context.js';
import type { RollupEngineOptions } from './engine.js';
import { withRollupLock } from './lock.js';
import {
  claimNextQueuedRun,
  executeRun,
  failInterruptedRuns,
  msUntilScheduledRun,
  type RunOutcome,
  recordRollupError,
  type StartedRun,
  startScheduledRunIfDue,
} from './runs.js';

/** Outage failures kept for the record; beyond these, one more adds nothing an operator needs. */
const MAX_UNRECORDED = 20;

export interface RollupCoordinatorOptions {
  intervalMinutes?: number;
  /** Default: twice the interval. */
  staleAfterMinutes?: number;
  /** The time runs are recorded at; the database clock by default. */
  clock?: Clock;
  overlapMs?: number;
  statementTimeoutMs?: number;
  /** How long a queued run waits before trying again for a lock another instance holds. Default 1 s. */
  lockRetryMs?: number;
  /** Told about failures outside any run (the database unreachable); they never reject a caller. */
  onError?: (error: unknown) => void;
  /** Told about each run this process executed (failures are also in `kpi_rollup_errors`). */
  onRunFinished?: (outcome: RunOutcome) => void;
}

/**
 * One process's side of the KPI rollup. Runs are queued as rows in `kpi_rollup_runs`, so all
 * instances share one queue; whoever holds the rollup lock executes them, one after another.
 */
export interface RollupCoordinator extends RollupAccess {
  readonly clock: Clock;
  /** Executes the queued runs, behind any running one; resolves when none is left. Never rejects. */
  drain(): Promise<void>;
  /**
   * The scheduler's beat: the queued runs, then the scheduled run if it is due. Answers how many
   * milliseconds until the next one is due.
   */
  tick(): Promise<number>;
  /** Resolves once this coordinator has no work in flight: what a test awaits after a trigger. */
  idle(): Promise<void>;
  /** Takes no more work, ends a current run after its current project, and waits for that. */
  stop(): Promise<void>;
}

/**
 * @example
 * const rollup = createRollupCoordinator(db, { intervalMinutes: 15, onError: (e) => logger.warn('rollup', errorFields(e)) });
 * await rollup.tick(); // what the scheduler does every interval
 */
export function createRollupCoordinator(db: Kysely<Database>, options: RollupCoordinatorOptions = {}): RollupCoordinator {
  const intervalMinutes = options.intervalMinutes ?? 15;
  const settings: RollupSettings = { intervalMinutes, staleAfterMinutes: options.staleAfterMinutes ?? 2 * intervalMinutes };
  const clock = options.clock ?? databaseClock;
  const lockRetryMs = options.lockRetryMs ?? 1000;
  const onError = options.onError ?? (() => {});
  const onRunFinished = options.onRunFinished ?? (() => {});
  // Failures that happened while the database could not record them (an outage): written to
  // `kpi_rollup_errors` once it answers again, so the rollup-job page shows the gap.
  const unrecorded: { occurredAt: Date; message: string }[] = [];
  let stopping = false;
  const wanted = { drain: false, schedule: false };
  let inFlight: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  const engine: RollupEngineOptions = {
    clock,
    ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
    ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
    shouldStop: () => stopping,
  };

  async function execute(run: StartedRun): Promise<void> {
    onRunFinished(await executeRun(db, run, engine));
  }

  /** One turn under the lock; false when another instance holds it. */
  async function takeTurn(schedule: boolean): Promise<boolean> {
    const outcome = await withRollupLock(db, async () => {
      await failInterruptedRuns(db, clock);
      while (!stopping) {
        const run = await claimNextQueuedRun(db, clock);
        if (!run) break;
        await execute(run);
      }
      const due = schedule && !stopping ? await startScheduledRunIfDue(db, clock, intervalMinutes) : undefined;
      if (due) await execute(due);
    });
    return outcome.acquired;
  }

  async function work(): Promise<void> {
    while (!stopping && (wanted.drain || wanted.schedule)) {
      const schedule = wanted.schedule;
      wanted.drain = false;
      wanted.schedule = false;
      try {
        await recordFailures();
        const acquired = await takeTurn(schedule);
        // The holder may release the lock without seeing runs queued after its last look: while any
        // are left, try again shortly rather than leave them to the next scheduled beat.
        if (!acquired && (await hasQueuedRuns(db))) {
          await pause(lockRetryMs);
          wanted.drain = true;
        }
      } catch (error) {
        onError(error);
        if (unrecorded.length < MAX_UNRECORDED) {
          unrecorded.push({ occurredAt: new Date(), message: `Rollup could not run: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    }
  }

  async function recordFailures(): Promise<void> {
    for (let failure = unrecorded[0]; failure; failure = unrecorded[0]) {
      await recordRollupError(db, clock, { runId: null, projectId: null, ...failure });
      unrecorded.shift();
    }
  }

  function pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, milliseconds);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  function request(kind: 'drain' | 'schedule'): Promise<void> {
    if (stopping) return Promise.resolve();
    wanted[kind] = true;
    inFlight ??= work().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    settings,
    clock,
    drain: () => request('drain'),
    wake() {
      // Not awaited by the caller: drain() never rejects, and failures land in kpi_rollup_errors.
      void request('drain');
    },
    async tick() {
      await request('schedule');
      return msUntilScheduledRun(db, clock, intervalMinutes);
    },
    async idle() {
      while (inFlight) await inFlight;
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      while (inFlight) await inFlight;
    },
  };
}

async function hasQueuedRuns(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('kpi_rollup_runs').select('id').where('status', '=', 'queued').limit(1).executeTakeFirst();
  return row !== undefined;
}
