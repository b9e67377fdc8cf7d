import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  createRun,
  createSend,
  createStuckRun,
  createTestCaller,
  createTestDatabase,
  failureOf,
  type TestDatabase,
  testActor,
} from '../testing/index.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

const writer = () => createTestCaller(testDb.db, { actor: testActor(['inhouse.read', 'inhouse.write'], 'ops-detail') });

describe('workflowRuns.get', () => {
  it('answers the run exactly as the list shows it, its chain from the root to the newest retry, its sends and its audit trail', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'Detail Store' });
    const root = await createRun(db, project.id, { status: 'failed', error: { code: 'PROVIDER_TIMEOUT', message: 'timed out' } });
    const { newRunId: second } = await writer().workflowRuns.retry({ id: root.id, reason: 'provider back' });
    await db
      .updateTable('workflow_runs')
      .set({ status: 'running', lease_expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', second)
      .execute();
    const { newRunId: third } = await writer().workflowRuns.retry({ id: second, reason: 'stuck again' });
    await writer().workflowRuns.cancel({ id: third, reason: 'campaign over' });
    const run = await db.selectFrom('workflow_runs').selectAll().where('id', '=', second).executeTakeFirstOrThrow();
    await createSend(db, run, { status: 'sent' });
    await createSend(db, run, { status: 'sent' });
    await createSend(db, run, { status: 'failed', sent_at: null, error: 'bounced' });

    const detail = await createTestCaller(db).workflowRuns.get({ id: second });
    const listed = (await createTestCaller(db).workflowRuns.list({ projectId: project.id })).runs.find((r) => r.id === second);
    expect(detail.run).toEqual(listed);
    expect(detail.chain).toEqual([
      {
        id: root.id,
        status: 'failed',
        requestedAt: root.requested_at.toISOString(),
        completedAt: null,
        retryOf: null,
        error: { code: 'PROVIDER_TIMEOUT', message: 'timed out' },
      },
      {
        id: second,
        status: 'failed',
        requestedAt: expect.any(String),
        completedAt: expect.any(String),
        retryOf: root.id,
        error: { code: 'LEASE_EXPIRED', message: `superseded by retry ${third}` },
      },
      {
        id: third,
        status: 'cancelled',
        requestedAt: expect.any(String),
        completedAt: expect.any(String),
        retryOf: second,
        error: { code: 'CANCELLED', message: 'campaign over' },
      },
    ]);
    // The same chain from any of its runs.
    expect((await createTestCaller(db).workflowRuns.get({ id: root.id })).chain.map((link) => link.id)).toEqual([root.id, second, third]);
    expect((await createTestCaller(db).workflowRuns.get({ id: third })).chain.map((link) => link.id)).toEqual([root.id, second, third]);
    expect(detail.sends).toEqual({ total: 3, byStatus: { queued: 0, sent: 2, failed: 1, suppressed: 0 } });
    expect(detail.audit).toEqual([
      expect.objectContaining({
        adminId: 'ops-detail',
        action: 'workflow_run.retry',
        targetType: 'workflow_run',
        targetId: second,
        reason: 'stuck again',
        details: { newRunId: third, previousStatus: 'running', wasStuck: true },
      }),
    ]);
  });

  it('answers a run without retries or sends with a chain of itself and zero counts', async () => {
    const { db } = testDb;
    const run = await createStuckRun(db, (await createProject(db)).id);
    const detail = await createTestCaller(db).workflowRuns.get({ id: run.id });
    expect(detail.chain.map((link) => link.id)).toEqual([run.id]);
    expect(detail.sends).toEqual({ total: 0, byStatus: { queued: 0, sent: 0, failed: 0, suppressed: 0 } });
    expect(detail.audit).toEqual([]);
  });

  it('lists the newest 50 audit entries of the run only, newest first', async () => {
    const { db } = testDb;
    const run = await createRun(db, (await createProject(db)).id, { status: 'queued' });
    const base = Date.parse('2026-05-01T00:00:00.000Z');
    await db
      .insertInto('admin_audit_log')
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          admin_id: `ops-${i}`,
          action: 'workflow_run.cancel',
          target_type: 'workflow_run',
          target_id: run.id,
          reason: `note ${i}`,
          created_at: new Date(base + i * 1000),
        })),
      )
      .execute();
    // Another target type with the same id is not this run's trail.
    await db
      .insertInto('admin_audit_log')
      .values({ admin_id: 'ops-x', action: 'other', target_type: 'project', target_id: run.id, reason: 'x', created_at: new Date(base + 99_000) })
      .execute();

    const { audit } = await createTestCaller(db).workflowRuns.get({ id: run.id });
    expect(audit).toHaveLength(50);
    expect(audit.map((entry) => entry.reason)).toEqual(Array.from({ length: 50 }, (_, i) => `note ${54 - i}`));
  });

  it('walks a chain that hand-edited rows turned into a loop, once, instead of forever', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const a = await createRun(db, project.id, { status: 'failed' });
    const b = await createRun(db, project.id, { status: 'failed', retry_of: a.id });
    await db.updateTable('workflow_runs').set({ retry_of: b.id }).where('id', '=', a.id).execute();
    const { chain } = await createTestCaller(db).workflowRuns.get({ id: a.id });
    expect(chain.map((link) => link.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('answers 404 for an unknown run, 400 for an id that is not a uuid, 403 without inhouse.read', async () => {
    const caller = createTestCaller(testDb.db);
    expect((await failureOf(caller.workflowRuns.get({ id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
    expect(await failureOf(caller.workflowRuns.get({ id: 'stuck' }))).toEqual({ code: 'BAD_REQUEST', paths: ['id'] });
    const writeOnly = createTestCaller(testDb.db, { actor: testActor(['inhouse.write']) });
    expect((await failureOf(writeOnly.workflowRuns.get({ id: 'stuck' }))).code).toBe('FORBIDDEN');
  });
});
