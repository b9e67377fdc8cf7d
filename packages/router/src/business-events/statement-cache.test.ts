import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, createProject, createTestDatabase, type TestDatabase } from '../testing/index.js';
import { shapeCheck } from '../testing/statements.js';
import { EVENT_BY_REF, EVENTS_PAGE, eventByRefQuery, listEvents, listEventsQuery } from './queries.js';
import { type ListEventsInput, ZEventRef, ZListEventsInput } from './schemas.js';

let testDb: TestDatabase;

let expectEventsPageAsFresh: ReturnType<typeof shapeCheck<ListEventsInput, unknown>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  expectEventsPageAsFresh = shapeCheck(testDb.db, EVENTS_PAGE);
});
afterAll(() => testDb.destroy());

const FLAGS = [
  'projectId',
  'source',
  'actorType',
  'actorId',
  'entityType',
  'entityId',
  'sessionId',
  'anonymousId',
  'correlationId',
  'payload',
  'startDate',
  'endDate',
  'cursor',
] as const;

/** Every value of a shape, in two variants that differ in every value (so nothing of a value may end up in the cached text). */
function rawInput(flags: number, eventType: string | undefined, variant: 0 | 1): Record<string, unknown> {
  const v = (a: string, b: string) => (variant === 0 ? a : b);
  const values: Record<(typeof FLAGS)[number], unknown> = {
    projectId: v('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'),
    source: v('web', 'stripe'),
    actorType: v('user', 'system'),
    actorId: v('user_1', 'user_2'),
    entityType: v('payment', 'lead'),
    entityId: v('pi_1', 'lead_2'),
    sessionId: v('sess_1', 'sess_2'),
    anonymousId: v('anon_1', 'anon_2'),
    correlationId: v('corr_1', 'corr_2'),
    payload: v('{"a":1}', '{"b":[2]}'),
    startDate: v('2026-01-01', '2026-02-01'),
    endDate: v('2026-01-31', '2026-02-28'),
    cursor: Buffer.from(JSON.stringify(['business-events', v('2026-01-02T03:04:05.123456Z', '2026-02-03T04:05:06Z'), variant + 7])).toString('base64url'),
  };
  const input: Record<string, unknown> = { limit: variant === 0 ? 50 : 200 };
  FLAGS.forEach((flag, bit) => {
    if (flags & (1 << bit)) input[flag] = values[flag];
  });
  if (eventType !== undefined) input.eventType = variant === 0 ? eventType : eventType.replaceAll('a', 'b_');
  return input;
}

function parse(raw: Record<string, unknown>): ListEventsInput {
  return ZListEventsInput.parse(raw);
}

/** Primes the cache with the shape's first variant, then asks it for the second: it must answer what a fresh compile of the second is. */
function expectCachedEqualsFresh(flags: number, eventType: string | undefined): void {
  expectEventsPageAsFresh(parse(rawInput(flags, eventType, 0)), parse(rawInput(flags, eventType, 1)), { flags, eventType });
}

// None, and one of each kind (one exact, several exact and prefixes); every count of each kind is the next test's.
const EVENT_TYPES = [undefined, 'page_viewed', 'lead_created,page_viewed,payment_*,refund_*'];

describe('the events page statement, compiled once per shape', () => {
  it('equals a fresh compile, SQL and parameters, for every combination of filters, event type kinds and cursor', () => {
    for (let flags = 0; flags < 1 << FLAGS.length; flags++) {
      for (const eventType of EVENT_TYPES) expectCachedEqualsFresh(flags, eventType);
    }
  });

  it('equals a fresh compile for every number of exact types and prefixes', () => {
    for (let exact = 0; exact <= 20; exact++) {
      for (let prefixes = 0; exact + prefixes <= 20; prefixes++) {
        if (exact + prefixes === 0) continue;
        const entries = [...Array.from({ length: exact }, (_, i) => `type_a${i}`), ...Array.from({ length: prefixes }, (_, i) => `pre_a${i}_*`)];
        expectCachedEqualsFresh(1, entries.join(','));
      }
    }
  });

  it('answers the rows of a fresh query from the cached statement', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'Cache' });
    for (let i = 0; i < 3; i++) await createEvent(db, project.id, { event_type: 'lead_created', occurred_at: `2026-01-0${i + 1}T10:00:00Z`, source: 'web' });
    const input = parse({ projectId: project.id, limit: 2 });
    const first = await listEvents(db, input);
    const cursor = first.nextCursor ?? '';
    const second = await listEvents(db, parse({ projectId: project.id, limit: 2, cursor }));
    const fresh = await listEventsQuery(db, parse({ projectId: project.id, limit: 2, cursor })).execute();
    expect(second.events.map((event) => event.id)).toEqual(fresh.map((row) => row.id));
    expect([...first.events, ...second.events].map((event) => event.occurredAt)).toEqual([
      '2026-01-03T10:00:00.000Z',
      '2026-01-02T10:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
    ]);
  });
});

describe('the event lookup statement, compiled once per kind of id', () => {
  it('equals a fresh compile, SQL and parameters, for a numeric id and a public id', () => {
    const { db } = testDb;
    for (const [first, second] of [
      ['12', '9223372036854775807'],
      ['evt_first', 'evt_second_one'],
    ] as const) {
      EVENT_BY_REF.compiled(db, ZEventRef.parse(first));
      const ref = ZEventRef.parse(second);
      const cached = EVENT_BY_REF.compiled(db, ref);
      const fresh = eventByRefQuery(db, ref).compile();
      expect({ sql: cached.sql, parameters: cached.parameters }).toEqual({ sql: fresh.sql, parameters: fresh.parameters });
    }
    expect(EVENT_BY_REF.shapeOf(ZEventRef.parse('12'))).not.toBe(EVENT_BY_REF.shapeOf(ZEventRef.parse('evt_x')));
  });
});
