import type { Database, NewProject } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useRollupBed } from '../testing/hooks.js';
import { createProject as createAnyProject, createEvent, failureOf, holdRollupLock } from '../testing/index.js';

/** SPEC §8.2: `trigger-rollup` with a range of the projects' local dates rebuilds those buckets from all of their events. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2026-11-02T12:00:00.000Z');

/**
 * A project whose watermark, once rolled up, is a minute before NOW: its lead of 2026-01-02 arrived
 * then, so the events of `event()` (an hour earlier) lie behind the 5-minute overlap and an
 * incremental run has no reason to look at their days again.
 */
async function createProject(db: Kysely<Database>, overrides: Partial<NewProject> = {}) {
  const project = await createAnyProject(db, { created_at: new Date('2026-01-01T00:00:00Z'), ...overrides });
  await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date('2026-01-02T12:00:00Z'), received_at: new Date(NOW - MINUTE) });
  return project;
}

const bed = useRollupBed(NOW);

const caller = () => bed.caller({ adminId: 'ops-3' });

async function trigger(input: { projectId?: string; startDate?: string; endDate?: string } = {}) {
  const answer = await caller().kpiHealth.triggerRollup({ reason: 'repair', ...input });
  await bed.rollup.idle();
  return answer;
}

/** An event received an hour before NOW, long before any run below: it is behind every watermark. */
function event(projectId: string, type: 'payment_succeeded' | 'lead_created', occurredAt: string, amount = 100) {
  return createEvent(bed.db, projectId, {
    event_type: type,
    occurred_at: new Date(occurredAt),
    received_at: new Date(NOW - HOUR),
    payload: type === 'payment_succeeded' ? { amount, currency: 'USD' } : {},
  });
}

/** The project's buckets, without the day of its watermark's lead. */
async function buckets(projectId: string) {
  return bed.db
    .selectFrom('business_kpi_daily')
    .select(['date', 'revenue_cents', 'leads', 'payments'])
    .where('project_id', '=', projectId)
    .where('date', '>', '2026-01-02')
    .orderBy('date')
    .execute();
}

describe('a rebuild of a date range', () => {
  it('repairs a bucket changed by hand and deletes one whose events are gone, where an incremental run does neither', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await event(project.id, 'payment_succeeded', '2026-10-20T10:00:00Z', 1500);
    await event(project.id, 'lead_created', '2026-10-20T11:00:00Z');
    const gone = await event(project.id, 'payment_succeeded', '2026-10-21T10:00:00Z', 900);
    await event(project.id, 'payment_succeeded', '2026-10-25T10:00:00Z', 300);
    await trigger();
    const correct = await buckets(project.id);
    expect(correct).toEqual([
      { date: '2026-10-20', revenue_cents: 1500, leads: 1, payments: 1 },
      { date: '2026-10-21', revenue_cents: 900, leads: 0, payments: 1 },
      { date: '2026-10-25', revenue_cents: 300, leads: 0, payments: 1 },
    ]);

    // A bucket corrupted by SQL, and an event deleted after its day was counted.
    await db
      .updateTable('business_kpi_daily')
      .set({ revenue_cents: 1, leads: 40 })
      .where('project_id', '=', project.id)
      .where('date', '=', '2026-10-20')
      .execute();
    await db.deleteFrom('business_events').where('id', '=', gone.id).execute();
    const damaged = await buckets(project.id);

    bed.clock.advance(MINUTE);
    expect(await trigger({ projectId: project.id })).toMatchObject({ mode: 'incremental' });
    expect(await buckets(project.id)).toEqual(damaged);

    bed.clock.advance(MINUTE);
    expect(await trigger({ projectId: project.id, startDate: '2026-10-19', endDate: '2026-10-22' })).toEqual({
      triggered: true,
      projectsAffected: 1,
      estimatedDurationMs: expect.any(Number),
      mode: 'rebuild',
    });
    expect(await buckets(project.id)).toEqual([correct[0], correct[2]]);
  });

  it('leaves the buckets outside the range as they are, and still counts what arrived since the watermark', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await event(project.id, 'payment_succeeded', '2026-10-10T10:00:00Z', 100);
    await event(project.id, 'payment_succeeded', '2026-10-20T10:00:00Z', 200);
    await trigger();
    await db.updateTable('business_kpi_daily').set({ revenue_cents: 7 }).where('project_id', '=', project.id).where('date', '>', '2026-01-02').execute();

    // Received after the first run, for a day outside the range: the incremental part of the rebuild counts it.
    bed.clock.advance(10 * MINUTE);
    await createEvent(db, project.id, { occurred_at: new Date('2026-11-01T09:00:00Z'), received_at: new Date(NOW + 5 * MINUTE) });
    await trigger({ startDate: '2026-10-15', endDate: '2026-10-31' });
    expect(await buckets(project.id)).toEqual([
      { date: '2026-10-10', revenue_cents: 7, leads: 0, payments: 1 },
      { date: '2026-10-20', revenue_cents: 200, leads: 0, payments: 1 },
      { date: '2026-11-01', revenue_cents: 1000, leads: 0, payments: 1 },
    ]);
    const state = await db
      .selectFrom('kpi_rollup_state')
      .select(['last_rollup_at', 'watermark'])
      .where('project_id', '=', project.id)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ last_rollup_at: bed.clock.current(), watermark: new Date(NOW + 5 * MINUTE) });
  });

  it("takes each project's range in its own local dates, for all projects at once", async () => {
    const { db } = bed;
    // 2026-10-20T22:30Z is the 20th in New York and already the 21st in Tokyo.
    const tokyo = await createProject(db, { timezone: 'Asia/Tokyo' });
    const newYork = await createProject(db, { timezone: 'America/New_York' });
    for (const project of [tokyo, newYork]) await event(project.id, 'payment_succeeded', '2026-10-20T22:30:00Z', 500);
    await trigger();
    await db.deleteFrom('business_kpi_daily').where('date', '>', '2026-01-02').execute();

    await trigger({ startDate: '2026-10-21', endDate: '2026-10-21' });
    expect(await buckets(tokyo.id)).toEqual([{ date: '2026-10-21', revenue_cents: 500, leads: 0, payments: 1 }]);
    expect(await buckets(newYork.id)).toEqual([]);
  });

  // Each zone's day of 23 or 25 hours, with events just inside and just outside it; Santiago's
  // clocks change at local midnight, so its days do not start at 00:00 on one side of the change.
  it.each([
    ['Europe/Berlin', '2026-03-29', 23, ['2026-03-28T22:59:00Z', '2026-03-28T23:00:00Z', '2026-03-29T21:59:00Z', '2026-03-29T22:00:00Z']],
    ['Europe/Berlin', '2026-10-25', 25, ['2026-10-24T21:59:00Z', '2026-10-24T22:00:00Z', '2026-10-25T22:59:00Z', '2026-10-25T23:00:00Z']],
    ['America/Santiago', '2026-04-04', 25, ['2026-04-04T02:59:00Z', '2026-04-04T03:00:00Z', '2026-04-05T03:59:00Z', '2026-04-05T04:00:00Z']],
    ['America/Santiago', '2026-09-06', 23, ['2026-09-06T03:59:00Z', '2026-09-06T04:00:00Z', '2026-09-07T02:59:00Z', '2026-09-07T03:00:00Z']],
  ])('rebuilds %s on %s, a day of %i hours, with exactly its own events', async (timezone, date, hours, [before, first, last, after]) => {
    const { db } = bed;
    const { rows } = await sql<{ hours: number }>`
      select extract(epoch from ((${date}::date + 1)::timestamp at time zone ${timezone}) - (${date}::date::timestamp at time zone ${timezone})) / 3600 as hours`.execute(
      db,
    );
    expect(Number(rows[0]?.hours)).toBe(hours);
    const project = await createProject(db, { timezone });
    for (const [at, amount] of [
      [before, 1],
      [first, 10],
      [last, 100],
      [after, 1000],
    ] as const) {
      await event(project.id, 'payment_succeeded', at ?? '', amount);
    }
    await trigger({ projectId: project.id });
    const rolledUp = await buckets(project.id);
    expect(rolledUp.find((b) => b.date === date)).toEqual({ date, revenue_cents: 110, leads: 0, payments: 2 });

    await db
      .updateTable('business_kpi_daily')
      .set({ revenue_cents: 0, payments: 99 })
      .where('project_id', '=', project.id)
      .where('date', '>', '2026-01-02')
      .execute();
    await trigger({ projectId: project.id, startDate: date, endDate: date });
    const rebuilt = await buckets(project.id);
    expect(rebuilt.find((b) => b.date === date)).toEqual({ date, revenue_cents: 110, leads: 0, payments: 2 });
    // The neighbouring days are outside the range: still as the update left them.
    expect(rebuilt.filter((b) => b.date !== date).map((b) => b.payments)).toEqual([99, 99]);
  });

  it('records the range on the run and in the audit details', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await trigger({ projectId: project.id, startDate: '2026-01-01', endDate: '2026-12-31' });
    const run = await db.selectFrom('kpi_rollup_runs').select(['id', 'start_date', 'end_date', 'status', 'admin_id']).executeTakeFirstOrThrow();
    expect(run).toEqual({ id: run.id, start_date: '2026-01-01', end_date: '2026-12-31', status: 'succeeded', admin_id: 'ops-3' });
    const audit = await db.selectFrom('admin_audit_log').select(['action', 'target_id', 'details']).executeTakeFirstOrThrow();
    expect(audit).toEqual({
      action: 'kpi.trigger_rollup',
      target_id: project.id,
      details: { rollupRunId: run.id, projectsAffected: 1, mode: 'rebuild', startDate: '2026-01-01', endDate: '2026-12-31' },
    });
  });

  it('is queued behind a running rollup like any run, keeping its range', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await event(project.id, 'payment_succeeded', '2026-10-20T10:00:00Z', 100);
    const lock = await holdRollupLock(db);
    await caller().kpiHealth.triggerRollup({ reason: 'later', startDate: '2026-10-20', endDate: '2026-10-20' });
    expect(await db.selectFrom('kpi_rollup_runs').select(['status', 'start_date']).execute()).toEqual([{ status: 'queued', start_date: '2026-10-20' }]);
    lock.release();
    await lock.released;
    await bed.rollup.idle();
    expect(await db.selectFrom('kpi_rollup_runs').select(['status', 'start_date']).execute()).toEqual([{ status: 'succeeded', start_date: '2026-10-20' }]);
    expect(await buckets(project.id)).toEqual([{ date: '2026-10-20', revenue_cents: 100, leads: 0, payments: 1 }]);
  });
});

describe('the range input', () => {
  it.each([
    ['only startDate', { startDate: '2026-10-01' }, 'endDate'],
    ['only endDate', { endDate: '2026-10-01' }, 'startDate'],
    ['start after end', { startDate: '2026-10-02', endDate: '2026-10-01' }, 'startDate'],
    ['367 dates', { startDate: '2025-01-01', endDate: '2026-01-02' }, 'endDate'],
    ['a date that does not exist', { startDate: '2026-02-29', endDate: '2026-03-01' }, 'startDate'],
    ['a date-time', { startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-02' }, 'startDate'],
  ])('rejects %s as BAD_REQUEST on its field, writing nothing', async (_name, range, path) => {
    const project = await createProject(bed.db);
    expect(await failureOf(caller().kpiHealth.triggerRollup({ projectId: project.id, reason: 'x', ...range }))).toEqual({ code: 'BAD_REQUEST', paths: [path] });
    expect(await bed.db.selectFrom('kpi_rollup_runs').select('id').execute()).toEqual([]);
    expect(await bed.db.selectFrom('admin_audit_log').select('id').execute()).toEqual([]);
  });

  it('accepts 366 dates (a leap year) and a single date', async () => {
    expect(await caller().kpiHealth.triggerRollup({ reason: 'x', startDate: '2028-01-01', endDate: '2028-12-31' })).toMatchObject({ mode: 'rebuild' });
    expect(await caller().kpiHealth.triggerRollup({ reason: 'x', startDate: '2026-10-01', endDate: '2026-10-01' })).toMatchObject({ mode: 'rebuild' });
    await bed.rollup.idle();
  });
});
