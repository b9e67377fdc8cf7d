import type { JsonValue } from '@runhub/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, createProject, createTestCaller, createTestDatabase, failureOf, type TestDatabase } from '../testing/index.js';

let testDb: TestDatabase;
let projectId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  projectId = (await createProject(testDb.db, { name: 'Sakura Ceramics' })).id;
});
afterAll(() => testDb.destroy());

describe('businessEvents.get', () => {
  it('finds an event by numeric id (text or number) and by public id', async () => {
    const { db } = testDb;
    const event = await createEvent(db, projectId, { public_id: 'evt_abc123', occurred_at: '2026-01-30T10:00:00Z', session_id: 'sess_xyz' });
    const caller = createTestCaller(db);
    const byText = await caller.businessEvents.get({ id: String(event.id) });
    expect(byText).toMatchObject({ id: event.id, publicId: 'evt_abc123', projectId, projectName: 'Sakura Ceramics', sessionId: 'sess_xyz', anonymousId: null });
    expect(await caller.businessEvents.get({ id: event.id })).toEqual(byText);
    expect(await caller.businessEvents.get({ id: 'evt_abc123' })).toEqual(byText);
    const listed = await caller.businessEvents.list({ projectId, limit: 200 });
    expect(listed.events.find((e) => e.id === event.id)).toEqual(byText);
  });

  it.each([
    ['an unknown numeric id', '987654321'],
    ['the largest bigint', '9223372036854775807'],
    ['an unknown public id', 'evt_doesnotexist'],
  ])('answers NOT_FOUND for %s', async (_name, id) => {
    expect(await failureOf(createTestCaller(testDb.db).businessEvents.get({ id }))).toEqual({ code: 'NOT_FOUND', paths: [] });
  });

  it.each([
    ['zero', '0'],
    ['a negative id', '-1'],
    ['a fractional id', '1.5'],
    ['an exponent', '1e3'],
    ['a leading zero', '007'],
    ['an id past bigint', '9223372036854775808'],
    ['free text', 'payment'],
    ['a bare prefix', 'evt_'],
    ['a public id with a space', 'evt_abc 123'],
    ['a quote', "evt_a' or '1'='1"],
    ['an overlong public id', `evt_${'a'.repeat(125)}`],
    ['an empty id', ''],
    ['a negative number', -5],
    ['an unsafe number', 2 ** 60],
  ])('answers BAD_REQUEST on `id` for %s', async (_name, id) => {
    expect(await failureOf(createTestCaller(testDb.db).businessEvents.get({ id }))).toEqual({ code: 'BAD_REQUEST', paths: ['id'] });
  });
});

describe('payload round-trip', () => {
  const payloads: [string, JsonValue][] = [
    [
      'unicode of every plane',
      {
        name: 'Zoë Ångström',
        city: '東京',
        rtl: 'مرحبا بالعالم',
        emoji: '👩🏽‍💻🚀',
        combining: 'e\u0301',
        escapes: 'quote " backslash \\ tab \t newline \n',
        separator: '\u2028',
      },
    ],
    ['a 10 KB payload', { note: 'x'.repeat(10_240), items: Array.from({ length: 50 }, (_, i) => ({ sku: `sku_${i}`, qty: i })) }],
    [
      'nested arrays',
      {
        matrix: [
          [1, 2],
          [3, [4, [5, []]]],
        ],
        mixed: [null, true, false, 0, -1.5, 'text', {}, []],
      },
    ],
    ['numbers at the edges', { big: 9007199254740991, small: -9007199254740991, tiny: 1e-7, huge: 1.5e300, fraction: 0.1 }],
    ['an array at the top', [1, 'two', { three: 3 }]],
    ['a string at the top', 'just text'],
    ['an empty object', {}],
    ['keys with dots, spaces and unicode', { 'a.b': 1, 'with space': 2, ключ: 3, '': 4 }],
  ];

  it.each(payloads)('returns %s as stored, by list and by id', async (_name, payload) => {
    const { db } = testDb;
    const event = await createEvent(db, projectId, {
      event_type: 'payload_check',
      payload: JSON.stringify(payload),
      actor_type: null,
      actor_id: null,
      anonymous_id: 'anon_😀',
    });
    const caller = createTestCaller(db);
    const found = await caller.businessEvents.get({ id: event.id });
    expect(found.payload).toEqual(payload);
    expect(found).toMatchObject({ actorType: null, actorId: null, anonymousId: 'anon_😀' });
    const { events } = await caller.businessEvents.list({ projectId, eventType: 'payload_check', limit: 1 });
    expect(events[0]).toEqual(found);
  });
});
