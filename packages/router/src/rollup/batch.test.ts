import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createProject as createAnyProject, createEvent, createTestDatabase, type TestDatabase } from '../testing/index.js';
import { runRollupNow } from './runs.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const _DAY = 24 * HOUR;
// Spans New York's and Berlin's spring-forward (8 and 29 March 2026).
const START = Date.parse('2026-03-05T00:00:00.000Z');
const END = Date.parse('2026-03-31T00:00:00.000Z');

let testDb: TestDatabase;
// Each test gets its own database: an all-projects run covers every project in it.
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(() => testDb.destroy());

const createProject = (db: Kysely<Database>, timezone: string, currency_code: string) =>
  createAnyProject(db, { created_at: new Date('2026-01-01T00:00:00Z'), timezone, currency_code });

/** `count` events per project, spread between `occurredFrom` and `occurredTo`, received from `receivedAt` on, a millisecond apart. */
async function addEvents(db: Kysely<Database>, count: number, occurredFrom: number, occurredTo: number, receivedAt: number): Promise<void> {
  await sql`
    insert into business_events (project_id, event_type, occurred_at, received_at, source, payload)
    select p.id,
           (array['page_viewed', 'lead_created', 'payment_succeeded', 'payment_succeeded'])[1 + i % 4],
           ${new Date(occurredFrom).toISOString()}::timestamptz + (${occurredTo - occurredFrom}::bigint * ((i * 7919) % ${count}) / ${count}) * interval '1 millisecond',
           ${new Date(receivedAt).toISOString()}::timestamptz + i * interval '1 millisecond',
           'test',
           jsonb_build_object('amount', 100 + i % 977, 'currency', case when i % 9 = 0 then 'XTS' else p.currency_code end)
    from projects p, generate_series(1, ${count}) as i`.execute(db);
}

/** Every bucket the rollup should hold, counted from scratch from the events received by `now`. */
async function differencesFromScratch(db: Kysely<Database>, now: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with expected as (
      select e.project_id, (e.occurred_at at time zone p.timezone)::date as date,
             count(*) filter (where e.event_type = 'payment_succeeded') as payments,
             count(*) filter (where e.event_type = 'lead_created') as leads,
             coalesce(sum((e.payload ->> 'amount')::bigint) filter (
               where e.event_type = 'payment_succeeded' and e.payload ->> 'currency' = p.currency_code), 0) as revenue_cents
      from business_events e join projects p on p.id = e.project_id
      where e.event_type in ('payment_succeeded', 'lead_created') and e.received_at <= ${new Date(now).toISOString()}::timestamptz
      group by 1, 2
    )
    select count(*)::int as n from expected x
    full join business_kpi_daily k on k.project_id = x.project_id and k.date = x.date
    where k.project_id is null or x.project_id is null
       or (k.payments, k.leads, k.revenue_cents) is distinct from (x.payments, x.leads, x.revenue_cents)`.execute(db);
  return rows[0]?.n ?? -1;
}

function buckets(db: Kysely<Database>) {
  return db
    .selectFrom('business_kpi_daily')
    .select(['project_id', 'date', 'revenue_cents', 'leads', 'payments', 'currency_code'])
    .orderBy('project_id')
    .orderBy('date')
    .execute();
}

describe('an all-projects run in one batch', () => {
  it('writes exactly the buckets of a from-scratch count and of project-by-project rollups, full and incremental', async () => {
    const { db } = testDb;
    await createProject(db, 'America/New_York', 'USD');
    await createProject(db, 'Europe/Berlin', 'EUR');
    await createProject(db, 'Asia/Kolkata', 'INR');
    await createProject(db, 'Pacific/Auckland', 'NZD');
    const quiet = await createProject(db, 'UTC', 'GBP');
    const clock = fixedClock(new Date(END));
    await addEvents(db, 400, START, END - HOUR, END - 30 * MINUTE);
    await db.deleteFrom('business_events').where('project_id', '=', quiet.id).execute();

    // Full rebuild: one batch, then project by project (batches of one) from nothing again.
    expect(await runRollupNow(db, { clock })).toMatchObject({ status: 'succeeded', projectsChecked: 5 });
    expect(await differencesFromScratch(db, END)).toBe(0);
    const batched = await buckets(db);
    expect(batched.length).toBeGreaterThan(100);
    await db.deleteFrom('kpi_rollup_state').execute();
    await db.deleteFrom('business_kpi_daily').execute();
    expect(await runRollupNow(db, { clock, batchSize: 1 })).toMatchObject({ status: 'succeeded', projectsChecked: 5 });
    expect(await buckets(db)).toEqual(batched);

    // Incremental: late events (up to three weeks late) and new ones, received after the watermark.
    clock.advance(10 * MINUTE);
    await addEvents(db, 60, START, END, END + MINUTE);
    await db.deleteFrom('business_events').where('project_id', '=', quiet.id).execute();
    expect(await runRollupNow(db, { clock })).toMatchObject({ status: 'succeeded', projectsChecked: 5 });
    expect(await differencesFromScratch(db, END + 10 * MINUTE)).toBe(0);
    const states = await db.selectFrom('kpi_rollup_state').select(['project_id', 'last_rollup_at', 'watermark']).orderBy('project_id').execute();
    expect(states).toHaveLength(5);
    for (const state of states) {
      expect(state.last_rollup_at).toEqual(clock.current());
      // The quiet project has no events, so no watermark; the others' moved to their newest event.
      expect(state.watermark === null).toBe(state.project_id === quiet.id);
      if (state.watermark) expect(state.watermark.getTime()).toBeGreaterThan(END);
    }
  });

  it('still rolls up the other projects when one fails, and that one keeps its values and records its error', async () => {
    const { db } = testDb;
    const healthy = await createProject(db, 'Europe/Berlin', 'EUR');
    const failing = await createProject(db, 'Asia/Tokyo', 'JPY');
    const fresh = await createProject(db, 'UTC', 'USD');
    const clock = fixedClock(new Date(END));
    for (const project of [healthy, failing]) {
      await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date(END - HOUR), received_at: new Date(END - HOUR), payload: {} });
    }
    expect(await runRollupNow(db, { clock })).toMatchObject({ status: 'succeeded' });
    const before = await buckets(db);

    // A mistyped time zone fails any statement that reads the project's events, so the whole batch.
    await db.updateTable('projects').set({ timezone: 'Asia/Tokio' }).where('id', '=', failing.id).execute();
    clock.advance(10 * MINUTE);
    for (const project of [healthy, failing, fresh]) {
      await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date(END), received_at: new Date(END + MINUTE), payload: {} });
    }
    const outcome = await runRollupNow(db, { clock });
    expect(outcome).toMatchObject({ status: 'failed', projectsChecked: 3, projectsFailed: 1, error: '1 of 3 projects failed' });

    const leadsOf = async (projectId: string) => (await buckets(db)).filter((b) => b.project_id === projectId).map((b) => [b.date, b.leads]);
    expect(await leadsOf(healthy.id)).toEqual([['2026-03-31', 2]]);
    expect(await leadsOf(fresh.id)).toEqual([['2026-03-31', 1]]);
    expect(await leadsOf(failing.id)).toEqual(before.filter((b) => b.project_id === failing.id).map((b) => [b.date, b.leads]));
    const states = await db.selectFrom('kpi_rollup_state').select(['project_id', 'last_rollup_at']).execute();
    const lastRollupAt = Object.fromEntries(states.map((s) => [s.project_id, s.last_rollup_at.getTime()]));
    expect(lastRollupAt).toEqual({ [healthy.id]: END + 10 * MINUTE, [fresh.id]: END + 10 * MINUTE, [failing.id]: END });
    const errors = await db
      .selectFrom('kpi_rollup_errors')
      .select(['project_id', 'message'])
      .where('run_id', '=', outcome?.runId ?? 0)
      .execute();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.project_id).toBe(failing.id);
    expect(errors[0]?.message).toMatch(/Asia\/Tokio/);
  });
});
