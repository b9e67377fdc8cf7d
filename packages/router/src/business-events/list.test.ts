import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import { createEvent, createProject, createTestCaller, createTestDatabase, failureOf, type TestDatabase, testActor } from '../testing/index.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

describe('businessEvents.list', () => {
  it('answers every field of the seed, with the project name joined and nulls kept', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'My Store' });
    const full = await createEvent(db, project.id, {
      event_type: 'payment_succeeded',
      occurred_at: '2026-01-30T10:00:00Z',
      received_at: '2026-01-30T10:00:01Z',
      source: 'stripe',
      actor_type: 'user',
      actor_id: 'user_123',
      entity_type: 'payment',
      entity_id: 'pi_abc123',
      session_id: 'sess_xyz',
      correlation_id: 'corr_123',
      payload: { amount: 5000, currency: 'USD', customer_email: 'user@example.com' },
    });
    const bare = await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: '2026-01-30T09:00:00Z', source: 'form', payload: {} });

    const { events, nextCursor } = await createTestCaller(db).businessEvents.list({ projectId: project.id });
    expect(nextCursor).toBeNull();
    expect(events).toEqual([
      {
        id: full.id,
        publicId: full.public_id,
        projectId: project.id,
        projectName: 'My Store',
        eventType: 'payment_succeeded',
        occurredAt: '2026-01-30T10:00:00.000Z',
        receivedAt: '2026-01-30T10:00:01.000Z',
        source: 'stripe',
        actorType: 'user',
        actorId: 'user_123',
        entityType: 'payment',
        entityId: 'pi_abc123',
        sessionId: 'sess_xyz',
        anonymousId: null,
        correlationId: 'corr_123',
        payload: { amount: 5000, currency: 'USD', customer_email: 'user@example.com' },
      },
      expect.objectContaining({
        id: bare.id,
        actorType: null,
        actorId: null,
        entityType: null,
        entityId: null,
        sessionId: null,
        anonymousId: null,
        correlationId: null,
        payload: {},
      }),
    ]);
    expect(typeof events[0]?.id).toBe('number');
    expect(full.public_id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('filters by project and event type, alone and together', async () => {
    const { db } = testDb;
    const [a, b] = [await createProject(db), await createProject(db)];
    const aPay = await createEvent(db, a.id, { event_type: 'payment_succeeded' });
    const aLead = await createEvent(db, a.id, { event_type: 'lead_created' });
    const bLead = await createEvent(db, b.id, { event_type: 'lead_created' });
    const caller = createTestCaller(db);
    const ids = async (input: Parameters<typeof caller.businessEvents.list>[0]) => (await caller.businessEvents.list(input)).events.map((e) => e.id).sort();

    expect(await ids({ projectId: a.id })).toEqual([aPay.id, aLead.id].sort());
    expect(await ids({ projectId: a.id, eventType: 'lead_created' })).toEqual([aLead.id]);
    expect(await ids({ projectId: b.id, eventType: 'payment_succeeded' })).toEqual([]);
    const leads = await caller.businessEvents.list({ eventType: 'lead_created', limit: 200 });
    expect(leads.events.every((e) => e.eventType === 'lead_created')).toBe(true);
    expect(leads.events.map((e) => e.id)).toEqual(expect.arrayContaining([aLead.id, bLead.id]));
    expect(await ids({ projectId: a.id, eventType: 'Lead_Created' })).toEqual([]);
  });

  it('takes whole UTC days, inclusive at both ends', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const at = async (occurredAt: string) => (await createEvent(db, project.id, { occurred_at: occurredAt })).id;
    const beforeStart = await at('2026-01-29T23:59:59.999999Z');
    const startOfFirst = await at('2026-01-30T00:00:00Z');
    // 01:00 in Berlin is still the 30th in UTC: days are UTC whatever the offset it was written with.
    const offsetWritten = await at('2026-01-31T00:30:00+01:00');
    const endOfLast = await at('2026-01-31T23:59:59.999999Z');
    const afterEnd = await at('2026-02-01T00:00:00Z');
    const caller = createTestCaller(db);
    const ids = async (range: { startDate?: string; endDate?: string }) =>
      (await caller.businessEvents.list({ projectId: project.id, ...range })).events.map((e) => e.id);

    expect(await ids({ startDate: '2026-01-30', endDate: '2026-01-31' })).toEqual([endOfLast, offsetWritten, startOfFirst]);
    expect(await ids({ startDate: '2026-01-30', endDate: '2026-01-30' })).toEqual([offsetWritten, startOfFirst]);
    expect(await ids({ startDate: '2026-01-31' })).toEqual([afterEnd, endOfLast]);
    expect(await ids({ endDate: '2026-01-29' })).toEqual([beforeStart]);
  });

  it('orders newest occurred_at first, then by id, and keeps microseconds in the cursor', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const tie = '2026-01-30T09:00:00.123456Z';
    const first = await createEvent(db, project.id, { occurred_at: tie });
    const newer = await createEvent(db, project.id, { occurred_at: '2026-01-30T09:00:00.123457Z' });
    const second = await createEvent(db, project.id, { occurred_at: tie });
    const older = await createEvent(db, project.id, { occurred_at: '2026-01-30T09:00:00.123455Z' });
    const caller = createTestCaller(db);
    const all = await caller.businessEvents.list({ projectId: project.id });
    expect(all.events.map((e) => e.id)).toEqual([newer.id, second.id, first.id, older.id]);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.businessEvents.list({ projectId: project.id, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([newer.id, second.id, first.id, older.id]);
  });

  it('pages without repeats or gaps while events keep arriving', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const base = Date.parse('2026-01-30T12:00:00Z');
    const original: { id: number; at: number }[] = [];
    for (let i = 0; i < 12; i++) {
      // Pairs share a timestamp, so page boundaries fall inside ties too.
      const at = base - Math.floor(i / 2) * 1000;
      original.push({ id: (await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date(at) })).id, at });
    }
    const expected = original.sort((x, y) => y.at - x.at || y.id - x.id).map((e) => e.id);
    const caller = createTestCaller(db);
    const seen: number[] = [];
    const lateArrivals: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.businessEvents.list({ projectId: project.id, eventType: 'lead_created', limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
      // A newer event lands above the pages already read; a late one (old occurred_at, just received) below.
      await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date(base + pages * 60_000) });
      lateArrivals.push((await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: new Date(base - 3_600_000 - pages) })).id);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 12)).toEqual(expected);
    // Late events behind the cursor are found, once each, after every original event; newer ones never show up.
    expect(seen.slice(12)).toEqual(lateArrivals.slice(0, seen.length - 12));
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 201', { limit: 201 }, 'limit'],
    ['fractional limit', { limit: 1.5 }, 'limit'],
    ['limit as text', { limit: 'ten' }, 'limit'],
    ['malformed projectId', { projectId: "1' or '1'='1" }, 'projectId'],
    ['empty eventType', { eventType: '' }, 'eventType'],
    ['eventType over 100 characters', { eventType: 'x'.repeat(101) }, 'eventType'],
    ['startDate that does not exist', { startDate: '2026-02-30' }, 'startDate'],
    ['endDate that does not exist', { endDate: '2025-02-29' }, 'endDate'],
    ['startDate with a time', { startDate: '2026-01-30T00:00:00Z' }, 'startDate'],
    ['startDate without zero padding', { startDate: '2026-1-30' }, 'startDate'],
    ['endDate before year 1000', { endDate: '0999-12-31' }, 'endDate'],
    ['startDate after endDate', { startDate: '2026-01-31', endDate: '2026-01-30' }, 'startDate'],
    ['an empty startDate beside an endDate', { startDate: '', endDate: '2026-01-30' }, 'startDate'],
    ['a startDate that does not exist beside an earlier endDate', { startDate: '2026-02-30', endDate: '2026-01-30' }, 'startDate'],
    ['undecodable cursor', { cursor: '!!!' }, 'cursor'],
    ['cursor of another list', { cursor: encodeCursor('workflow-runs', ['2026-01-30 10:00:00+00', 5]) }, 'cursor'],
    ['cursor with a uuid id', { cursor: encodeCursor('business-events', ['2026-01-30 10:00:00+00', '3f0e4a8c-2b1d-4c5e-9f6a-7b8c9d0e1f2a']) }, 'cursor'],
    ['cursor with a negative id', { cursor: encodeCursor('business-events', ['2026-01-30 10:00:00+00', -1]) }, 'cursor'],
    ['cursor with a bad timestamp', { cursor: encodeCursor('business-events', ['yesterday', 5]) }, 'cursor'],
  ])('rejects %s as BAD_REQUEST naming the field', async (_name, input, path) => {
    const caller = createTestCaller(testDb.db);
    expect(await failureOf(caller.businessEvents.list(input as never))).toEqual({ code: 'BAD_REQUEST', paths: [path] });
  });

  it('answers BAD_REQUEST, not a 500, for a well-formed cursor with an impossible timestamp', async () => {
    const caller = createTestCaller(testDb.db);
    for (const at of ['2026-13-01 00:00:00+00', '0000-01-01 00:00:00Z']) {
      expect((await failureOf(caller.businessEvents.list({ cursor: encodeCursor('business-events', [at, 5]) }))).code).toBe('BAD_REQUEST');
    }
  });

  it('accepts a start equal to the end and the last representable day', async () => {
    const caller = createTestCaller(testDb.db);
    expect(await failureOf(caller.businessEvents.list({ startDate: '2024-02-29', endDate: '2024-02-29' }))).toEqual({ code: 'OK', paths: [] });
    expect(await failureOf(caller.businessEvents.list({ endDate: '9999-12-31' }))).toEqual({ code: 'OK', paths: [] });
  });

  it('answers UNAUTHORIZED without an actor and FORBIDDEN without inhouse.read, before validating input', async () => {
    const { db } = testDb;
    expect((await failureOf(createTestCaller(db, { actor: null }).businessEvents.list({}))).code).toBe('UNAUTHORIZED');
    const writeOnly = createTestCaller(db, { actor: testActor(['inhouse.write']) });
    expect((await failureOf(writeOnly.businessEvents.list({ limit: -1 }))).code).toBe('FORBIDDEN');
  });
});
