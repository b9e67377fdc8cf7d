import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, createRun, createStuckRun, createTestCaller, createTestDatabase, raceBehindLock, type TestDatabase } from '../testing/index.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

/** The calls race for the run's row lock, which another transaction holds until all of them wait on it. */
const raceOnRow = <T>(runId: string, calls: () => Promise<T>[]) =>
  raceBehindLock(testDb, (trx) => trx.selectFrom('workflow_runs').select('id').where('id', '=', runId).forUpdate().execute(), calls);

function auditActionsFor(targetId: string) {
  return testDb.db.selectFrom('admin_audit_log').select('action').where('target_id', '=', targetId).execute();
}

function retriesOf(runId: string) {
  return testDb.db.selectFrom('workflow_runs').select(['id', 'status']).where('retry_of', '=', runId).execute();
}

describe('concurrent writes to one run', () => {
  it.each([
    ['failed', (projectId: string) => createRun(testDb.db, projectId, { status: 'failed' })],
    ['stuck', (projectId: string) => createStuckRun(testDb.db, projectId)],
  ])('20 simultaneous retries of a %s run create exactly one new run, answer 19 × 409 naming it, and audit once', async (_name, makeRun) => {
    const project = await createProject(testDb.db);
    const run = await makeRun(project.id);
    const caller = createTestCaller(testDb.db);

    const outcomes = await raceOnRow(run.id, () => Array.from({ length: 20 }, (_, i) => caller.workflowRuns.retry({ id: run.id, reason: `retry ${i}` })));

    const winners = outcomes.filter((o) => o.code === 'OK');
    expect(winners).toHaveLength(1);
    const newRunId = winners[0]?.value?.newRunId;
    const losers = outcomes.filter((o) => o.code !== 'OK');
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(loser).toMatchObject({ code: 'CONFLICT', details: { retryRunId: newRunId } });

    expect(await retriesOf(run.id)).toEqual([{ id: newRunId, status: 'queued' }]);
    expect(await auditActionsFor(run.id)).toEqual([{ action: 'workflow_run.retry' }]);
    const original = await testDb.db.selectFrom('workflow_runs').select(['status', 'lease_expires_at']).where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(original).toEqual({ status: 'failed', lease_expires_at: null });
  });

  it.each([
    ['retry fired first', ['retry', 'cancel'] as const],
    ['cancel fired first', ['cancel', 'retry'] as const],
  ])('a cancel racing a retry of the same stuck run: one wins, the other gets 409, the table agrees (%s)', async (_name, order) => {
    const caller = createTestCaller(testDb.db);
    for (let round = 0; round < 3; round++) {
      const project = await createProject(testDb.db);
      const stuck = await createStuckRun(testDb.db, project.id);

      const outcomes = await raceOnRow<{ status: string }>(stuck.id, () =>
        order.map((write) =>
          write === 'retry' ? caller.workflowRuns.retry({ id: stuck.id, reason: 'race' }) : caller.workflowRuns.cancel({ id: stuck.id, reason: 'race' }),
        ),
      );
      const byWrite = Object.fromEntries(order.map((write, i) => [write, outcomes[i]]));
      const original = await testDb.db
        .selectFrom('workflow_runs')
        .select(['status', 'lease_expires_at', 'error'])
        .where('id', '=', stuck.id)
        .executeTakeFirstOrThrow();
      const retries = await retriesOf(stuck.id);
      const audit = await auditActionsFor(stuck.id);

      if (byWrite.retry?.code === 'OK') {
        expect(byWrite.cancel).toMatchObject({ code: 'CONFLICT', details: { status: 'failed' } });
        expect(retries).toHaveLength(1);
        expect(original).toMatchObject({
          status: 'failed',
          lease_expires_at: null,
          error: { code: 'LEASE_EXPIRED', message: `superseded by retry ${retries[0]?.id}` },
        });
        expect(audit).toEqual([{ action: 'workflow_run.retry' }]);
      } else {
        expect(byWrite.cancel?.code).toBe('OK');
        expect(byWrite.retry).toMatchObject({ code: 'CONFLICT', details: { status: 'cancelled' } });
        expect(retries).toEqual([]);
        expect(original).toEqual({ status: 'cancelled', lease_expires_at: null, error: { code: 'CANCELLED', message: 'race' } });
        expect(audit).toEqual([{ action: 'workflow_run.cancel' }]);
      }
    }
  });
});
