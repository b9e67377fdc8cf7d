import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_INSERT } from '../audit.js';
import { type Clock, databaseClock, fixedClock } from '../clock.js';
import { encodeCursor } from '../pagination.js';
import type { ShapedQuery } from '../statement-cache.js';
import { createProject, createRun, createStuckRun, createTestDatabase, type TestDatabase } from '../testing/index.js';
import { shapeCheck } from '../testing/statements.js';
import { listRuns, listStuckRuns, RUNS_PAGE, runsPageQuery, STUCK_RUNS } from './queries.js';
import { type ListRunsInput, type StuckRunsInput, ZListRunsInput, ZStuckRunsInput } from './schemas.js';
import { CREATE_RETRIES, RETRIES_OF, RUN_STATES } from './writes.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

const FLAGS = ['projectId', 'status', 'actionId', 'requestedFrom', 'requestedTo', 'cursor'] as const;

/** Two clocks of each kind that differ in their value, so nothing of a fixed instant may end up in the cached text. */
const CLOCKS: readonly (readonly [string, Clock, Clock])[] = [
  ['the database clock', databaseClock, databaseClock],
  ['a fixed clock', fixedClock(new Date('2026-01-05T10:00:00Z')), fixedClock(new Date('2026-02-06T11:30:00.250Z'))],
];

/** Every value of a shape, in two variants that differ in every value. */
function rawInput(flags: number, stuck: boolean | undefined, variant: 0 | 1): Record<string, unknown> {
  const v = <T>(a: T, b: T) => (variant === 0 ? a : b);
  const values: Record<(typeof FLAGS)[number], unknown> = {
    projectId: v('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'),
    status: v('failed', 'running'),
    actionId: v('recover_abandoned', 'send_digest'),
    requestedFrom: v('2026-01-01T00:00:00Z', '2026-01-02T03:04:05.123456+02:00'),
    requestedTo: v('2026-03-01T00:00:00Z', '2026-04-01T00:00:00.5Z'),
    cursor: encodeCursor('workflow-runs', [
      v('2026-01-02T03:04:05.123456Z', '2026-02-03T04:05:06Z'),
      v('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'),
    ]),
  };
  const input: Record<string, unknown> = { limit: v(50, 200) };
  FLAGS.forEach((flag, bit) => {
    if (flags & (1 << bit)) input[flag] = values[flag];
  });
  if (stuck !== undefined) input.stuck = stuck;
  return input;
}

describe('the runs page statement, compiled once per shape', () => {
  it('covers every field of the list input, so a new filter is a new test case', () => {
    expect(new Set([...FLAGS, 'stuck', 'limit'])).toEqual(new Set(Object.keys(ZListRunsInput.shape)));
  });

  it('equals a fresh compile, SQL and parameters, for every combination of filters, stuck, cursor and kind of clock', () => {
    const expectRunsPageAsFresh = shapeCheck(testDb.db, RUNS_PAGE);
    for (const [clockName, firstClock, secondClock] of CLOCKS) {
      for (let flags = 0; flags < 1 << FLAGS.length; flags++) {
        for (const stuck of [undefined, true, false]) {
          const first: ListRunsInput = ZListRunsInput.parse(rawInput(flags, stuck, 0));
          const second: ListRunsInput = ZListRunsInput.parse(rawInput(flags, stuck, 1));
          expectRunsPageAsFresh({ input: first, clock: firstClock }, { input: second, clock: secondClock }, { clockName, flags, stuck });
        }
      }
    }
  });

  it('answers what a fresh query answers, also as a fixed clock moves past a lease', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'Runs cache' });
    const stuck = await createStuckRun(db, project.id, { lease_expires_at: new Date('2026-01-10T12:00:00Z'), requested_at: new Date('2026-01-10T11:00:00Z') });
    await createRun(db, project.id, { status: 'failed', requested_at: new Date('2026-01-10T10:00:00Z') });
    const clock = fixedClock(new Date('2026-01-10T11:59:00Z'));
    const input = ZListRunsInput.parse({ projectId: project.id, stuck: true });
    expect((await listRuns(db, input, clock)).runs).toEqual([]);
    clock.set(new Date('2026-01-10T12:01:00Z'));
    expect((await listRuns(db, input, clock)).runs.map((run) => run.id)).toEqual([stuck.id]);
    const notStuck = ZListRunsInput.parse({ projectId: project.id, stuck: false, limit: 1 });
    const page = await listRuns(db, notStuck, clock);
    const fresh = await runsPageQuery(db, notStuck, clock).execute();
    expect(page.runs.map((run) => run.id)).toEqual(fresh.slice(0, 1).map((row) => row.id));
    expect(page.nextCursor).toBeNull();
  });
});

describe('the stuck runs statement, compiled once per shape', () => {
  it('equals a fresh compile with and without a project, for either kind of clock', () => {
    const expectStuckRunsAsFresh = shapeCheck(testDb.db, STUCK_RUNS);
    for (const [clockName, firstClock, secondClock] of CLOCKS) {
      for (const projectIds of [[], ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']]) {
        const [first, second]: StuckRunsInput[] = [0, 1].map((i) =>
          ZStuckRunsInput.parse({ limit: 10 + i, ...(projectIds[i] ? { projectId: projectIds[i] } : {}) }),
        );
        if (!first || !second) throw new Error('two inputs');
        expectStuckRunsAsFresh({ input: first, clock: firstClock }, { input: second, clock: secondClock }, { clockName, projectIds });
      }
    }
  });

  it('answers the runs whose lease has expired by the clock of this call', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'Stuck cache' });
    const run = await createStuckRun(db, project.id, { lease_expires_at: new Date('2026-03-01T12:00:00Z') });
    const clock = fixedClock(new Date('2026-03-01T11:00:00Z'));
    const input = ZStuckRunsInput.parse({ projectId: project.id });
    expect((await listStuckRuns(db, input, clock)).runs).toEqual([]);
    clock.advance(2 * 60 * 60 * 1000);
    expect((await listStuckRuns(db, input, clock)).runs.map((stuck) => stuck.id)).toEqual([run.id]);
  });
});

const RUN_IDS = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2'] as const;

describe("a single write's statements, compiled once per shape", () => {
  /** Primes the statement with `first`, then asks for `second`: SQL and parameters must be a fresh compile's. */
  function expectCachedEqualsFresh<I, Row>(statement: ShapedQuery<I, Row, string | undefined>, first: I, second: I): void {
    shapeCheck(testDb.db, statement)(first, second);
  }

  it('reads or locks one run, under either kind of clock', () => {
    for (const [, firstClock, secondClock] of CLOCKS) {
      for (const lock of [true, false]) {
        expectCachedEqualsFresh(RUN_STATES, { ids: [RUN_IDS[0]], lock, clock: firstClock }, { ids: [RUN_IDS[1]], lock, clock: secondClock });
      }
    }
    expect(RUN_STATES.shapeOf({ ids: [RUN_IDS[0]], lock: true, clock: databaseClock })).not.toBe(
      RUN_STATES.shapeOf({ ids: [RUN_IDS[0]], lock: false, clock: databaseClock }),
    );
    expect(RUN_STATES.shapeOf({ ids: [...RUN_IDS], lock: true, clock: databaseClock })).toBeUndefined();
  });

  it("reads one run's retries and creates one retry, under either kind of clock", () => {
    expectCachedEqualsFresh(RETRIES_OF, [RUN_IDS[0]], [RUN_IDS[1]]);
    for (const [, firstClock, secondClock] of CLOCKS) {
      expectCachedEqualsFresh(CREATE_RETRIES, { ids: [RUN_IDS[0]], clock: firstClock }, { ids: [RUN_IDS[1]], clock: secondClock });
    }
    expect(CREATE_RETRIES.shapeOf({ ids: [...RUN_IDS], clock: databaseClock })).toBeUndefined();
  });

  it('inserts one audit row, with or without a target and a request id', () => {
    const row = (variant: 0 | 1, target: string | null, requestId: string | null) => ({
      admin_id: `admin-${variant}`,
      action: variant === 0 ? 'workflow_run.retry' : 'workflow_run.cancel',
      target_type: 'workflow_run',
      target_id: target,
      reason: `reason ${variant}`,
      details: JSON.stringify({ variant }),
      request_id: requestId,
    });
    expectCachedEqualsFresh(AUDIT_INSERT, [row(0, RUN_IDS[0], 'req-1')], [row(1, null, null)]);
    expectCachedEqualsFresh(AUDIT_INSERT, [row(0, null, null)], [row(1, RUN_IDS[1], 'req-2')]);
    expect(AUDIT_INSERT.shapeOf([row(0, null, null), row(1, null, null)])).toBeUndefined();
  });
});
