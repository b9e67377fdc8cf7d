import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import { codeOf, createProject, createRun, createTestCaller, createTestDatabase, type TestDatabase, testActor } from '../testing/index.js';

let testDb: TestDatabase;
const MINUTE = 60_000;
const base = Date.parse('2026-01-30T10:00:00.000Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

describe('workflowRuns.list', () => {
  it('answers every field of the seed, newest first, with the project name joined', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'My Store' });
    const older = await createRun(db, project.id, { requested_at: new Date(base - MINUTE), action_id: 'older_one' });
    const run = await createRun(db, project.id, {
      action_id: 'recover_abandoned',
      status: 'succeeded',
      idempotency_key: 'idem-1',
      requested_at: new Date(base),
      started_at: new Date(base + 1000),
      completed_at: new Date(base + 5000),
      lease_expires_at: new Date(base + 30 * MINUTE),
      attempts: 1,
      params: { locale: 'en' },
      result: { totalRecipients: 25, successful: 24, failed: 1 },
      outcome: { model: 'email_exact', conversions: 3 },
      error: null,
      retry_of: older.id,
    });
    const { runs } = await createTestCaller(db).workflowRuns.list({ projectId: project.id });
    expect(runs.map((r) => r.id)).toEqual([run.id, older.id]);
    expect(runs[0]).toEqual({
      id: run.id,
      projectId: project.id,
      projectName: 'My Store',
      actionId: 'recover_abandoned',
      status: 'succeeded',
      idempotencyKey: 'idem-1',
      requestedAt: '2026-01-30T10:00:00.000Z',
      startedAt: '2026-01-30T10:00:01.000Z',
      completedAt: '2026-01-30T10:00:05.000Z',
      leaseExpiresAt: '2026-01-30T10:30:00.000Z',
      attempts: 1,
      maxAttempts: 3,
      params: { locale: 'en' },
      result: { totalRecipients: 25, successful: 24, failed: 1 },
      outcome: { model: 'email_exact', conversions: 3 },
      error: null,
      retryOf: older.id,
    });
    expect(runs[1]).toMatchObject({ startedAt: null, completedAt: null, leaseExpiresAt: null, result: null, outcome: null, retryOf: null });
  });

  it('filters by project, status and action', async () => {
    const { db } = testDb;
    const [a, b] = [await createProject(db), await createProject(db)];
    const failedA = await createRun(db, a.id, { status: 'failed', action_id: 'send_promo', error: { code: 'X', message: 'boom' } });
    await createRun(db, a.id, { status: 'queued', action_id: 'send_promo' });
    await createRun(db, b.id, { status: 'failed', action_id: 'winback' });
    const caller = createTestCaller(db);

    const byProject = await caller.workflowRuns.list({ projectId: a.id });
    expect(byProject.runs).toHaveLength(2);
    const failed = await caller.workflowRuns.list({ projectId: a.id, status: 'failed' });
    expect(failed.runs.map((r) => r.id)).toEqual([failedA.id]);
    expect(failed.runs[0]?.error).toEqual({ code: 'X', message: 'boom' });
    const byAction = await caller.workflowRuns.list({ actionId: 'winback' });
    expect(byAction.runs.every((r) => r.projectId === b.id)).toBe(true);
  });

  it('pages by keyset without repeats or gaps, even when runs are inserted between pages', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    // Same requested_at for several runs: the id breaks the tie. Microseconds must survive the cursor.
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(await createRun(db, project.id, { requested_at: `2026-01-30T09:00:00.${String(123456 + (i % 3)).padStart(6, '0')}Z` }));
    }
    const caller = createTestCaller(db);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.workflowRuns.list({ projectId: project.id, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
      // A newer run arriving mid-listing must not shift the pages that follow.
      if (pages === 1) await createRun(db, project.id, { requested_at: new Date(base + 60 * MINUTE) });
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(seen.sort()).toEqual(created.map((r) => r.id).sort());
  });

  it('answers nextCursor null on the last page', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    await createRun(db, project.id);
    const page = await createTestCaller(db).workflowRuns.list({ projectId: project.id, limit: 1 });
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: 201 }],
    ['fractional limit', { limit: 1.5 }],
    ['unknown status', { status: 'paused' }],
    ['malformed projectId', { projectId: "1' or '1'='1" }],
    ['undecodable cursor', { cursor: '!!!' }],
    ['cursor of another list', { cursor: encodeCursor('business-events', ['2026-01-30 10:00:00+00', 5]) }],
    ['cursor with a bad id', { cursor: encodeCursor('workflow-runs', ['2026-01-30 10:00:00+00', 'nope']) }],
  ])('rejects %s as BAD_REQUEST', async (_name, input) => {
    const caller = createTestCaller(testDb.db);
    expect(await codeOf(caller.workflowRuns.list(input as never))).toBe('BAD_REQUEST');
  });

  it('answers UNAUTHORIZED without an actor and FORBIDDEN without inhouse.read, before validating input', async () => {
    const { db } = testDb;
    expect(await codeOf(createTestCaller(db, { actor: null }).workflowRuns.list({}))).toBe('UNAUTHORIZED');
    const writeOnly = createTestCaller(db, { actor: testActor(['inhouse.write']) });
    expect(await codeOf(writeOnly.workflowRuns.list({}))).toBe('FORBIDDEN');
    expect(await codeOf(writeOnly.workflowRuns.list({ limit: -1 }))).toBe('FORBIDDEN');
  });
});
