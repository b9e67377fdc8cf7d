import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createEvent, createProject, createTestCaller, createTestDatabase, failureOf, type TestDatabase } from '../testing/index.js';

// SPEC §7.6 (the events explorer's filters) and §7.7 (stats by day), on list and stats alike.

let testDb: TestDatabase;
let projectId: string;
let otherId: string;
/** Event ids by name, in insertion order. */
const ids: Record<string, number> = {};

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  projectId = (await createProject(db)).id;
  otherId = (await createProject(db)).id;
  const rows: [name: string, project: string, values: Parameters<typeof createEvent>[2]][] = [
    [
      'paid',
      projectId,
      {
        event_type: 'payment_succeeded',
        occurred_at: '2026-03-01T10:00:00Z',
        source: 'stripe',
        actor_type: 'user',
        actor_id: 'user_1',
        entity_type: 'order',
        entity_id: 'ord_1',
        session_id: 'sess_1',
        anonymous_id: 'anon_1',
        correlation_id: 'corr_1',
        payload: { currency: 'USD', amount: 5000, customer: { tier: 'gold', email: 'a@example.com' }, tags: ['vip', 'new'] },
      },
    ],
    [
      'failed',
      projectId,
      {
        event_type: 'payment_failed',
        occurred_at: '2026-03-02T10:00:00Z',
        source: 'stripe',
        actor_type: 'system',
        entity_type: 'order',
        entity_id: 'ord_1',
        session_id: 'sess_2',
        correlation_id: 'corr_1',
        payload: { currency: 'EUR', customer: { tier: 'silver' } },
      },
    ],
    // `_` in a prefix is a character, not LIKE's any-character: `payment_*` must not match this.
    ['paymentX', projectId, { event_type: 'paymentXsucceeded', occurred_at: '2026-03-03T10:00:00Z', source: 'form', payload: { currency: 'USD' } }],
    [
      'lead',
      projectId,
      {
        event_type: 'lead.created',
        occurred_at: '2026-03-04T10:00:00Z',
        source: 'form',
        entity_type: 'lead',
        entity_id: 'ord_1',
        anonymous_id: 'anon_1',
        payload: {},
      },
    ],
    [
      'otherPaid',
      otherId,
      { event_type: 'payment_succeeded', occurred_at: '2026-03-01T12:00:00Z', source: 'stripe', session_id: 'sess_1', payload: { currency: 'USD' } },
    ],
  ];
  for (const [name, project, values] of rows) ids[name] = (await createEvent(db, project, values)).id;
});
afterAll(() => testDb.destroy());

const caller = () => createTestCaller(testDb.db, { clock: fixedClock(new Date('2026-03-05T12:00:00Z')) });

/** The names of the events a list call answers, newest first. */
async function listed(input: Parameters<ReturnType<typeof caller>['businessEvents']['list']>[0]): Promise<string[]> {
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  const { events } = await caller().businessEvents.list({ limit: 200, ...input });
  return events.map((event) => byId.get(event.id) ?? `unknown ${event.id}`);
}

/** A stats call's total over March 2026, every project unless the input names one. */
async function counted(input: Parameters<ReturnType<typeof caller>['businessEvents']['stats']>[0]): Promise<number> {
  return (await caller().businessEvents.stats({ startDate: '2026-03-01', endDate: '2026-03-31', ...input })).totalEvents;
}

describe('the exact filters of SPEC §7.6', () => {
  it.each([
    ['source', 'stripe', ['failed', 'otherPaid', 'paid']],
    ['actorType', 'system', ['failed']],
    ['actorId', 'user_1', ['paid']],
    ['entityType', 'order', ['failed', 'paid']],
    ['entityId', 'ord_1', ['lead', 'failed', 'paid']],
    ['sessionId', 'sess_1', ['otherPaid', 'paid']],
    ['anonymousId', 'anon_1', ['lead', 'paid']],
    ['correlationId', 'corr_1', ['failed', 'paid']],
  ] as const)('%s selects exactly its value on list and stats', async (field, value, expected) => {
    expect((await listed({ [field]: value })).sort()).toEqual([...expected].sort());
    expect(await counted({ [field]: value })).toBe(expected.length);
    // Exact: case and a longer value do not match.
    expect(await listed({ [field]: value.toUpperCase() })).toEqual([]);
    expect(await listed({ [field]: `${value}0` })).toEqual([]);
  });

  it('combines filters with and, entity type with entity id', async () => {
    expect(await listed({ entityType: 'order', entityId: 'ord_1' })).toEqual(['failed', 'paid']);
    expect(await listed({ entityType: 'lead', entityId: 'ord_1', projectId })).toEqual(['lead']);
    expect(await listed({ sessionId: 'sess_1', projectId: otherId })).toEqual(['otherPaid']);
    expect(await counted({ source: 'stripe', projectId })).toBe(2);
  });

  it.each(['source', 'actorType', 'actorId', 'entityType', 'entityId', 'sessionId', 'anonymousId', 'correlationId'])(
    'rejects an empty or 201-character %s, naming it, and takes 200 characters',
    async (field) => {
      for (const value of ['', 'x'.repeat(201)]) {
        expect(await failureOf(caller().businessEvents.list({ [field]: value }))).toEqual({ code: 'BAD_REQUEST', paths: [field] });
        expect(await failureOf(caller().businessEvents.stats({ [field]: value }))).toEqual({ code: 'BAD_REQUEST', paths: [field] });
      }
      expect(await listed({ [field]: 'x'.repeat(200) })).toEqual([]);
    },
  );
});

describe('eventType: exact types and prefixes', () => {
  it('takes comma-separated exact types and prefixes, any of which matches', async () => {
    expect(await listed({ eventType: 'payment_*' })).toEqual(['failed', 'otherPaid', 'paid']);
    expect(await listed({ eventType: 'payment_failed,lead.created' })).toEqual(['lead', 'failed']);
    expect(await listed({ eventType: 'lead.*,payment_s*' })).toEqual(['lead', 'otherPaid', 'paid']);
    expect(await listed({ eventType: 'payment*' })).toEqual(['paymentX', 'failed', 'otherPaid', 'paid']);
    expect(await listed({ eventType: 'payment_succeeded', projectId })).toEqual(['paid']);
    expect(await counted({ eventType: 'payment_*' })).toBe(3);
    expect(await counted({ eventType: 'payment_*', projectId })).toBe(2);
    expect(await counted({ eventType: 'lead.created,payment_failed', projectId })).toBe(2);
  });

  it('matches `_` and `.` in a prefix literally (LIKE metacharacters are escaped)', async () => {
    // Unescaped, `payment_%` would also match `paymentXsucceeded`, and `lead.%` is plain text anyway.
    expect(await listed({ eventType: 'payment_*' })).not.toContain('paymentX');
    expect(await counted({ eventType: 'payment_*', projectId })).toBe(2);
    expect(await listed({ eventType: 'p_y*' })).toEqual([]);
    expect(await counted({ eventType: 'p_y*' })).toBe(0);
    expect(await counted({ eventType: 'p_y*', source: 'stripe' })).toBe(0);
  });

  it('takes 20 entries and rejects 21, an empty entry, a lone or inner `*`, and other characters, naming eventType', async () => {
    expect(await listed({ eventType: Array.from({ length: 20 }, (_, i) => `t${i}`).join(',') })).toEqual([]);
    for (const eventType of [
      Array.from({ length: 21 }, (_, i) => `t${i}`).join(','),
      '',
      'a,,b',
      'payment_,',
      '*',
      'pay*ment',
      'payment**',
      'payment %',
      'payment%*',
      'pay\\_*',
      'paiement_réussi',
      'x'.repeat(101),
    ]) {
      expect(await failureOf(caller().businessEvents.list({ eventType })), eventType).toEqual({ code: 'BAD_REQUEST', paths: ['eventType'] });
      expect(await failureOf(caller().businessEvents.stats({ eventType })), eventType).toEqual({ code: 'BAD_REQUEST', paths: ['eventType'] });
    }
  });
});

describe('payload containment', () => {
  it('matches an event whose payload contains the object, nested objects and arrays included', async () => {
    expect(await listed({ payload: '{"currency":"USD"}' })).toEqual(['paymentX', 'otherPaid', 'paid']);
    expect(await listed({ payload: '{"customer":{"tier":"gold"}}' })).toEqual(['paid']);
    expect(await listed({ payload: '{"customer":{}}' })).toEqual(['failed', 'paid']);
    expect(await listed({ payload: '{"tags":["vip"]}' })).toEqual(['paid']);
    expect(await listed({ payload: '{"currency":"USD","amount":5000}' })).toEqual(['paid']);
    expect(await listed({ payload: '{"amount":"5000"}' })).toEqual([]);
    expect((await listed({ payload: '{}' })).length).toBe(5);
    expect(await counted({ payload: '{"currency":"USD"}', projectId })).toBe(2);
  });

  it('takes the object itself on /trpc, as the same filter', async () => {
    expect(await listed({ payload: { customer: { tier: 'gold' } } })).toEqual(['paid']);
    expect(await counted({ payload: { currency: 'EUR' } })).toBe(1);
  });

  it.each([
    ['not JSON', '{currency:USD}'],
    ['a JSON array', '["USD"]'],
    ['a JSON string', '"USD"'],
    ['JSON null', 'null'],
    ['a number', '5000'],
    ['2,001 characters', JSON.stringify({ k: 'x'.repeat(1_993) })],
    ['an object of 2,001 characters once written as JSON', { k: 'x'.repeat(1_993) }],
    ['an array on /trpc', ['USD']],
  ])('rejects %s as BAD_REQUEST on payload', async (_name, payload) => {
    expect(await failureOf(caller().businessEvents.list({ payload: payload as never }))).toEqual({ code: 'BAD_REQUEST', paths: ['payload'] });
    expect(await failureOf(caller().businessEvents.stats({ payload: payload as never }))).toEqual({ code: 'BAD_REQUEST', paths: ['payload'] });
  });

  it('takes exactly 2,000 characters', async () => {
    const payload = JSON.stringify({ k: 'x'.repeat(1_992) });
    expect(payload).toHaveLength(2_000);
    expect(await listed({ payload })).toEqual([]);
  });
});

describe('stats by day (SPEC §7.7)', () => {
  it('lists every UTC date of the range ascending, zero-filled, summing to the total', async () => {
    const stats = await caller().businessEvents.stats({ startDate: '2026-02-28', endDate: '2026-03-05', groupBy: 'day' });
    expect(stats.byDay).toEqual([
      { date: '2026-02-28', count: 0 },
      { date: '2026-03-01', count: 2 },
      { date: '2026-03-02', count: 1 },
      { date: '2026-03-03', count: 1 },
      { date: '2026-03-04', count: 1 },
      { date: '2026-03-05', count: 0 },
    ]);
    expect(stats.totalEvents).toBe(5);
  });

  it('applies every filter to byDay, from the daily counts and from the events alike', async () => {
    const byDay = async (input: Parameters<ReturnType<typeof caller>['businessEvents']['stats']>[0]) =>
      (await caller().businessEvents.stats({ startDate: '2026-03-01', endDate: '2026-03-03', groupBy: 'day', ...input })).byDay?.map((day) => day.count);
    expect(await byDay({ projectId })).toEqual([1, 1, 1]);
    expect(await byDay({ eventType: 'payment_*' })).toEqual([2, 1, 0]);
    expect(await byDay({ source: 'stripe', projectId })).toEqual([1, 1, 0]);
    expect(await byDay({ payload: '{"currency":"USD"}' })).toEqual([2, 0, 1]);
    expect(await byDay({ sessionId: 'nobody' })).toEqual([0, 0, 0]);
  });

  it('defaults to the 8 dates ending today, and has no byDay key without groupBy', async () => {
    const stats = await caller().businessEvents.stats({ groupBy: 'day' });
    expect(stats.byDay?.map((day) => day.date)).toEqual([
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
    ]);
    const plain = await caller().businessEvents.stats({});
    expect(Object.keys(plain).sort()).toEqual(['byType', 'endDate', 'startDate', 'totalEvents']);
  });

  it('takes 366 dates and rejects 367 on startDate, with the range implied or given', async () => {
    const full = await caller().businessEvents.stats({ startDate: '2025-03-05', endDate: '2026-03-05', groupBy: 'day' });
    expect(full.byDay).toHaveLength(366);
    expect(full.byDay?.[0]).toEqual({ date: '2025-03-05', count: 0 });
    expect(full.totalEvents).toBe(5);
    const leap = await caller().businessEvents.stats({ startDate: '2024-01-01', endDate: '2024-12-31', groupBy: 'day' });
    expect(leap.byDay).toHaveLength(366);
    expect(await failureOf(caller().businessEvents.stats({ startDate: '2025-03-04', endDate: '2026-03-05', groupBy: 'day' }))).toEqual({
      code: 'BAD_REQUEST',
      paths: ['startDate'],
    });
    expect(await failureOf(caller().businessEvents.stats({ startDate: '2025-03-04', groupBy: 'day' }))).toEqual({ code: 'BAD_REQUEST', paths: ['startDate'] });
    // Without groupBy the range is not limited.
    expect(await counted({ startDate: '2020-01-01', endDate: '2026-12-31' })).toBe(5);
  });

  it('rejects any other groupBy', async () => {
    expect(await failureOf(caller().businessEvents.stats({ groupBy: 'week' as never }))).toEqual({ code: 'BAD_REQUEST', paths: ['groupBy'] });
  });
});

describe('the daily counts stats read', () => {
  it('follow inserts, updates, deletes and truncation, compact themselves, and always equal counting the events', async () => {
    const scratch = await createTestDatabase();
    const { db } = scratch;
    try {
      const [a, b] = [await createProject(db), await createProject(db)];
      const compare = async () => {
        const counts = await sql<{ key: string; n: number }>`
          select project_id || ' ' || day || ' ' || event_type as key, sum(n)::int as n from business_event_daily_counts
          group by 1 having sum(n) <> 0 order by 1`.execute(db);
        const events = await sql<{ key: string; n: number }>`
          select project_id || ' ' || (occurred_at at time zone 'UTC')::date || ' ' || event_type as key, count(*)::int as n
          from business_events group by 1 order by 1`.execute(db);
        expect(counts.rows).toEqual(events.rows);
      };
      // One statement of many rows, several groups, a day boundary in UTC.
      await sql`
        insert into business_events (project_id, event_type, occurred_at, source)
        select case when g % 2 = 0 then ${a.id}::uuid else ${b.id}::uuid end, 'type_' || g % 3,
               timestamptz '2026-03-01T23:00:00Z' + g * interval '7 minutes', 'bulk'
        from generate_series(1, 100) as g`.execute(db);
      await compare();
      await sql`update business_events set event_type = 'moved' where event_type = 'type_1'`.execute(db);
      await compare();
      await sql`update business_events set occurred_at = occurred_at - interval '3 days', project_id = ${a.id} where event_type = 'type_2'`.execute(db);
      await compare();
      await sql`delete from business_events where event_type = 'moved' and project_id = ${b.id}`.execute(db);
      await compare();
      // A rolled-back insert counts nothing.
      await db
        .transaction()
        .execute(async (trx) => {
          await createEvent(trx, a.id, { event_type: 'rolled_back' });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await compare();
      expect((await createTestCaller(db).businessEvents.stats({ eventType: 'rolled_back', startDate: '2000-01-01', endDate: '2100-01-01' })).totalEvents).toBe(
        0,
      );
      // Many one-event statements into one group: every 32nd compacts the group's delta rows into
      // one, so the rows stay few while the sum stays exact.
      for (let i = 0; i < 100; i++) await createEvent(db, a.id, { event_type: 'one_at_a_time', occurred_at: '2026-03-02T10:00:00Z' });
      await compare();
      const { rows } = await sql<{ rows: number; n: number }>`
        select count(*)::int as rows, sum(n)::int as n from business_event_daily_counts where event_type = 'one_at_a_time'`.execute(db);
      expect(rows[0]?.n).toBe(100);
      expect(rows[0]?.rows).toBeLessThanOrEqual(32);
      // A bulk statement (64 groups or more) compacts the groups it touched at once.
      for (let round = 0; round < 3; round++) {
        await sql`
          insert into business_events (project_id, event_type, occurred_at, source)
          select ${a.id}::uuid, 'bulk_' || g, timestamptz '2026-03-03T10:00:00Z', 'bulk' from generate_series(1, 80) as g`.execute(db);
      }
      await compare();
      const bulk = await sql<{ rows: number; n: number }>`
        select count(*)::int as rows, sum(n)::int as n from business_event_daily_counts where event_type like 'bulk%'`.execute(db);
      expect(bulk.rows[0]).toEqual({ rows: 80, n: 240 });
      await sql`truncate business_events`.execute(db);
      await compare();
      expect((await sql<{ n: number }>`select count(*)::int as n from business_event_daily_counts`.execute(db)).rows[0]?.n).toBe(0);
    } finally {
      await scratch.destroy();
    }
  });
});
