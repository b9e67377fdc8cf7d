import type { RollupCoordinator } from '@runhub/router';
import { errorFields, type Logger } from './logger.js';

export interface RollupSchedulerOptions {
  logger: Logger;
  /**
   * Floor between beats. When the run is due but another instance holds the lock, the next beat
   * waits at least this long instead of polling in a tight loop. Default 5 s.
   */
  minDelayMs?: number;
  /**
   * Ceiling between beats; default 5 s. A beat also executes the runs another instance left queued
   * (it was stopped, or died) and marks a dead instance's run failed, so those wait at most this
   * long, whatever the interval.
   */
  maxDelayMs?: number;
  /** After a beat that failed (the database unreachable). Default 60 s. */
  retryDelayMs?: number;
  /** Told after each beat, with whether it failed: how a test knows a beat happened without guessing a delay. */
  onBeat?: (outcome: 'ok' | 'failed') => void;
}

export interface RollupScheduler {
  /** Cancels the next beat, ends a running rollup after its current project, and waits for it. */
  stop(): Promise<void>;
}

/** setTimeout's ceiling: a longer delay fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Between beats at most. A beat that finds nothing to do costs a handful of index lookups under the
 * lock, about one statement a second per instance: cheap enough to poll the shared queue this often.
 */
export const DEFAULT_MAX_BEAT_MS = 5000;

/**
 * Beats the KPI rollup: once at start (which runs it at once when the last all-projects run is
 * more than an interval old, and clears runs a dead process left behind), then every few seconds:
 * each beat executes the queued runs (a trigger taken by an instance that then stopped waits no
 * longer than that) and starts the scheduled run when the database says it is due, so the
 * schedule is kept once per interval by whichever instance beats first. A failed beat is logged
 * and retried; it never throws.
 *
 * @example
 * const scheduler = startRollupScheduler(rollup, { logger });
 * process.on('SIGTERM', () => scheduler.stop().then(() => db.destroy()));
 */
export function startRollupScheduler(rollup: RollupCoordinator, options: RollupSchedulerOptions): RollupScheduler {
  const { logger } = options;
  const minDelay = options.minDelayMs ?? 5000;
  const maxDelay = Math.min(options.maxDelayMs ?? DEFAULT_MAX_BEAT_MS, MAX_TIMER_MS);
  const retryDelay = options.retryDelayMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();

  const next = (milliseconds: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      beating = beat();
    }, milliseconds);
    // The server's socket keeps the process alive; the scheduler alone never should.
    timer.unref();
  };

  async function beat(): Promise<void> {
    try {
      const untilDue = await rollup.tick();
      next(Math.min(Math.max(untilDue, minDelay), maxDelay));
      options.onBeat?.('ok');
    } catch (error) {
      logger.warn('KPI rollup beat failed; trying again later', { retryInMs: retryDelay, ...errorFields(error) });
      next(retryDelay);
      options.onBeat?.('failed');
    }
  }

  next(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await rollup.stop();
      await beating;
    },
  };
}
