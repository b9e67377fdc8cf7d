import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createProject, createRun, createTestCaller, createTestDatabase, errorOf, failureOf, type TestDatabase, testActor } from '../testing/index.js';

let testDb: TestDatabase;
const NOW = new Date('2030-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

const caller = (adminId = 'ops-bulk') => createTestCaller(testDb.db, { actor: testActor(['inhouse.read', 'inhouse.write'], adminId), clock: fixedClock(NOW) });

/** Everything a bulk write could change, in one comparable value. */
async function fingerprint(): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    select concat_ws('|',
      (select count(*) from admin_audit_log),
      (select md5(coalesce(string_agg(id::text || status || coalesce(retry_of::text, '') || coalesce(error::text, '') || coalesce(lease_expires_at::text, ''), ',' order by id), '')) from workflow_runs)
    ) as f`.execute(testDb.db);
  return rows[0]?.f ?? '';
}

function stuck(projectId: string, minutes: number) {
  return createRun(testDb.db, projectId, { status: 'running', requested_at: at(minutes), lease_expires_at: at(-5), attempts: 1 });
}

describe('workflowRuns.bulkRetry by ids', () => {
  it('retries the oldest eligible runs, reports every other id with its reason in the given order, and audits each change and the operation', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const failedOld = await createRun(db, project.id, { status: 'failed', requested_at: at(-50) });
    const stuckRun = await stuck(project.id, -40);
    const failedYoung = await createRun(db, project.id, { status: 'failed', requested_at: at(-10) });
    const retried = await createRun(db, project.id, { status: 'failed', requested_at: at(-60) });
    await createRun(db, project.id, { status: 'queued', retry_of: retried.id });
    const succeeded = await createRun(db, project.id, { status: 'succeeded' });
    const cancelled = await createRun(db, project.id, { status: 'cancelled' });

    const ids = [failedYoung.id, UNKNOWN, succeeded.id, stuckRun.id.toUpperCase(), retried.id, cancelled.id, failedOld.id];
    const answer = await caller().workflowRuns.bulkRetry({ reason: ' provider recovered ', ids, limit: 2 });

    expect(answer).toEqual({
      dryRun: false,
      bulkOperationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      matched: 6,
      eligible: 3,
      runIds: [failedOld.id, stuckRun.id],
      newRunIds: [expect.any(String), expect.any(String)],
      remaining: 1,
      skipped: [
        { id: failedYoung.id, reason: 'over_limit' },
        { id: UNKNOWN, reason: 'not_found' },
        { id: succeeded.id, reason: 'not_eligible' },
        { id: retried.id, reason: 'already_retried' },
        { id: cancelled.id, reason: 'not_eligible' },
      ],
    });
    const [newOld, newStuck] = answer.newRunIds;
    const created = await db.selectFrom('workflow_runs').select(['id', 'retry_of', 'status', 'idempotency_key']).where('id', 'in', answer.newRunIds).execute();
    expect(created.sort((a, b) => (a.id === newOld ? -1 : b.id === newOld ? 1 : 0))).toEqual([
      { id: newOld, retry_of: failedOld.id, status: 'queued', idempotency_key: `${failedOld.idempotency_key}:retry:${failedOld.id}` },
      { id: newStuck, retry_of: stuckRun.id, status: 'queued', idempotency_key: `${stuckRun.idempotency_key}:retry:${stuckRun.id}` },
    ]);
    const original = await db
      .selectFrom('workflow_runs')
      .select(['status', 'lease_expires_at', 'error'])
      .where('id', '=', stuckRun.id)
      .executeTakeFirstOrThrow();
    expect(original).toEqual({ status: 'failed', lease_expires_at: null, error: { code: 'LEASE_EXPIRED', message: `superseded by retry ${newStuck}` } });
    expect((await db.selectFrom('workflow_runs').select('id').where('retry_of', '=', failedYoung.id).execute()).length).toBe(0);

    const { entries } = await caller().auditLog.list({ bulkOperationId: answer.bulkOperationId ?? '' });
    expect(entries.map((e) => [e.action, e.targetType, e.targetId])).toEqual([
      ['workflow_run.retry', 'workflow_run', stuckRun.id],
      ['workflow_run.retry', 'workflow_run', failedOld.id],
      ['workflow_run.bulk_retry', 'bulk_operation', answer.bulkOperationId],
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ adminId: 'ops-bulk', reason: 'provider recovered' });
    expect(entries[0]?.details).toEqual({ newRunId: newStuck, previousStatus: 'running', wasStuck: true, bulkOperationId: answer.bulkOperationId });
    expect(entries[1]?.details).toEqual({ newRunId: newOld, previousStatus: 'failed', wasStuck: false, bulkOperationId: answer.bulkOperationId });
    expect(entries[2]?.details).toEqual({
      bulkOperationId: answer.bulkOperationId,
      ids: ids.map((id) => id.toLowerCase()),
      limit: 2,
      matched: 6,
      eligible: 3,
      remaining: 1,
      changed: 2,
      skipped: 5,
    });
  });

  it('leaves nothing applied when one retry cannot be inserted midway (its idempotency key is taken): 409 naming the run', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const first = await createRun(db, project.id, { status: 'failed', requested_at: at(-30) });
    const blocked = await stuck(project.id, -20);
    const last = await createRun(db, project.id, { status: 'failed', requested_at: at(-10) });
    await createRun(db, project.id, { status: 'succeeded', idempotency_key: `${blocked.idempotency_key}:retry:${blocked.id}` });
    const before = await fingerprint();

    expect(await errorOf(caller().workflowRuns.bulkRetry({ reason: 'all of them', ids: [first.id, blocked.id, last.id] }))).toEqual({
      code: 'CONFLICT',
      details: { runId: blocked.id },
    });
    expect(await errorOf(caller().workflowRuns.bulkRetry({ reason: 'all of them', filter: { projectId: project.id } }))).toMatchObject({ code: 'CONFLICT' });
    expect(await fingerprint()).toBe(before);
  });
});

describe('workflowRuns.bulkCancel by ids', () => {
  it('cancels queued, running and stuck runs; reports cancelled ones as already_cancelled and finished ones as not_eligible', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const queued = await createRun(db, project.id, { status: 'queued', requested_at: at(-3) });
    const running = await createRun(db, project.id, { status: 'running', requested_at: at(-2), lease_expires_at: at(30) });
    const stuckRun = await stuck(project.id, -1);
    const cancelled = await createRun(db, project.id, { status: 'cancelled' });
    const failed = await createRun(db, project.id, { status: 'failed' });

    const answer = await caller().workflowRuns.bulkCancel({ reason: 'pause the campaign', ids: [cancelled.id, stuckRun.id, failed.id, running.id, queued.id] });
    expect(answer).toMatchObject({
      dryRun: false,
      matched: 5,
      eligible: 3,
      runIds: [queued.id, running.id, stuckRun.id],
      newRunIds: [],
      remaining: 0,
      skipped: [
        { id: cancelled.id, reason: 'already_cancelled' },
        { id: failed.id, reason: 'not_eligible' },
      ],
    });
    const rows = await db
      .selectFrom('workflow_runs')
      .select(['status', 'lease_expires_at', 'error', 'completed_at'])
      .where('id', 'in', answer.runIds)
      .execute();
    for (const row of rows)
      expect(row).toEqual({ status: 'cancelled', lease_expires_at: null, error: { code: 'CANCELLED', message: 'pause the campaign' }, completed_at: NOW });
    const { entries } = await caller().auditLog.list({ bulkOperationId: answer.bulkOperationId ?? '' });
    expect(entries.map((e) => e.action).sort()).toEqual(['workflow_run.bulk_cancel', 'workflow_run.cancel', 'workflow_run.cancel', 'workflow_run.cancel']);
    expect(entries.find((e) => e.targetId === running.id)?.details).toEqual({ previousStatus: 'running', bulkOperationId: answer.bulkOperationId });
  });
});

describe('bulk operations by filter', () => {
  it('applies to the first `limit` eligible runs the filter selects, oldest first, and a second call takes the next ones', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const eligible = [];
    for (let i = 0; i < 5; i++) eligible.push(await createRun(db, project.id, { status: 'failed', requested_at: at(-100 + i) }));
    await createRun(db, project.id, { status: 'succeeded' });
    await createRun(db, project.id, { status: 'failed', action_id: 'other_action' });
    const filter = { projectId: project.id, actionId: 'recover_abandoned' };

    const first = await caller().workflowRuns.bulkRetry({ reason: 'batch', filter, limit: 3 });
    expect(first).toMatchObject({ matched: 6, eligible: 5, runIds: eligible.slice(0, 3).map((r) => r.id), remaining: 2, skipped: [] });
    const second = await caller().workflowRuns.bulkRetry({ reason: 'batch', filter, limit: 3 });
    expect(second).toMatchObject({ matched: 9, eligible: 2, runIds: eligible.slice(3).map((r) => r.id), remaining: 0 });
    const third = await caller().workflowRuns.bulkRetry({ reason: 'batch', filter, limit: 3 });
    expect(third).toMatchObject({ eligible: 0, runIds: [], newRunIds: [], remaining: 0 });
    // Even a call that changed nothing is an operation the audit log can name.
    expect((await caller().auditLog.list({ bulkOperationId: third.bulkOperationId ?? '' })).entries.map((e) => e.action)).toEqual(['workflow_run.bulk_retry']);
    const summary = (await caller().auditLog.list({ bulkOperationId: first.bulkOperationId ?? '', targetType: 'bulk_operation' })).entries;
    expect(summary.map((e) => e.details)).toEqual([
      { bulkOperationId: first.bulkOperationId, filter, limit: 3, matched: 6, eligible: 5, remaining: 2, changed: 3, skipped: 0 },
    ]);
  });

  it('filters on status, stuck and the requested range, like the list', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const stuckOld = await stuck(project.id, -300);
    const stuckNew = await stuck(project.id, -30);
    await createRun(db, project.id, { status: 'running', requested_at: at(-200), lease_expires_at: at(30) });
    await createRun(db, project.id, { status: 'queued', requested_at: at(-100) });
    const dry = (filter: Record<string, unknown>) =>
      caller().workflowRuns.bulkCancel({ reason: 'x', dryRun: true, filter: { projectId: project.id, ...filter } });

    expect((await dry({ stuck: true })).runIds).toEqual([stuckOld.id, stuckNew.id]);
    expect((await dry({ stuck: false })).eligible).toBe(2);
    expect((await dry({ status: 'queued' })).eligible).toBe(1);
    expect((await dry({ stuck: true, requestedFrom: at(-60).toISOString() })).runIds).toEqual([stuckNew.id]);
    expect((await dry({ requestedTo: at(-250).toISOString() })).runIds).toEqual([stuckOld.id]);
  });
});

describe('dry runs', () => {
  it.each(['bulkRetry', 'bulkCancel'] as const)('%s: writes nothing, and its eligible and runIds are what the real call then changes', async (operation) => {
    const { db } = testDb;
    const project = await createProject(db);
    for (let i = 0; i < 4; i++) await createRun(db, project.id, { status: (['failed', 'queued'] as const)[i % 2], requested_at: at(-10 + i) });
    await stuck(project.id, -20);
    await createRun(db, project.id, { status: 'succeeded' });
    const before = await fingerprint();

    const preview = await caller().workflowRuns[operation]({ reason: 'preview', dryRun: true, filter: { projectId: project.id } });
    expect(preview).toMatchObject({ dryRun: true, bulkOperationId: null, newRunIds: [], remaining: 0 });
    expect(preview.eligible).toBe(3);
    expect(await fingerprint()).toBe(before);

    const real = await caller().workflowRuns[operation]({ reason: 'for real', filter: { projectId: project.id } });
    expect(real.runIds).toEqual(preview.runIds);
    expect(real.runIds).toHaveLength(preview.eligible);
    expect({ matched: real.matched, eligible: real.eligible }).toEqual({ matched: preview.matched, eligible: preview.eligible });
  });

  it('previews ids mode with the same reasons as the real call', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const failed = await createRun(db, project.id, { status: 'failed' });
    const queued = await createRun(db, project.id, { status: 'queued' });
    const input = { reason: 'x', ids: [queued.id, failed.id, UNKNOWN] };
    const preview = await caller().workflowRuns.bulkRetry({ ...input, dryRun: true });
    const real = await caller().workflowRuns.bulkRetry(input);
    expect(preview.skipped).toEqual(real.skipped);
    expect(preview.runIds).toEqual(real.runIds);
  });
});

describe('bulk input', () => {
  const id = UNKNOWN;
  it.each([
    ['neither ids nor filter', { reason: 'x' }, ['ids']],
    ['both ids and filter', { reason: 'x', ids: [id], filter: { status: 'failed' } }, ['filter']],
    ['an empty filter', { reason: 'x', filter: {} }, ['filter']],
    ['a filter of only absent fields', { reason: 'x', filter: { projectId: undefined } }, ['filter']],
    ['an unknown filter field', { reason: 'x', filter: { status: 'failed', projectID: id } }, ['filter']],
    ['an unknown top-level field', { reason: 'x', ids: [id], dryrun: true }, ['']],
    [
      'a filter range that selects nothing',
      { reason: 'x', filter: { requestedFrom: '2026-01-02T00:00:00Z', requestedTo: '2026-01-01T00:00:00Z' } },
      ['filter.requestedFrom'],
    ],
    ['no ids', { reason: 'x', ids: [] }, ['ids']],
    ['501 ids', { reason: 'x', ids: Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) }, ['ids']],
    ['a repeated id, whatever its case', { reason: 'x', ids: ['0000000a-0000-4000-8000-000000000000', '0000000A-0000-4000-8000-000000000000'] }, ['ids']],
    ['an id that is not a uuid', { reason: 'x', ids: ['stuck'] }, ['ids.0']],
    ['limit 0', { reason: 'x', ids: [id], limit: 0 }, ['limit']],
    ['limit 501', { reason: 'x', ids: [id], limit: 501 }, ['limit']],
    ['no reason', { ids: [id] }, ['reason']],
    ['dryRun as text', { reason: 'x', ids: [id], dryRun: 'true' }, ['dryRun']],
  ])('answers 400 for %s, changing nothing', async (_name, input, paths) => {
    const before = await fingerprint();
    for (const operation of ['bulkRetry', 'bulkCancel'] as const) {
      expect(await failureOf(caller().workflowRuns[operation](input as never))).toEqual({ code: 'BAD_REQUEST', paths });
    }
    expect(await fingerprint()).toBe(before);
  });

  it('needs inhouse.write, dry run included', async () => {
    const reader = createTestCaller(testDb.db, { actor: testActor(['inhouse.read']) });
    expect((await failureOf(reader.workflowRuns.bulkRetry({ reason: 'x', dryRun: true, ids: [UNKNOWN] }))).code).toBe('FORBIDDEN');
    expect((await failureOf(reader.workflowRuns.bulkCancel({ reason: 'x', ids: [UNKNOWN] }))).code).toBe('FORBIDDEN');
  });
});
