import { createDatabase, type Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, createTestCaller, createTestDatabase, type TestDatabase } from '../testing/index.js';
import type { EventStatsInput } from './schemas.js';

// SPEC §7.7: "stats stay exact: an event is counted the moment its transaction commits". Stats sum
// business_event_daily_counts, which triggers keep in each writing transaction; here writers on
// their own connections hold their transactions open and commit out of order, and after every step
// every stats answer must equal a plain count(*) of the committed events. PostgreSQL only: PGlite
// has one connection, so it has no concurrent transactions.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('stats stay exact while transactions commit out of order (PostgreSQL)', () => {
  let testDb: TestDatabase;
  const writers: Kysely<Database>[] = [];
  let a: string;
  let b: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    if (!testDb.url) throw new Error('expected a PostgreSQL test database');
    for (let i = 0; i < 4; i++) writers.push(createDatabase({ url: testDb.url, poolSize: 1 }));
    a = (await createProject(testDb.db)).id;
    b = (await createProject(testDb.db)).id;
  });
  afterAll(async () => {
    for (const writer of writers) await writer.destroy();
    await testDb.destroy();
  });

  /** Inserts `count` events of `type` on `day` (noon UTC, or `time`) for `project` on the writer's open transaction. */
  function insert(writer: Kysely<Database>, project: string, type: string, day: string, count: number, time = '12:00:00') {
    return sql`
      insert into business_events (project_id, event_type, occurred_at, source)
      select ${project}::uuid, ${type}, (${day}::date + ${time}::time) at time zone 'UTC', 'exactness'
      from generate_series(1, ${count}::int)`.execute(writer);
  }

  /** Every stats answer of the cases below, and what a plain count(*) of the events says it must be. */
  async function expectExact(step: string): Promise<void> {
    const caller = createTestCaller(testDb.db);
    const cases: EventStatsInput[] = [
      { startDate: '2026-04-01', endDate: '2026-04-07' },
      { startDate: '2026-04-01', endDate: '2026-04-07', projectId: a },
      { startDate: '2026-04-02', endDate: '2026-04-02', projectId: b },
      { startDate: '2026-04-01', endDate: '2026-04-07', eventType: { exact: [], prefixes: ['pay'] } },
      { startDate: '2026-04-01', endDate: '2026-04-07', eventType: { exact: ['lead_created'], prefixes: ['payment_f'] }, projectId: a },
      { startDate: '2026-04-01', endDate: '2026-04-07', groupBy: 'day' },
      { startDate: '2026-03-31', endDate: '2026-04-03', groupBy: 'day', projectId: a, eventType: { exact: [], prefixes: ['payment_'] } },
    ];
    for (const input of cases) {
      const raw = {
        ...input,
        eventType: input.eventType ? [...input.eventType.exact, ...input.eventType.prefixes.map((prefix) => `${prefix}*`)].join(',') : undefined,
      };
      const stats = await caller.businessEvents.stats(raw);
      const { rows } = await sql<{ event_type: string; day: string; n: number }>`
        select event_type, to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n
        from business_events
        where occurred_at >= (${input.startDate}::date)::timestamp at time zone 'UTC'
          and occurred_at < (${input.endDate}::date + 1)::timestamp at time zone 'UTC'
          and (${input.projectId ?? null}::uuid is null or project_id = ${input.projectId ?? null}::uuid)
          and (${raw.eventType ?? null}::text is null
               or event_type = any(${input.eventType?.exact ?? []}::text[])
               or exists (select from unnest(${input.eventType?.prefixes ?? []}::text[]) as p where starts_with(event_type, p)))
        group by 1, 2`.execute(testDb.db);
      const byType = new Map<string, number>();
      const byDay = new Map<string, number>();
      for (const row of rows) {
        byType.set(row.event_type, (byType.get(row.event_type) ?? 0) + row.n);
        byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.n);
      }
      const context = `${step}: ${JSON.stringify(raw)}`;
      expect(stats.totalEvents, context).toBe(rows.reduce((total, row) => total + row.n, 0));
      expect(Object.fromEntries(stats.byType.map((entry) => [entry.eventType, entry.count])), context).toEqual(Object.fromEntries(byType));
      if (input.groupBy === 'day') {
        expect(
          stats.byDay?.filter((day) => day.count > 0).map((day) => [day.date, day.count]),
          context,
        ).toEqual([...byDay].sort(([x], [y]) => x.localeCompare(y)));
      } else {
        expect(stats, context).not.toHaveProperty('byDay');
      }
    }
  }

  it('counts each transaction exactly when it commits, never before, never twice, and never a rolled-back one', async () => {
    const [w1, w2, w3, w4] = writers as [Kysely<Database>, Kysely<Database>, Kysely<Database>, Kysely<Database>];
    for (const writer of writers) await sql`begin`.execute(writer);
    // Distinct (project, day, type) groups per writer, so all four stay open at once.
    await insert(w1, a, 'payment_succeeded', '2026-04-01', 5);
    await insert(w1, b, 'lead_created', '2026-04-02', 2, '23:59:59.999999');
    await insert(w2, a, 'payment_failed', '2026-04-02', 3);
    await insert(w2, a, 'lead_created', '2026-04-03', 1, '00:00:00');
    await insert(w3, b, 'payment_succeeded', '2026-04-02', 4);
    await insert(w3, a, 'page_viewed', '2026-04-07', 7);
    await insert(w4, a, 'payment_refunded', '2026-04-05', 6);
    await expectExact('nothing committed');

    // Commit in reverse order, checking between each.
    await sql`commit`.execute(w4);
    await expectExact('w4 committed');
    await sql`commit`.execute(w3);
    await expectExact('w3 committed');
    // A transaction that rolls back after others committed leaves no count behind.
    await sql`rollback`.execute(w2);
    await expectExact('w2 rolled back');
    await sql`commit`.execute(w1);
    await expectExact('w1 committed');
  });

  it('keeps open inserters of the same day and type exact, none waiting on another, while compaction runs beside them', async () => {
    const [w1, w2, w3, w4] = writers as [Kysely<Database>, Kysely<Database>, Kysely<Database>, Kysely<Database>];
    for (const writer of [w1, w2, w3]) await sql`begin`.execute(writer);
    await insert(w1, a, 'payment_succeeded', '2026-04-04', 10);
    await insert(w3, b, 'payment_succeeded', '2026-04-04', 1);
    // Same group as w1, while w1 is open: the counts take insert-only rows, so this does not wait.
    await insert(w2, a, 'payment_succeeded', '2026-04-04', 20);
    await expectExact('w1, w2, w3 open on one group');
    // 64 one-event statements into the same group on a fourth connection compact it at least
    // once, beside the open transactions' rows (invisible to it, so they stay as they are).
    for (let i = 0; i < 64; i++) await insert(w4, a, 'payment_succeeded', '2026-04-04', 1);
    await expectExact('64 more committed, compacted, beside w1, w2, w3 open');
    await sql`commit`.execute(w2);
    await expectExact('w2 committed');
    await sql`commit`.execute(w3);
    await expectExact('w3 committed');
    // A compaction inside an open transaction holds the rows it took until it commits; others skip them.
    for (let i = 0; i < 32; i++) await insert(w1, a, 'payment_succeeded', '2026-04-04', 1);
    for (let i = 0; i < 32; i++) await insert(w4, a, 'payment_succeeded', '2026-04-04', 1);
    await expectExact('w1 compacted inside its transaction, w4 beside it');
    await sql`commit`.execute(w1);
    await expectExact('w1 committed');
    const { rows } = await sql<{ n: number; rows: number }>`
      select sum(n)::int as n, count(*)::int as rows from business_event_daily_counts
      where project_id = ${a} and day = '2026-04-04' and event_type = 'payment_succeeded'`.execute(testDb.db);
    expect(rows[0]?.n).toBe(10 + 20 + 64 + 32 + 32);
    expect(rows[0]?.rows).toBeLessThan(64);
  });
});
