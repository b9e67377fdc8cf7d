import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  createRun,
  createStuckRun,
  createTestCaller,
  createTestDatabase,
  type Outcome,
  raceBehindLock,
  type TestDatabase,
} from '../testing/index.js';
import type { BulkRunsOutput } from './schemas.js';

/**
 * SPEC §7.4's concurrency rules, with every call really contending on PostgreSQL: the calls start
 * while another transaction holds `workflow_runs` in EXCLUSIVE mode, which blocks every
 * `select … for update` (and so every write's first lock) but no plain read, and the table is
 * released only once all of them wait on it. PGlite has one connection: there the calls queue
 * behind the holder and run one after another, which the same assertions must survive.
 */
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

/** The calls start while `workflow_runs` is locked in EXCLUSIVE mode, released once all of them wait on it. */
const startTogether = <T>(calls: () => Promise<T>[]) => raceBehindLock(testDb, (trx) => sql`lock table workflow_runs in exclusive mode`.execute(trx), calls);

async function retriesOf(runIds: readonly string[]) {
  return testDb.db.selectFrom('workflow_runs').select(['id', 'retry_of']).where('retry_of', 'in', runIds).execute();
}

async function auditRowsOf(runIds: readonly string[]) {
  return testDb.db.selectFrom('admin_audit_log').select(['action', 'target_id', 'details']).where('target_id', 'in', runIds).execute();
}

const changedBy = (outcomes: Outcome<BulkRunsOutput>[]) => outcomes.flatMap((outcome) => outcome.value?.runIds ?? []);

describe('two identical bulk retries started together', () => {
  it('by ids: change, between them, exactly the runs that were eligible, each once', async () => {
    const project = await createProject(testDb.db);
    const eligible = [];
    for (let i = 0; i < 6; i++) eligible.push((await createRun(testDb.db, project.id, { status: 'failed' })).id);
    for (let i = 0; i < 4; i++) eligible.push((await createStuckRun(testDb.db, project.id)).id);
    const ineligible = [
      (await createRun(testDb.db, project.id, { status: 'queued' })).id,
      (await createRun(testDb.db, project.id, { status: 'succeeded' })).id,
    ];
    const caller = createTestCaller(testDb.db);
    const ids = [...eligible, ...ineligible];

    const outcomes = await startTogether(() => [caller.workflowRuns.bulkRetry({ reason: 'a', ids }), caller.workflowRuns.bulkRetry({ reason: 'b', ids })]);

    expect(outcomes.map((o) => o.code)).toEqual(['OK', 'OK']);
    const changed = changedBy(outcomes);
    expect(changed.sort()).toEqual([...eligible].sort());
    const retries = await retriesOf(ids);
    expect(retries.map((r) => r.retry_of).sort()).toEqual([...eligible].sort());
    const audit = await auditRowsOf(ids);
    expect(audit.map((row) => row.target_id).sort()).toEqual([...eligible].sort());
    // The one that came second saw every run already retried.
    expect(outcomes.map((o) => o.value?.runIds.length).sort()).toEqual([0, eligible.length]);
  });

  it('by filter: the second waits for the first, passes what it changed and takes the next runs: every eligible run once', async () => {
    for (let round = 0; round < 3; round++) {
      const project = await createProject(testDb.db);
      const eligible = [];
      for (let i = 0; i < 30; i++) eligible.push((await createRun(testDb.db, project.id, { status: 'failed' })).id);
      await createRun(testDb.db, project.id, { status: 'succeeded' });
      const caller = createTestCaller(testDb.db);
      const input = { reason: 'retry all failed', filter: { projectId: project.id }, limit: 20 };

      const outcomes = await startTogether(() => [caller.workflowRuns.bulkRetry(input), caller.workflowRuns.bulkRetry(input)]);

      expect(outcomes.map((o) => o.code)).toEqual(['OK', 'OK']);
      const changed = changedBy(outcomes);
      expect(new Set(changed).size).toBe(changed.length);
      expect(changed.sort()).toEqual([...eligible].sort());
      expect((await retriesOf(eligible)).length).toBe(eligible.length);
      expect((await auditRowsOf(eligible)).length).toBe(eligible.length);
    }
  });
});

describe('a bulk retry racing single retries and cancels of the same runs', () => {
  it('never retries a run twice, never cancels and retries one run, and writes one audit row per change', async () => {
    const project = await createProject(testDb.db);
    const runs = [];
    for (let i = 0; i < 6; i++) runs.push(await createStuckRun(testDb.db, project.id));
    for (let i = 0; i < 3; i++) runs.push(await createRun(testDb.db, project.id, { status: 'failed' }));
    for (let i = 0; i < 3; i++) runs.push(await createRun(testDb.db, project.id, { status: 'queued' }));
    const ids = runs.map((run) => run.id);
    const caller = createTestCaller(testDb.db);

    const outcomes = await startTogether<unknown>(() => [
      caller.workflowRuns.bulkRetry({ reason: 'bulk by ids', ids }),
      caller.workflowRuns.bulkRetry({ reason: 'bulk by filter', filter: { projectId: project.id } }),
      ...ids.flatMap((id, i) =>
        i % 2 === 0
          ? [caller.workflowRuns.cancel({ id, reason: 'single cancel' }), caller.workflowRuns.retry({ id, reason: 'single retry' })]
          : [caller.workflowRuns.retry({ id, reason: 'single retry' }), caller.workflowRuns.cancel({ id, reason: 'single cancel' })],
      ),
    ]);

    // Every loser is told 409; no deadlock, no 500.
    expect(outcomes.filter((o) => o.code !== 'OK' && o.code !== 'CONFLICT')).toEqual([]);
    const states = await testDb.db.selectFrom('workflow_runs').select(['id', 'status']).where('id', 'in', ids).execute();
    const retries = await retriesOf(ids);
    const audit = await auditRowsOf(ids);
    for (const { id, status } of states) {
      const retriesOfRun = retries.filter((r) => r.retry_of === id);
      expect(retriesOfRun.length, `retries of ${id}`).toBeLessThanOrEqual(1);
      expect(status === 'cancelled' && retriesOfRun.length > 0, `${id} cancelled and retried`).toBe(false);
      const retryRows = audit.filter((row) => row.target_id === id && row.action === 'workflow_run.retry');
      const cancelRows = audit.filter((row) => row.target_id === id && row.action === 'workflow_run.cancel');
      expect(retryRows.map((row) => (row.details as { newRunId?: string }).newRunId)).toEqual(retriesOfRun.map((r) => r.id));
      expect(cancelRows.length, `cancel rows of ${id}`).toBe(status === 'cancelled' ? 1 : 0);
      // Every run was changed by exactly one of the writes.
      expect(retryRows.length + cancelRows.length, `changes of ${id}`).toBe(1);
    }
  });
});
