import type { RollupCoordinator } from '@runhub/router';
import { errorFields, type Logger } from './logger.js';

export interface RollupSchedulerOptions {
  logger: Logger;
  /**
   * Floor between beats. When the run is due but another instance holds the lock, the next beat
   * waits at least this long instead of polling in a tight loop. Default 5 s.
   */
  minDelayMs?: number;
  /** Ceiling between beats; default the interval (a beat also drains runs another instance left queued). */
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
 * Beats the KPI rollup: once at start (which runs it at once when the last all-projects run is
 * more than an interval old, and clears runs a dead process left behind), then whenever the next
 * run is due according to the database. A failed beat is logged and retried; it never throws.
 *
 * @example
 * const scheduler = startRollupScheduler(rollup, { logger });
 * process.on('SIGTERM', () => scheduler.stop().then(() => db.destroy()));
 */
export function startRollupScheduler(rollup: RollupCoordinator, options: RollupSchedulerOptions): RollupScheduler {
  const { logger } = options;
  const minDelay = options.minDelayMs ?? 5000;
  const maxDelay = Math.min(options.maxDelayMs ?? rollup.settings.intervalMinutes * 60_000, MAX_TIMER_MS);
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
