import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { useTestDatabase } from '../testing/hooks.js';
import {
  auditRowsFor,
  createProject,
  createRun,
  createStuckRun,
  createTestCaller,
  errorOf,
  INVALID_RUN_WRITES,
  readRun,
  testActor,
  UNKNOWN_RUN_ID,
} from '../testing/index.js';

const testDb = useTestDatabase();
const NOW = new Date('2026-01-30T12:00:00.000Z');
const MINUTE = 60_000;

function caller() {
  return createTestCaller(testDb.db, { adminId: 'ops-omar', clock: fixedClock(NOW), requestId: 'req-cancel' });
}

describe('workflowRuns.cancel', () => {
  it.each([
    ['queued', { status: 'queued' as const }],
    ['running', { status: 'running' as const, started_at: new Date(NOW.getTime() - MINUTE), lease_expires_at: new Date(NOW.getTime() + 29 * MINUTE) }],
    ['stuck', { status: 'running' as const, started_at: new Date(NOW.getTime() - 90 * MINUTE), lease_expires_at: new Date(NOW.getTime() - 60 * MINUTE) }],
  ])('cancels a %s run: completed now, lease cleared, the reason as its error, one audit row', async (_name, overrides) => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { ...overrides, attempts: 1 });

    expect(await caller().workflowRuns.cancel({ id: run.id, reason: ' Customer requested cancellation ' })).toEqual({ status: 'cancelled' });

    const after = await readRun(testDb.db, run.id);
    expect(after).toEqual({
      ...run,
      status: 'cancelled',
      completed_at: NOW,
      lease_expires_at: null,
      error: { code: 'CANCELLED', message: 'Customer requested cancellation' },
    });
    const audit = await auditRowsFor(testDb.db, run.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      admin_id: 'ops-omar',
      action: 'workflow_run.cancel',
      target_type: 'workflow_run',
      target_id: run.id,
      reason: 'Customer requested cancellation',
      details: { previousStatus: overrides.status },
      request_id: 'req-cancel',
    });
  });

  it('answers 200 again for a cancelled run, changing nothing and writing no second audit row', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'queued' });
    await caller().workflowRuns.cancel({ id: run.id, reason: 'first' });
    const cancelled = await readRun(testDb.db, run.id);

    expect(await caller().workflowRuns.cancel({ id: run.id, reason: 'second' })).toEqual({ status: 'cancelled' });
    expect(await readRun(testDb.db, run.id)).toEqual(cancelled);
    expect(await auditRowsFor(testDb.db, run.id)).toHaveLength(1);
  });

  it('answers 200 without an audit row for a run that was cancelled some other way', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'cancelled' });
    expect(await caller().workflowRuns.cancel({ id: run.id, reason: 'x' })).toEqual({ status: 'cancelled' });
    expect(await readRun(testDb.db, run.id)).toEqual(run);
    expect(await auditRowsFor(testDb.db, run.id)).toEqual([]);
  });

  it.each(['succeeded', 'failed'] as const)('answers 409 for a %s run, and changes nothing', async (status) => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status });
    expect(await errorOf(caller().workflowRuns.cancel({ id: run.id, reason: 'stop' }))).toEqual({ code: 'CONFLICT', details: { status } });
    expect(await readRun(testDb.db, run.id)).toEqual(run);
    expect(await auditRowsFor(testDb.db, run.id)).toEqual([]);
  });

  it('answers 409 for a stuck run once a retry has superseded it', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const stuck = await createStuckRun(db, project.id, { lease_expires_at: new Date(NOW.getTime() - MINUTE) });
    await caller().workflowRuns.retry({ id: stuck.id, reason: 'retry first' });
    expect(await errorOf(caller().workflowRuns.cancel({ id: stuck.id, reason: 'then cancel' }))).toEqual({ code: 'CONFLICT', details: { status: 'failed' } });
  });

  it('answers 404 for an unknown run', async () => {
    expect((await errorOf(caller().workflowRuns.cancel({ id: UNKNOWN_RUN_ID, reason: 'x' }))).code).toBe('NOT_FOUND');
  });

  it.each(INVALID_RUN_WRITES)('answers 400 for %s, before looking the run up', async (_name, input) => {
    expect((await errorOf(caller().workflowRuns.cancel(input as never))).code).toBe('BAD_REQUEST');
  });

  it('answers 401 without credentials and 403 without inhouse.write', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'queued' });
    expect((await errorOf(createTestCaller(db, { actor: null }).workflowRuns.cancel({ id: run.id, reason: 'x' }))).code).toBe('UNAUTHORIZED');
    const readOnly = createTestCaller(db, { actor: testActor(['inhouse.read']) });
    expect((await errorOf(readOnly.workflowRuns.cancel({ id: run.id, reason: 'x' }))).code).toBe('FORBIDDEN');
    expect(await readRun(testDb.db, run.id)).toEqual(run);
  });
});
