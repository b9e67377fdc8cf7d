import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createEvent, createProject, createTestCaller, createTestDatabase, failureOf, issuesOf, type TestDatabase } from '../testing/index.js';

let testDb: TestDatabase;
let projectId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  projectId = (await createProject(db)).id;
  const events: [type: string, occurredAt: string][] = [
    ['page_viewed', '2026-01-22T23:59:59.999999Z'], // the day before a default range ending 2026-01-30
    ['page_viewed', '2026-01-23T00:00:00Z'],
    ['lead_created', '2026-01-25T12:00:00Z'],
    ['lead_created', '2026-01-26T12:00:00Z'],
    ['payment_succeeded', '2026-01-27T12:00:00Z'],
    ['payment_succeeded', '2026-01-28T12:00:00Z'],
    ['Zebra_event', '2026-01-29T12:00:00Z'],
    ['checkout_started', '2026-01-30T23:59:59.999999Z'],
    ['checkout_started', '2026-01-31T00:00:00Z'], // the day after
  ];
  for (const [type, occurredAt] of events) await createEvent(db, projectId, { event_type: type, occurred_at: occurredAt });
  // Another project's events count only without the project filter.
  const other = await createProject(db);
  await createEvent(db, other.id, { event_type: 'lead_created', occurred_at: '2026-01-27T08:00:00Z' });
});
afterAll(() => testDb.destroy());

describe('businessEvents.stats', () => {
  it('counts by type over an inclusive UTC range, by count then by type in code-point order', async () => {
    const stats = await createTestCaller(testDb.db).businessEvents.stats({ projectId, startDate: '2026-01-23', endDate: '2026-01-30' });
    expect(stats).toEqual({
      totalEvents: 7,
      startDate: '2026-01-23',
      endDate: '2026-01-30',
      // Upper case sorts before lower case whatever the database's collation.
      byType: [
        { eventType: 'lead_created', count: 2 },
        { eventType: 'payment_succeeded', count: 2 },
        { eventType: 'Zebra_event', count: 1 },
        { eventType: 'checkout_started', count: 1 },
        { eventType: 'page_viewed', count: 1 },
      ],
    });
  });

  it('counts every project without a project filter', async () => {
    const stats = await createTestCaller(testDb.db).businessEvents.stats({ startDate: '2026-01-27', endDate: '2026-01-27' });
    expect(stats).toEqual({
      totalEvents: 2,
      startDate: '2026-01-27',
      endDate: '2026-01-27',
      byType: [
        { eventType: 'lead_created', count: 1 },
        { eventType: 'payment_succeeded', count: 1 },
      ],
    });
  });

  it('defaults to the 7 days before today (UTC, by the clock) and today', async () => {
    const clock = fixedClock(new Date('2026-01-30T23:30:00Z'));
    const caller = createTestCaller(testDb.db, { clock });
    const stats = await caller.businessEvents.stats({ projectId });
    expect(stats).toMatchObject({ totalEvents: 7, startDate: '2026-01-23', endDate: '2026-01-30' });

    // Half past midnight in Berlin is still the 29th in UTC.
    clock.set(new Date('2026-01-30T00:30:00+01:00'));
    const dayBefore = await caller.businessEvents.stats({ projectId });
    expect(dayBefore).toMatchObject({ totalEvents: 7, startDate: '2026-01-22', endDate: '2026-01-29' });
    expect(dayBefore.byType).toContainEqual({ eventType: 'page_viewed', count: 2 });
    expect(dayBefore.byType.map((t) => t.eventType)).not.toContain('checkout_started');
  });

  it('ends today with only a start, and starts 7 days before the end with only an end', async () => {
    const caller = createTestCaller(testDb.db, { clock: fixedClock(new Date('2026-01-31T06:00:00Z')) });
    expect(await caller.businessEvents.stats({ projectId, startDate: '2026-01-30' })).toMatchObject({
      totalEvents: 2,
      startDate: '2026-01-30',
      endDate: '2026-01-31',
    });
    expect(await caller.businessEvents.stats({ projectId, endDate: '2024-03-02' })).toEqual({
      totalEvents: 0,
      startDate: '2024-02-24',
      endDate: '2024-03-02',
      byType: [],
    });
    expect(await caller.businessEvents.stats({ endDate: '2026-03-03' })).toMatchObject({ startDate: '2026-02-24', endDate: '2026-03-03' });
  });

  it('rejects a start after the end, also when the end is the implied today', async () => {
    const caller = createTestCaller(testDb.db, { clock: fixedClock(new Date('2026-01-30T12:00:00Z')) });
    expect(await issuesOf(caller.businessEvents.stats({ startDate: '2026-01-31', endDate: '2026-01-30' }))).toEqual({
      code: 'BAD_REQUEST',
      issues: [{ path: 'startDate', message: 'startDate 2026-01-31 is after endDate 2026-01-30' }],
    });
    expect(await issuesOf(caller.businessEvents.stats({ startDate: '2026-01-31' }))).toEqual({
      code: 'BAD_REQUEST',
      issues: [{ path: 'startDate', message: 'startDate 2026-01-31 is after endDate 2026-01-30' }],
    });
  });

  it.each([
    ['a date that does not exist', { startDate: '2026-02-30' }, 'startDate'],
    ['a date with a time', { endDate: '2026-01-30 00:00' }, 'endDate'],
    ['a date as a number', { endDate: 20260130 }, 'endDate'],
    ['a malformed projectId', { projectId: 'store-1' }, 'projectId'],
  ])('rejects %s as BAD_REQUEST', async (_name, input, path) => {
    expect(await failureOf(createTestCaller(testDb.db).businessEvents.stats(input as never))).toEqual({ code: 'BAD_REQUEST', paths: [path] });
  });
});
