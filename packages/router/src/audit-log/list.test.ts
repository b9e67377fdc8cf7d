import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import { createProject, createRun, createStuckRun, createTestCaller, createTestDatabase, type TestDatabase, testActor } from '../testing/index.js';
import { errorOf } from '../testing/trpc-error.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

function insertEntry(overrides: { admin_id?: string; action?: string; target_id?: string | null; created_at?: string }) {
  return testDb.db
    .insertInto('admin_audit_log')
    .values({ admin_id: 'ops-1', action: 'kpi.trigger_rollup', target_type: 'project', target_id: null, reason: 'seeded', ...overrides })
    .returning('id')
    .executeTakeFirstOrThrow();
}

describe('auditLog.list', () => {
  it('shows the writes made through the API, newest first, with every field', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const failed = await createRun(db, project.id, { status: 'failed' });
    const queued = await createRun(db, project.id, { status: 'queued' });
    const writer = createTestCaller(db, { actor: testActor(['inhouse.read', 'inhouse.write'], 'ops-lena'), requestId: 'req-42' });
    const { newRunId } = await writer.workflowRuns.retry({ id: failed.id, reason: 'provider recovered' });
    await writer.workflowRuns.cancel({ id: queued.id, reason: 'paused campaign' });

    const { entries, nextCursor } = await createTestCaller(db).auditLog.list({ adminId: 'ops-lena' });
    expect(nextCursor).toBeNull();
    expect(entries.map((e) => e.action)).toEqual(['workflow_run.cancel', 'workflow_run.retry']);
    const [cancel, retry] = entries;
    expect(typeof retry?.id).toBe('number');
    expect(retry).toEqual({
      id: retry?.id,
      adminId: 'ops-lena',
      action: 'workflow_run.retry',
      targetType: 'workflow_run',
      targetId: failed.id,
      reason: 'provider recovered',
      details: { newRunId, previousStatus: 'failed', wasStuck: false },
      requestId: 'req-42',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(cancel).toMatchObject({ targetId: queued.id, details: { previousStatus: 'queued' } });
  });

  it('filters by admin, action and target', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const stuck = await createStuckRun(db, project.id);
    await createTestCaller(db, { actor: testActor(['inhouse.read', 'inhouse.write'], 'ops-filter') }).workflowRuns.cancel({ id: stuck.id, reason: 'stop it' });
    await insertEntry({ admin_id: 'ops-filter', action: 'kpi.trigger_rollup', target_id: project.id });
    const caller = createTestCaller(db);

    const byTarget = await caller.auditLog.list({ targetId: stuck.id });
    expect(byTarget.entries.map((e) => [e.action, e.targetId])).toEqual([['workflow_run.cancel', stuck.id]]);
    const byAction = await caller.auditLog.list({ adminId: 'ops-filter', action: 'kpi.trigger_rollup' });
    expect(byAction.entries.map((e) => e.targetId)).toEqual([project.id]);
    expect((await caller.auditLog.list({ adminId: 'nobody' })).entries).toEqual([]);
  });

  it('filters by target type, and by bulk operation: its summary and every row it wrote, whatever the case of its id', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const runs = [await createRun(db, project.id, { status: 'queued' }), await createRun(db, project.id, { status: 'queued' })];
    const writer = createTestCaller(db, { actor: testActor(['inhouse.read', 'inhouse.write'], 'ops-bulk-audit') });
    const bulk = await writer.workflowRuns.bulkCancel({ reason: 'stop both', ids: runs.map((r) => r.id) });
    const single = await createRun(db, project.id, { status: 'queued' });
    await writer.workflowRuns.cancel({ id: single.id, reason: 'one more' });
    const caller = createTestCaller(db);

    const operation = await caller.auditLog.list({ bulkOperationId: (bulk.bulkOperationId ?? '').toUpperCase() });
    expect(operation.entries.map((e) => [e.action, e.targetType, e.targetId]).sort()).toEqual(
      [
        ['workflow_run.bulk_cancel', 'bulk_operation', bulk.bulkOperationId],
        ['workflow_run.cancel', 'workflow_run', runs[0]?.id],
        ['workflow_run.cancel', 'workflow_run', runs[1]?.id],
      ].sort(),
    );
    const summaries = await caller.auditLog.list({ targetType: 'bulk_operation', adminId: 'ops-bulk-audit' });
    expect(summaries.entries.map((e) => e.targetId)).toEqual([bulk.bulkOperationId]);
    const cancels = await caller.auditLog.list({ targetType: 'workflow_run', adminId: 'ops-bulk-audit' });
    expect(cancels.entries.map((e) => e.targetId)).toEqual([single.id, ...runs.map((r) => r.id).reverse()]);
  });

  it('pages by keyset on (created_at, id) without repeats or gaps', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await insertEntry({ admin_id: 'ops-pager', created_at: `2026-01-30T10:00:00.00000${i % 2}Z` })).id);
    const caller = createTestCaller(testDb.db);
    const first = await caller.auditLog.list({ adminId: 'ops-pager', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await caller.auditLog.list({ adminId: 'ops-pager', limit: 2, cursor: first.nextCursor ?? '' });
    const third = await caller.auditLog.list({ adminId: 'ops-pager', limit: 2, cursor: second.nextCursor ?? '' });
    expect(third.nextCursor).toBeNull();
    const seen = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
    // Newest first: the .000001 rows (ids 2nd and 4th) by id descending, then the .000000 rows.
    expect(seen).toEqual([ids[3], ids[1], ids[4], ids[2], ids[0]]);
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['an empty adminId', { adminId: '' }],
    ['a bulkOperationId that is not a uuid', { bulkOperationId: 'op-1' }],
    ['an empty targetType', { targetType: '' }],
    ['a cursor of another list', { cursor: encodeCursor('workflow-sends', ['2026-01-30 10:00:00+00', '00000000-0000-4000-8000-000000000000']) }],
    ['a cursor with a non-numeric id', { cursor: encodeCursor('audit-log', ['2026-01-30 10:00:00+00', 'x']) }],
  ])('answers 400 for %s', async (_name, input) => {
    expect((await errorOf(createTestCaller(testDb.db).auditLog.list(input as never))).code).toBe('BAD_REQUEST');
  });

  it('answers 401 without credentials and 403 without inhouse.read', async () => {
    const { db } = testDb;
    expect((await errorOf(createTestCaller(db, { actor: null }).auditLog.list({}))).code).toBe('UNAUTHORIZED');
    expect((await errorOf(createTestCaller(db, { actor: testActor(['inhouse.write']) }).auditLog.list({}))).code).toBe('FORBIDDEN');
  });
});
