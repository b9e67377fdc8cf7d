import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { encodeCursor } from '../pagination.js';
import { codeOf, createProject, createRun, createTestCaller, createTestDatabase, failureOf, type TestDatabase, testActor } from '../testing/index.js';

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

  it('filters by requestedFrom (inclusive) and requestedTo (exclusive), with Z or an offset, to the microsecond', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const times = ['2026-03-01T09:59:59.999999Z', '2026-03-01T10:00:00.000000Z', '2026-03-01T10:00:00.000001Z', '2026-03-01T11:00:00.000000Z'];
    const runs = [];
    for (const requested_at of times) runs.push(await createRun(db, project.id, { requested_at }));
    const caller = createTestCaller(db);
    const ids = async (input: Record<string, string>) => (await caller.workflowRuns.list({ projectId: project.id, ...input })).runs.map((r) => r.id);

    expect(await ids({ requestedFrom: '2026-03-01T10:00:00Z' })).toEqual([runs[3]?.id, runs[2]?.id, runs[1]?.id]);
    expect(await ids({ requestedTo: '2026-03-01T10:00:00Z' })).toEqual([runs[0]?.id]);
    expect(await ids({ requestedFrom: '2026-03-01T10:00:00Z', requestedTo: '2026-03-01T10:00:00.000001Z' })).toEqual([runs[1]?.id]);
    // 12:00 at +02:00 is 10:00 UTC.
    expect(await ids({ requestedFrom: '2026-03-01T12:00:00.000001+02:00', requestedTo: '2026-03-01T11:00:00Z' })).toEqual([runs[2]?.id]);
  });

  it('filters stuck runs in (stuck=true) or out (stuck=false), by the clock, keeping running runs without a lease out of "stuck"', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const now = new Date('2031-01-01T00:00:00.000Z');
    const stuck = await createRun(db, project.id, { status: 'running', lease_expires_at: new Date(now.getTime() - MINUTE) });
    const live = await createRun(db, project.id, { status: 'running', lease_expires_at: new Date(now.getTime() + MINUTE) });
    const noLease = await createRun(db, project.id, { status: 'running', lease_expires_at: null });
    const endsNow = await createRun(db, project.id, { status: 'running', lease_expires_at: now });
    const failed = await createRun(db, project.id, { status: 'failed', lease_expires_at: new Date(now.getTime() - MINUTE) });
    const caller = createTestCaller(db, { clock: fixedClock(now) });
    const ids = async (input: { stuck: boolean; status?: 'running' }) =>
      (await caller.workflowRuns.list({ projectId: project.id, ...input })).runs.map((r) => r.id).sort();

    expect(await ids({ stuck: true })).toEqual([stuck.id]);
    expect(await ids({ stuck: false })).toEqual([live.id, noLease.id, endsNow.id, failed.id].sort());
    expect(await ids({ stuck: false, status: 'running' })).toEqual([live.id, noLease.id, endsNow.id].sort());
    // Stuck by the clock: an hour later the live lease has expired too.
    const later = createTestCaller(db, { clock: fixedClock(new Date(now.getTime() + 60 * MINUTE)) });
    expect((await later.workflowRuns.list({ projectId: project.id, stuck: true })).runs.map((r) => r.id).sort()).toEqual(
      [stuck.id, live.id, endsNow.id].sort(),
    );
  });

  it('pages a filtered selection by keyset like any other', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    for (let i = 0; i < 5; i++) await createRun(db, project.id, { status: 'failed', requested_at: new Date(base + i * MINUTE) });
    await createRun(db, project.id, { status: 'failed', requested_at: new Date(base + 10 * MINUTE) });
    const caller = createTestCaller(db);
    const filter = { projectId: project.id, requestedFrom: new Date(base).toISOString(), requestedTo: new Date(base + 5 * MINUTE).toISOString(), limit: 2 };
    const first = await caller.workflowRuns.list(filter);
    const second = await caller.workflowRuns.list({ ...filter, cursor: first.nextCursor ?? '' });
    const third = await caller.workflowRuns.list({ ...filter, cursor: second.nextCursor ?? '' });
    expect([...first.runs, ...second.runs, ...third.runs].map((r) => r.requestedAt)).toEqual(
      [4, 3, 2, 1, 0].map((i) => new Date(base + i * MINUTE).toISOString()),
    );
    expect(third.nextCursor).toBeNull();
  });

  it('answers nextCursor null on the last page', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    await createRun(db, project.id);
    const page = await createTestCaller(db).workflowRuns.list({ projectId: project.id, limit: 1 });
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 201', { limit: 201 }, 'limit'],
    ['fractional limit', { limit: 1.5 }, 'limit'],
    ['unknown status', { status: 'paused' }, 'status'],
    ['malformed projectId', { projectId: "1' or '1'='1" }, 'projectId'],
    ['undecodable cursor', { cursor: '!!!' }, 'cursor'],
    ['cursor of another list', { cursor: encodeCursor('business-events', ['2026-01-30 10:00:00+00', 5]) }, 'cursor'],
    ['cursor with a bad id', { cursor: encodeCursor('workflow-runs', ['2026-01-30 10:00:00+00', 'nope']) }, 'cursor'],
    ['a date without a time', { requestedFrom: '2026-01-30' }, 'requestedFrom'],
    ['a time without Z or offset', { requestedTo: '2026-01-30T10:00:00' }, 'requestedTo'],
    ['a day that does not exist', { requestedFrom: '2026-02-30T10:00:00Z' }, 'requestedFrom'],
    ['nanoseconds', { requestedFrom: '2026-01-30T10:00:00.0000001Z' }, 'requestedFrom'],
    ['requestedFrom equal to requestedTo', { requestedFrom: '2026-01-30T12:00:00+02:00', requestedTo: '2026-01-30T10:00:00Z' }, 'requestedFrom'],
    ['requestedFrom after requestedTo', { requestedFrom: '2026-01-30T10:00:00.000002Z', requestedTo: '2026-01-30T10:00:00.000001Z' }, 'requestedFrom'],
    ['stuck as text', { stuck: 'yes' }, 'stuck'],
  ])('rejects %s as BAD_REQUEST, naming the field', async (_name, input, path) => {
    const caller = createTestCaller(testDb.db);
    expect(await failureOf(caller.workflowRuns.list(input as never))).toEqual({ code: 'BAD_REQUEST', paths: [path] });
  });

  it('answers UNAUTHORIZED without an actor and FORBIDDEN without inhouse.read, before validating input', async () => {
    const { db } = testDb;
    expect(await codeOf(createTestCaller(db, { actor: null }).workflowRuns.list({}))).toBe('UNAUTHORIZED');
    const writeOnly = createTestCaller(db, { actor: testActor(['inhouse.write']) });
    expect(await codeOf(writeOnly.workflowRuns.list({}))).toBe('FORBIDDEN');
    expect(await codeOf(writeOnly.workflowRuns.list({ limit: -1 }))).toBe('FORBIDDEN');
  });
});
