import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import { createProject, createRun, createSend, createTestCaller, createTestDatabase, type TestDatabase, testActor } from '../testing/index.js';
import { errorOf } from '../testing/trpc-error.js';

let testDb: TestDatabase;
const base = Date.parse('2026-01-30T10:00:00.000Z');
const MINUTE = 60_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

describe('workflowSends.list', () => {
  it('answers the seed fields, newest first by sent time, falling back to creation time for unsent ones', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'My Store' });
    const run = await createRun(db, project.id, { action_id: 'recover_abandoned' });
    const sent = await createSend(db, run, {
      recipient_email: 'user@example.com',
      status: 'sent',
      created_at: new Date(base - 10 * MINUTE),
      sent_at: new Date(base),
    });
    const queued = await createSend(db, run, { status: 'queued', created_at: new Date(base + MINUTE), sent_at: null });
    const failed = await createSend(db, run, { status: 'failed', created_at: new Date(base - 5 * MINUTE), sent_at: null, error: 'Mailbox full' });
    const suppressed = await createSend(db, run, { status: 'suppressed', created_at: new Date(base - 20 * MINUTE), sent_at: null, error: 'cooldown' });

    const { sends, nextCursor } = await createTestCaller(db).workflowSends.list({ projectId: project.id });
    expect(sends.map((s) => s.id)).toEqual([queued.id, sent.id, failed.id, suppressed.id]);
    expect(nextCursor).toBeNull();
    expect(sends[1]).toEqual({
      id: sent.id,
      projectId: project.id,
      projectName: 'My Store',
      runId: run.id,
      actionId: 'recover_abandoned',
      recipientEmail: 'user@example.com',
      status: 'sent',
      sentAt: new Date(base).toISOString(),
      error: null,
      createdAt: new Date(base - 10 * MINUTE).toISOString(),
    });
    expect(sends[2]).toMatchObject({ status: 'failed', sentAt: null, error: 'Mailbox full' });
  });

  it('filters by recipient, case-insensitively and exactly, and by project', async () => {
    const { db } = testDb;
    const [a, b] = [await createProject(db), await createProject(db)];
    const runA = await createRun(db, a.id);
    const runB = await createRun(db, b.id);
    const mine = await createSend(db, runA, { recipient_email: 'jane.doe@example.com' });
    const mineElsewhere = await createSend(db, runB, { recipient_email: 'jane.doe@example.com', sent_at: new Date(base) });
    await createSend(db, runA, { recipient_email: 'jane.doe@example.com.evil' });
    await createSend(db, runA, { recipient_email: 'xjane.doe@example.com' });
    const caller = createTestCaller(db);

    const byEmail = await caller.workflowSends.list({ email: '  Jane.Doe@EXAMPLE.com ' });
    expect(byEmail.sends.map((s) => s.id)).toEqual([mine.id, mineElsewhere.id]);
    const both = await caller.workflowSends.list({ email: 'JANE.DOE@example.com', projectId: b.id });
    expect(both.sends.map((s) => s.id)).toEqual([mineElsewhere.id]);
    const byProject = await caller.workflowSends.list({ projectId: a.id });
    expect(byProject.sends).toHaveLength(3);
    expect(byProject.sends.every((s) => s.projectId === a.id)).toBe(true);
  });

  it('pages by keyset without repeats or gaps, ties broken by id, microseconds kept', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id);
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(await createSend(db, run, { sent_at: `2026-01-30T09:00:00.${String(500001 + (i % 3)).padStart(6, '0')}Z` }));
    }
    const caller = createTestCaller(db);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.workflowSends.list({ projectId: project.id, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.sends.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
      if (pages === 1) await createSend(db, run, { sent_at: new Date(base + 60 * MINUTE) });
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect([...seen].sort()).toEqual(created.map((s) => s.id).sort());
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: 201 }],
    ['an empty email', { email: '  ' }],
    ['a malformed projectId', { projectId: 'nope' }],
    ['an undecodable cursor', { cursor: '%%%' }],
    ['a cursor of another list', { cursor: encodeCursor('workflow-runs', ['2026-01-30 10:00:00+00', '00000000-0000-4000-8000-000000000000']) }],
  ])('answers 400 for %s', async (_name, input) => {
    expect((await errorOf(createTestCaller(testDb.db).workflowSends.list(input as never))).code).toBe('BAD_REQUEST');
  });

  it('answers 401 without credentials and 403 without inhouse.read', async () => {
    const { db } = testDb;
    expect((await errorOf(createTestCaller(db, { actor: null }).workflowSends.list({}))).code).toBe('UNAUTHORIZED');
    expect((await errorOf(createTestCaller(db, { actor: testActor(['inhouse.write']) }).workflowSends.list({}))).code).toBe('FORBIDDEN');
  });
});
