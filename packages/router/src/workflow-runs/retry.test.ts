import { sql } from 'kysely';
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

function caller(adminId = 'ops-jane') {
  return createTestCaller(testDb.db, { adminId, clock: fixedClock(NOW), requestId: 'req-retry' });
}

describe('workflowRuns.retry', () => {
  it('retries a failed run as a new queued run and audits it in the same transaction', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const original = await createRun(db, project.id, {
      status: 'failed',
      action_id: 'send_promo',
      idempotency_key: 'promo:2026-01-30',
      params: { locale: 'de', segment: 'vip', big: 2 ** 60 },
      max_attempts: 5,
      attempts: 5,
      started_at: new Date(NOW.getTime() - 10 * MINUTE),
      completed_at: new Date(NOW.getTime() - 9 * MINUTE),
      error: { code: 'PROVIDER_TIMEOUT', message: 'timeout' },
    });

    const answer = await caller().workflowRuns.retry({ id: original.id, reason: '  provider is back  ' });
    expect(answer.status).toBe('queued');

    const retry = await readRun(testDb.db, answer.newRunId);
    expect(retry).toMatchObject({
      project_id: project.id,
      action_id: 'send_promo',
      status: 'queued',
      idempotency_key: `promo:2026-01-30:retry:${original.id}`,
      attempts: 0,
      max_attempts: 5,
      params: { locale: 'de', segment: 'vip', big: 2 ** 60 },
      retry_of: original.id,
      started_at: null,
      completed_at: null,
      lease_expires_at: null,
      result: null,
      outcome: null,
      error: null,
    });
    expect(retry.requested_at.toISOString()).toBe(NOW.toISOString());
    // A failed original is left as it was.
    expect(await readRun(testDb.db, original.id)).toEqual(original);

    const audit = await auditRowsFor(testDb.db, original.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      admin_id: 'ops-jane',
      action: 'workflow_run.retry',
      target_type: 'workflow_run',
      target_id: original.id,
      reason: 'provider is back',
      details: { newRunId: answer.newRunId, previousStatus: 'failed', wasStuck: false },
      request_id: 'req-retry',
    });
  });

  it('marks a stuck original failed, lease cleared, superseded by the retry', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const stuck = await createStuckRun(db, project.id, { lease_expires_at: new Date(NOW.getTime() - MINUTE), attempts: 2 });

    const { newRunId } = await caller().workflowRuns.retry({ id: stuck.id, reason: 'worker died' });

    const original = await readRun(testDb.db, stuck.id);
    expect(original).toMatchObject({
      status: 'failed',
      lease_expires_at: null,
      error: { code: 'LEASE_EXPIRED', message: `superseded by retry ${newRunId}` },
      attempts: 2,
    });
    expect(original.completed_at?.toISOString()).toBe(NOW.toISOString());
    expect(await readRun(testDb.db, newRunId)).toMatchObject({ status: 'queued', retry_of: stuck.id, attempts: 0 });
    const [audit] = await auditRowsFor(testDb.db, stuck.id);
    expect(audit?.details).toEqual({ newRunId, previousStatus: 'running', wasStuck: true });
  });

  it('answers 409 naming the existing retry for a second retry, and changes nothing', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const original = await createRun(db, project.id, { status: 'failed' });
    const { newRunId } = await caller().workflowRuns.retry({ id: original.id, reason: 'first' });

    expect(await errorOf(caller().workflowRuns.retry({ id: original.id, reason: 'second' }))).toEqual({
      code: 'CONFLICT',
      details: { retryRunId: newRunId },
    });
    const retries = await db.selectFrom('workflow_runs').select('id').where('retry_of', '=', original.id).execute();
    expect(retries).toEqual([{ id: newRunId }]);
    expect(await auditRowsFor(testDb.db, original.id)).toHaveLength(1);
  });

  it('answers 409 with retryRunId for a failed run retried before (e.g. by the demo data), however the retry came to be', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const original = await createRun(db, project.id, { status: 'failed' });
    const earlier = await createRun(db, project.id, { status: 'succeeded', retry_of: original.id });
    expect(await errorOf(caller().workflowRuns.retry({ id: original.id, reason: 'again' }))).toEqual({
      code: 'CONFLICT',
      details: { retryRunId: earlier.id },
    });
  });

  it('retries a retry that failed in its turn', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const original = await createRun(db, project.id, { status: 'failed', idempotency_key: 'k' });
    const first = await caller().workflowRuns.retry({ id: original.id, reason: 'one' });
    await db.updateTable('workflow_runs').set({ status: 'failed' }).where('id', '=', first.newRunId).execute();

    const second = await caller().workflowRuns.retry({ id: first.newRunId, reason: 'two' });
    expect(await readRun(testDb.db, second.newRunId)).toMatchObject({
      retry_of: first.newRunId,
      idempotency_key: `k:retry:${original.id}:retry:${first.newRunId}`,
    });
  });

  it.each([
    ['queued', {}],
    ['succeeded', {}],
    ['cancelled', {}],
    ['running with a live lease', { status: 'running' as const, lease_expires_at: new Date(NOW.getTime() + MINUTE) }],
    ['running with a lease that expires exactly now', { status: 'running' as const, lease_expires_at: NOW }],
    ['running with no lease', { status: 'running' as const, lease_expires_at: null }],
  ])('answers 409 for a run that is %s, and changes nothing', async (name, overrides) => {
    const { db } = testDb;
    const project = await createProject(db);
    const status = 'status' in overrides ? overrides.status : (name as 'queued' | 'succeeded' | 'cancelled');
    const run = await createRun(db, project.id, { ...overrides, status });

    expect(await errorOf(caller().workflowRuns.retry({ id: run.id, reason: 'try' }))).toEqual({ code: 'CONFLICT', details: { status } });
    expect(await readRun(testDb.db, run.id)).toEqual(run);
    expect(await db.selectFrom('workflow_runs').select('id').where('retry_of', '=', run.id).execute()).toEqual([]);
    expect(await auditRowsFor(testDb.db, run.id)).toEqual([]);
  });

  it('answers 409, not 500, when the derived idempotency key is already taken in the project', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const original = await createRun(db, project.id, { status: 'failed', idempotency_key: 'taken' });
    await createRun(db, project.id, { idempotency_key: `taken:retry:${original.id}` });

    expect((await errorOf(caller().workflowRuns.retry({ id: original.id, reason: 'try' }))).code).toBe('CONFLICT');
    expect(await auditRowsFor(testDb.db, original.id)).toEqual([]);
  });

  it('loses the new run when its audit row cannot be written', async () => {
    const { db } = testDb;
    await sql`create function fail_audit() returns trigger language plpgsql as $$ begin raise exception 'audit store broken'; end $$`.execute(db);
    await sql`create trigger fail_audit before insert on admin_audit_log for each row when (new.reason = 'break the audit') execute function fail_audit()`.execute(
      db,
    );
    const project = await createProject(db);
    const stuck = await createStuckRun(db, project.id, { lease_expires_at: new Date(NOW.getTime() - MINUTE) });

    expect((await errorOf(caller().workflowRuns.retry({ id: stuck.id, reason: 'break the audit' }))).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await readRun(testDb.db, stuck.id)).toEqual(stuck);
    expect(await db.selectFrom('workflow_runs').select('id').where('retry_of', '=', stuck.id).execute()).toEqual([]);
  });

  it('answers 404 for an unknown run', async () => {
    expect((await errorOf(caller().workflowRuns.retry({ id: UNKNOWN_RUN_ID, reason: 'x' }))).code).toBe('NOT_FOUND');
  });

  it.each(INVALID_RUN_WRITES)('answers 400 for %s, before looking the run up', async (_name, input) => {
    expect((await errorOf(caller().workflowRuns.retry(input as never))).code).toBe('BAD_REQUEST');
  });

  it('accepts a reason of 1000 characters after trimming', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'failed' });
    await caller().workflowRuns.retry({ id: run.id, reason: `  ${'r'.repeat(1000)}  ` });
    const [audit] = await auditRowsFor(testDb.db, run.id);
    expect(audit?.reason).toHaveLength(1000);
  });

  it('answers 400, not 500, for a reason the database cannot store (a NUL character), and writes nothing', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'failed' });
    expect((await errorOf(caller().workflowRuns.retry({ id: run.id, reason: 'a\u0000b' }))).code).toBe('BAD_REQUEST');
    expect(await db.selectFrom('workflow_runs').select('id').where('retry_of', '=', run.id).execute()).toEqual([]);
  });

  it('answers 401 without credentials and 403 without inhouse.write, before validating input or finding the run', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'failed' });
    const anonymous = createTestCaller(db, { actor: null });
    expect((await errorOf(anonymous.workflowRuns.retry({ id: run.id, reason: 'x' }))).code).toBe('UNAUTHORIZED');
    const readOnly = createTestCaller(db, { actor: testActor(['inhouse.read']) });
    expect((await errorOf(readOnly.workflowRuns.retry({ id: run.id, reason: 'x' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(readOnly.workflowRuns.retry({ id: 'bad', reason: '' }))).code).toBe('FORBIDDEN');
    expect(await readRun(testDb.db, run.id)).toEqual(run);
  });
});
