import type { Database, JsonValue, NewProject } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createProject as createAnyProject, createEvent, createTestDatabase, type TestDatabase } from '../testing/index.js';
import { runRollupNow } from './runs.js';

let testDb: TestDatabase;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOON = Date.parse('2026-01-30T12:00:00.000Z');

/** A run checks the projects that existed when it started: these exist long before the fixed clocks below. */
const createProject = (db: Kysely<Database>, overrides: Partial<NewProject> = {}) =>
  createAnyProject(db, { created_at: new Date('2026-01-01T00:00:00Z'), ...overrides });

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

function days(db: Kysely<Database>, projectId: string) {
  return db
    .selectFrom('business_kpi_daily')
    .select(['date', 'revenue_cents', 'leads', 'payments', 'currency_code', 'updated_at'])
    .where('project_id', '=', projectId)
    .orderBy('date')
    .execute();
}

const totals = async (db: Kysely<Database>, projectId: string) =>
  (await days(db, projectId)).map(({ date, revenue_cents, leads, payments }) => ({ date, revenue_cents, leads, payments }));

function payment(at: number, payload: JsonValue, receivedAt = at + 1000) {
  return { event_type: 'payment_succeeded', occurred_at: new Date(at), received_at: new Date(receivedAt), payload };
}

function lead(at: number, receivedAt = at + 1000) {
  return { event_type: 'lead_created', occurred_at: new Date(at), received_at: new Date(receivedAt), source: 'forms', payload: {} };
}

async function stateOf(db: Kysely<Database>, projectId: string) {
  return db.selectFrom('kpi_rollup_state').select(['last_rollup_at', 'watermark']).where('project_id', '=', projectId).executeTakeFirst();
}

describe('rollupProject', () => {
  it('counts an event at 23:30 UTC on the next local day of a UTC+2 project', async () => {
    const { db } = testDb;
    // Cairo is UTC+2 in January (Egypt's summer time runs April to October).
    const project = await createProject(db, { timezone: 'Africa/Cairo', currency_code: 'EGP' });
    await createEvent(db, project.id, payment(Date.parse('2026-01-29T21:59:00Z'), { amount: 100, currency: 'EGP' }));
    await createEvent(db, project.id, payment(Date.parse('2026-01-29T23:30:00Z'), { amount: 700, currency: 'EGP' }));
    await createEvent(db, project.id, lead(Date.parse('2026-01-29T22:00:00Z')));

    await runRollupNow(db, { clock: fixedClock(new Date(NOON)), projectId: project.id });
    expect(await totals(db, project.id)).toEqual([
      { date: '2026-01-29', revenue_cents: 100, leads: 0, payments: 1 },
      { date: '2026-01-30', revenue_cents: 700, leads: 1, payments: 1 },
    ]);
  });

  it("sums only payments in the project's currency (case-insensitive, missing counts) and survives garbage amounts", async () => {
    const { db } = testDb;
    const project = await createProject(db, { timezone: 'UTC', currency_code: 'EUR' });
    const at = NOON - 60 * MINUTE;
    const payloads: JsonValue[] = [
      { amount: 1000, currency: 'EUR' },
      { amount: 2000, currency: 'eur' },
      { amount: 400 },
      { amount: 5000, currency: 'USD' },
      { amount: 'lots', currency: 'EUR' },
      { amount: 12.5, currency: 'EUR' },
      { currency: 'EUR' },
    ];
    for (const payload of payloads) await createEvent(db, project.id, payment(at, payload));
    await createEvent(db, project.id, {
      event_type: 'payment_failed',
      occurred_at: new Date(at),
      received_at: new Date(at),
      payload: { amount: 9999, currency: 'EUR' },
    });

    const outcome = await runRollupNow(db, { clock: fixedClock(new Date(NOON)), projectId: project.id });
    expect(outcome?.status).toBe('succeeded');
    const [row] = await days(db, project.id);
    // All seven succeeded payments count as payments; only the three EUR integers add revenue.
    expect(row).toMatchObject({ date: '2026-01-30', revenue_cents: 3400, payments: 7, leads: 0, currency_code: 'EUR' });
  });

  it('rolls late events into their own day and recomputes only the days touched since the watermark', async () => {
    const { db } = testDb;
    const project = await createProject(db, { timezone: 'UTC', currency_code: 'USD' });
    const clock = fixedClock(new Date(NOON));
    for (let d = 1; d <= 3; d++) await createEvent(db, project.id, payment(NOON - d * DAY, { amount: 100 * d }));
    await createEvent(db, project.id, payment(NOON - 30 * MINUTE, { amount: 1 }));
    await runRollupNow(db, { clock, projectId: project.id });
    const before = await days(db, project.id);
    expect(before.map((r) => r.revenue_cents)).toEqual([300, 200, 100, 1]);

    // Ten minutes later a two-day-old payment arrives (a replayed webhook), and one for today.
    clock.advance(10 * MINUTE);
    await createEvent(db, project.id, payment(NOON - 2 * DAY, { amount: 50 }, clock.current().getTime() - MINUTE));
    await createEvent(db, project.id, payment(NOON, { amount: 7 }, clock.current().getTime() - MINUTE));
    await runRollupNow(db, { clock, projectId: project.id });

    const after = await days(db, project.id);
    expect(after.map((r) => [r.date, r.revenue_cents, r.payments])).toEqual([
      ['2026-01-27', 300, 1],
      ['2026-01-28', 250, 2],
      ['2026-01-29', 100, 1],
      ['2026-01-30', 8, 2],
    ]);
    // Days with nothing received since the watermark (less the overlap) were not rewritten.
    const updated = Object.fromEntries(after.map((r) => [r.date, r.updated_at.toISOString()]));
    expect(updated['2026-01-27']).toBe(before[0]?.updated_at.toISOString());
    expect(updated['2026-01-29']).toBe(before[2]?.updated_at.toISOString());
    expect(updated['2026-01-28']).toBe(clock.current().toISOString());
    expect(await stateOf(db, project.id)).toEqual({ last_rollup_at: clock.current(), watermark: new Date(clock.current().getTime() - MINUTE) });
  });

  it('counts an event committed late behind the watermark, within the safety overlap', async () => {
    const { db } = testDb;
    const project = await createProject(db, { timezone: 'UTC' });
    const clock = fixedClock(new Date(NOON));
    await createEvent(db, project.id, payment(NOON - 5 * MINUTE, { amount: 100 }, NOON - MINUTE));
    await runRollupNow(db, { clock, projectId: project.id });
    // Its transaction began (received_at) before the watermark event's, but committed after the rollup.
    await createEvent(db, project.id, payment(NOON - 4 * MINUTE, { amount: 20 }, NOON - 3 * MINUTE));
    clock.advance(MINUTE);
    await runRollupNow(db, { clock, projectId: project.id });
    expect(await totals(db, project.id)).toEqual([{ date: '2026-01-30', revenue_cents: 120, leads: 0, payments: 2 }]);
    expect((await stateOf(db, project.id))?.watermark).toEqual(new Date(NOON - MINUTE));
  });

  it('waits for events received after "now" and marks a project checked even when nothing is new', async () => {
    const { db } = testDb;
    const project = await createProject(db, { timezone: 'UTC' });
    const clock = fixedClock(new Date(NOON));
    await createEvent(db, project.id, payment(NOON - MINUTE, { amount: 100 }, NOON + 30_000));
    await runRollupNow(db, { clock, projectId: project.id });
    expect(await totals(db, project.id)).toEqual([]);
    expect(await stateOf(db, project.id)).toEqual({ last_rollup_at: new Date(NOON), watermark: null });

    clock.advance(MINUTE);
    await runRollupNow(db, { clock, projectId: project.id });
    expect(await totals(db, project.id)).toEqual([{ date: '2026-01-30', revenue_cents: 100, leads: 0, payments: 1 }]);
    clock.advance(MINUTE);
    await runRollupNow(db, { clock, projectId: project.id });
    expect((await stateOf(db, project.id))?.last_rollup_at).toEqual(clock.current());
  });

  it('leaves the previous values and lastRollupAt intact when a project fails midway, and records the error', async () => {
    const { db } = testDb;
    const healthy = await createProject(db, { timezone: 'UTC' });
    const failing = await createProject(db, { timezone: 'UTC' });
    const clock = fixedClock(new Date(NOON));
    for (const project of [healthy, failing]) await createEvent(db, project.id, payment(NOON - MINUTE, { amount: 100 }, NOON - MINUTE));
    await runRollupNow(db, { clock, projectId: healthy.id });
    await runRollupNow(db, { clock, projectId: failing.id });

    // Fail after the project's buckets were written, inside the same transaction: the state update throws.
    await sql`create function fail_rollup_state() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`.execute(db);
    await sql
      .raw(`create trigger fail_rollup_state before update on kpi_rollup_state for each row
      when (new.project_id = '${failing.id}') execute function fail_rollup_state()`)
      .execute(db);
    try {
      clock.advance(10 * MINUTE);
      for (const project of [healthy, failing]) await createEvent(db, project.id, payment(NOON, { amount: 5 }, NOON + MINUTE));
      const first = await runRollupNow(db, { clock, projectId: failing.id });
      const second = await runRollupNow(db, { clock, projectId: healthy.id });

      expect(first).toMatchObject({ status: 'failed', projectsChecked: 1, projectsFailed: 1, error: '1 of 1 projects failed' });
      expect(second).toMatchObject({ status: 'succeeded', projectsFailed: 0 });
      expect(await totals(db, failing.id)).toEqual([{ date: '2026-01-30', revenue_cents: 100, leads: 0, payments: 1 }]);
      expect((await stateOf(db, failing.id))?.last_rollup_at).toEqual(new Date(NOON));
      expect(await totals(db, healthy.id)).toEqual([{ date: '2026-01-30', revenue_cents: 105, leads: 0, payments: 2 }]);
      const errors = await db
        .selectFrom('kpi_rollup_errors')
        .select(['run_id', 'project_id', 'message', 'occurred_at'])
        .where('run_id', '=', first?.runId ?? 0)
        .execute();
      expect(errors).toEqual([{ run_id: first?.runId, project_id: failing.id, message: 'injected failure', occurred_at: clock.current() }]);
    } finally {
      await sql`drop trigger fail_rollup_state on kpi_rollup_state`.execute(db);
      await sql`drop function fail_rollup_state()`.execute(db);
    }
  });

  it('goes on past a project whose time zone PostgreSQL does not know, and rebuilds it once fixed', async () => {
    const { db } = testDb;
    const project = await createProject(db, { timezone: 'Pacific/Aukland' });
    await createEvent(db, project.id, payment(NOON - MINUTE, { amount: 100 }, NOON - MINUTE));
    const clock = fixedClock(new Date(NOON));
    const failed = await runRollupNow(db, { clock, projectId: project.id });
    expect(failed?.status).toBe('failed');
    const error = await db
      .selectFrom('kpi_rollup_errors')
      .select('message')
      .where('run_id', '=', failed?.runId ?? 0)
      .executeTakeFirstOrThrow();
    expect(error.message).toMatch(/Pacific\/Aukland/);
    expect(await stateOf(db, project.id)).toBeUndefined();

    await db.updateTable('projects').set({ timezone: 'Pacific/Auckland' }).where('id', '=', project.id).execute();
    expect((await runRollupNow(db, { clock, projectId: project.id }))?.status).toBe('succeeded');
    // 11:59 UTC is 00:59 the next day in Auckland (UTC+13 in January).
    expect(await totals(db, project.id)).toEqual([{ date: '2026-01-31', revenue_cents: 100, leads: 0, payments: 1 }]);
  });

  it('records each run: trigger, who, reason, start, end and duration', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const clock = fixedClock(new Date(NOON));
    const outcome = await runRollupNow(db, { clock, projectId: project.id, adminId: 'ops-1', reason: 'backfill check' });
    const run = await db
      .selectFrom('kpi_rollup_runs')
      .selectAll()
      .where('id', '=', outcome?.runId ?? 0)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      trigger: 'manual',
      admin_id: 'ops-1',
      reason: 'backfill check',
      project_id: project.id,
      status: 'succeeded',
      started_at: new Date(NOON),
      projects_affected: 1,
      projects_failed: 0,
      error: null,
    });
    expect(run.duration_ms).toBe(outcome?.durationMs);
    expect(run.finished_at?.getTime()).toBe(NOON + (run.duration_ms ?? 0));
  });
});
