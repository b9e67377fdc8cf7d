import { createDatabase, type Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseClock, fixedClock } from '../clock.js';
import { createProject, createTestDatabase, holdRollupLock, type TestDatabase } from '../testing/index.js';
import { createRollupCoordinator } from './coordinator.js';
import { withRollupLock } from './lock.js';
import { executeRun } from './runs.js';

let testDb: TestDatabase;
const MINUTE = 60_000;
const NOW = Date.parse('2026-01-30T12:00:00.000Z');
const PAST = new Date('2026-01-01T00:00:00Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());
beforeEach(async () => {
  await sql`truncate projects, kpi_rollup_runs, kpi_rollup_errors restart identity cascade`.execute(testDb.db);
});

/** Events enough that a first (full) rollup of the project takes a measurable time. */
async function projectWithEvents(db: Kysely<Database>, events: number): Promise<string> {
  const project = await createProject(db, { created_at: PAST });
  await sql`
    insert into business_events (project_id, event_type, occurred_at, received_at, source, payload)
    select ${project.id}::uuid, case when i % 3 = 0 then 'lead_created' else 'payment_succeeded' end,
           now() - make_interval(mins => i % 40000), now() - make_interval(mins => i % 40000), 'test',
           jsonb_build_object('amount', i % 5000, 'currency', 'USD')
    from generate_series(1, ${events}) as i`.execute(db);
  return project.id;
}

function queueRun(db: Kysely<Database>, projectId: string | null) {
  return db.insertInto('kpi_rollup_runs').values({ trigger: 'manual', status: 'queued', project_id: projectId, reason: 'race' }).execute();
}

describe('the rollup lock', () => {
  it('never lets two coordinators on one database overlap, even on separate connection pools', async () => {
    // On PostgreSQL the second coordinator has its own pool, like a second server instance: only the
    // advisory lock keeps them apart. On PGlite both share the one embedded database.
    const other = testDb.url ? createDatabase({ url: testDb.url, poolSize: 4 }) : testDb.db;
    try {
      const projects = [];
      for (let i = 0; i < 4; i++) projects.push(await projectWithEvents(testDb.db, 4000));
      for (const [i, projectId] of projects.entries()) await queueRun(i % 2 === 0 ? testDb.db : other, projectId);
      await queueRun(testDb.db, null);
      const a = createRollupCoordinator(testDb.db, { clock: databaseClock, lockRetryMs: 10 });
      const b = createRollupCoordinator(other, { clock: databaseClock, lockRetryMs: 10 });

      await Promise.all([a.drain(), b.drain(), a.tick(), b.tick(), b.drain()]);
      await Promise.all([a.idle(), b.idle()]);

      const runs = await testDb.db
        .selectFrom('kpi_rollup_runs')
        .select(['trigger', 'status', sql<string>`started_at::text`.as('started'), sql<string>`finished_at::text`.as('finished')])
        .orderBy('started_at')
        .execute();
      expect(runs.filter((r) => r.trigger === 'manual').map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expect(runs.filter((r) => r.trigger === 'schedule').length).toBeLessThanOrEqual(1);
      const overlaps = await sql<{ a: number; b: number }>`
        select x.id as a, y.id as b from kpi_rollup_runs x join kpi_rollup_runs y on x.id < y.id
        where tstzrange(x.started_at, x.finished_at) && tstzrange(y.started_at, y.finished_at)`.execute(testDb.db);
      expect(overlaps.rows).toEqual([]);
      expect(runs.every((r) => r.started < r.finished)).toBe(true);
    } finally {
      if (other !== testDb.db) await other.destroy();
    }
  });

  it('answers acquired: false while another session holds the lock', async () => {
    if (!testDb.url) return; // PGlite has a single session: there is no other holder to meet
    const other = createDatabase({ url: testDb.url, poolSize: 1 });
    try {
      const lock = await holdRollupLock(other);
      expect(await withRollupLock(testDb.db, async () => 'ran')).toEqual({ acquired: false });
      lock.release();
      await lock.released;
      expect(await withRollupLock(testDb.db, async () => 'ran')).toEqual({ acquired: true, value: 'ran' });
    } finally {
      await other.destroy();
    }
  });
});

describe('the schedule', () => {
  it('runs at once without history, then one interval after the last all-projects run, across restarts', async () => {
    const { db } = testDb;
    await createProject(db, { created_at: PAST });
    const clock = fixedClock(new Date(NOW));
    const coordinator = createRollupCoordinator(db, { clock, intervalMinutes: 15 });
    const scheduled = () => db.selectFrom('kpi_rollup_runs').select(['started_at', 'status']).where('trigger', '=', 'schedule').orderBy('id').execute();

    expect(await coordinator.tick()).toBe(15 * MINUTE);
    expect(await scheduled()).toEqual([{ started_at: new Date(NOW), status: 'succeeded' }]);
    clock.advance(14 * MINUTE);
    expect(await coordinator.tick()).toBe(MINUTE);
    expect(await scheduled()).toHaveLength(1);

    // A restart: a new coordinator reads the schedule from the database.
    await coordinator.stop();
    const restarted = createRollupCoordinator(db, { clock, intervalMinutes: 15 });
    clock.advance(MINUTE);
    expect(await restarted.tick()).toBe(15 * MINUTE);
    expect((await scheduled()).map((r) => r.started_at)).toEqual([new Date(NOW), new Date(NOW + 15 * MINUTE)]);

    // A manual all-projects run counts as the last run; a single-project one does not.
    clock.advance(5 * MINUTE);
    await queueRun(db, null);
    expect(await restarted.tick()).toBe(15 * MINUTE);
    expect(await scheduled()).toHaveLength(2);
  });

  it('marks a run left running by a dead process as failed, with an error, before running anything else', async () => {
    const { db } = testDb;
    const clock = fixedClock(new Date(NOW));
    const dead = await db
      .insertInto('kpi_rollup_runs')
      .values({ trigger: 'schedule', status: 'running', started_at: new Date(NOW - 3 * MINUTE) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await createRollupCoordinator(db, { clock }).tick();
    const run = await db.selectFrom('kpi_rollup_runs').select(['status', 'finished_at', 'error']).where('id', '=', dead.id).executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'failed', finished_at: new Date(NOW), error: 'Interrupted: the server running it stopped before it finished' });
    const errors = await db.selectFrom('kpi_rollup_errors').select(['run_id', 'message']).execute();
    expect(errors).toEqual([{ run_id: dead.id, message: `Rollup run ${dead.id} was interrupted: the server running it stopped before it finished` }]);
  });
});

describe('stopping', () => {
  it('leaves queued runs for the next holder of the lock', async () => {
    const { db } = testDb;
    await queueRun(db, null);
    const coordinator = createRollupCoordinator(db, { clock: fixedClock(new Date(NOW)) });
    const lock = await holdRollupLock(db);
    const draining = coordinator.drain();
    const stopping = coordinator.stop();
    lock.release();
    await Promise.all([lock.released, draining, stopping]);
    expect(await db.selectFrom('kpi_rollup_runs').select('status').execute()).toEqual([{ status: 'queued' }]);
  });

  it('ends a run between batches, keeping what was done', async () => {
    const { db } = testDb;
    for (let i = 0; i < 3; i++) await createProject(db, { created_at: PAST });
    const clock = fixedClock(new Date(NOW));
    const run = await db
      .insertInto('kpi_rollup_runs')
      .values({ trigger: 'schedule', status: 'running', started_at: new Date(NOW) })
      .returning(['id', 'project_id', 'start_date', 'end_date'])
      .executeTakeFirstOrThrow();
    let asked = 0;
    // Batches of one project, so the run can stop after two of three.
    const outcome = await executeRun(db, run, { clock, batchSize: 1, shouldStop: () => ++asked > 2 });
    expect(outcome).toMatchObject({ status: 'failed', projectsChecked: 2, error: 'Stopped by a server shutdown after 2 of 3 projects' });
    expect(await db.selectFrom('kpi_rollup_state').select('project_id').execute()).toHaveLength(2);
  });
});
