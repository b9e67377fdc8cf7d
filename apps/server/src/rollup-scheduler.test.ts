import { createDatabase } from '@runhub/db';
import { createRollupCoordinator, fixedClock } from '@runhub/router';
import { createProject, createTestDatabase, eventually, type TestDatabase, until } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { startRollupScheduler } from './rollup-scheduler.js';

let testDb: TestDatabase;
const NOW = Date.parse('2026-01-30T12:00:00.000Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
  await createProject(testDb.db, { created_at: new Date('2026-01-01T00:00:00Z') });
});
afterAll(() => testDb.destroy());

/** Counts the scheduler's beats, so a test can wait for the next ones instead of guessing a delay. */
function beatCounter() {
  let beats = 0;
  return {
    onBeat: () => {
      beats++;
    },
    /** Resolves after `n` more beats. */
    next: (n: number) => {
      const target = beats + n;
      return until(() => beats >= target, `${n} more beats`);
    },
  };
}

describe('startRollupScheduler', () => {
  it('runs at once, again when the interval has passed, and nothing after stop', async () => {
    const { db } = testDb;
    const clock = fixedClock(new Date(NOW));
    const rollup = createRollupCoordinator(db, { clock, intervalMinutes: 15 });
    // Beats every 20 ms instead of waiting the real interval; the database decides whether a run is due.
    const beats = beatCounter();
    const scheduler = startRollupScheduler(rollup, { logger: createLogger('silent'), minDelayMs: 20, maxDelayMs: 20, onBeat: beats.onBeat });
    const scheduled = () => db.selectFrom('kpi_rollup_runs').select(['started_at', 'status']).where('trigger', '=', 'schedule').orderBy('id').execute();
    // A run's row appears when it starts: wait for the count and for every run to have finished.
    const finished = (count: number) => (runs: { status: string }[]) => runs.length === count && runs.every((run) => run.status !== 'running');
    try {
      expect(await eventually(scheduled, finished(1))).toEqual([{ started_at: new Date(NOW), status: 'succeeded' }]);
      clock.advance(14 * 60_000);
      // Beats that see the clock 14 minutes on: a run is not due yet.
      await beats.next(3);
      expect(await scheduled()).toHaveLength(1);
      clock.advance(60_000);
      expect(await eventually(scheduled, finished(2))).toHaveLength(2);
    } finally {
      await scheduler.stop();
    }
    clock.advance(60 * 60_000);
    // A stopped scheduler has no beat to wait for: only real time passing can show that none comes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await scheduled()).toHaveLength(2);
  });

  it('with its default delays, runs within a beat a run another instance queued without waking this one', async () => {
    const { db } = testDb;
    const rollup = createRollupCoordinator(db, { clock: fixedClock(new Date(NOW)), intervalMinutes: 60 });
    const beats = beatCounter();
    const scheduler = startRollupScheduler(rollup, { logger: createLogger('silent'), onBeat: beats.onBeat });
    try {
      await beats.next(1);
      // What another instance's trigger leaves behind when that instance stops before running it.
      const queued = await db
        .insertInto('kpi_rollup_runs')
        .values({ trigger: 'manual', status: 'queued', reason: 'left by another instance' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const status = () => db.selectFrom('kpi_rollup_runs').select('status').where('id', '=', queued.id).executeTakeFirstOrThrow();
      // Well within the hour's interval: the next beat, a few seconds on, takes it.
      expect(await eventually(status, (run) => run.status === 'succeeded', { timeoutMs: 15_000 })).toEqual({ status: 'succeeded' });
    } finally {
      await scheduler.stop();
    }
  });

  it('logs a failed beat and tries again instead of throwing', async () => {
    // Nothing listens on port 1: every query fails at once with ECONNREFUSED.
    const gone = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/unreachable', statementTimeoutMs: 500 });
    const lines: string[] = [];
    const rollup = createRollupCoordinator(gone, { clock: fixedClock(new Date(NOW)) });
    const scheduler = startRollupScheduler(rollup, { logger: createLogger('warn', (line) => lines.push(line)), retryDelayMs: 10 });
    await eventually(
      async () => lines.length,
      (n) => n >= 2,
    );
    await scheduler.stop();
    await gone.destroy();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', msg: 'KPI rollup beat failed; trying again later', retryInMs: 10 });
  });
});
