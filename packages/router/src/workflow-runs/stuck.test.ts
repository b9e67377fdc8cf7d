import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createProject, createRun, createTestCaller, createTestDatabase, type TestDatabase, testActor } from '../testing/index.js';
import { errorOf } from '../testing/trpc-error.js';

let testDb: TestDatabase;
// Far in the future, so that runs made by the other tests of this file never count as stuck here.
const NOW = new Date('2030-06-01T12:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

describe('workflowRuns.stuck', () => {
  it('lists running runs whose lease expired, oldest lease first, with the seed fields', async () => {
    const { db } = testDb;
    const project = await createProject(db, { name: 'My Store' });
    const other = await createProject(db);
    const older = await createRun(db, project.id, {
      status: 'running',
      action_id: 'send_promo',
      requested_at: at(-120),
      lease_expires_at: at(-60),
      attempts: 2,
    });
    const newer = await createRun(db, other.id, { status: 'running', requested_at: at(-40), lease_expires_at: at(-1) });
    // Not stuck: a live lease, a lease that ends exactly now, no lease, or not running any more.
    await createRun(db, project.id, { status: 'running', lease_expires_at: at(5) });
    await createRun(db, project.id, { status: 'running', lease_expires_at: NOW });
    await createRun(db, project.id, { status: 'running', lease_expires_at: null });
    await createRun(db, project.id, { status: 'failed', lease_expires_at: at(-30) });
    await createRun(db, project.id, { status: 'queued', lease_expires_at: at(-30) });

    const caller = createTestCaller(db, { clock: fixedClock(NOW) });
    const { runs } = await caller.workflowRuns.stuck({});
    expect(runs.map((r) => r.id)).toEqual([older.id, newer.id]);
    expect(runs[0]).toEqual({
      id: older.id,
      projectId: project.id,
      projectName: 'My Store',
      actionId: 'send_promo',
      requestedAt: at(-120).toISOString(),
      leaseExpiresAt: at(-60).toISOString(),
      attempts: 2,
    });

    const forProject = await caller.workflowRuns.stuck({ projectId: other.id });
    expect(forProject.runs.map((r) => r.id)).toEqual([newer.id]);
    const first = await caller.workflowRuns.stuck({ limit: 1 });
    expect(first.runs.map((r) => r.id)).toEqual([older.id]);
  });

  it('answers by the clock: a run becomes stuck the moment its lease runs out', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const run = await createRun(db, project.id, { status: 'running', lease_expires_at: at(10) });
    const clock = fixedClock(NOW);
    const caller = createTestCaller(db, { clock });
    expect((await caller.workflowRuns.stuck({ projectId: project.id })).runs).toEqual([]);
    clock.advance(10 * MINUTE + 1);
    expect((await caller.workflowRuns.stuck({ projectId: project.id })).runs.map((r) => r.id)).toEqual([run.id]);
  });

  it('answers an empty list for a project with nothing stuck', async () => {
    const project = await createProject(testDb.db);
    expect(await createTestCaller(testDb.db).workflowRuns.stuck({ projectId: project.id })).toEqual({ runs: [] });
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: 201 }],
    ['a malformed projectId', { projectId: 'store-1' }],
  ])('answers 400 for %s', async (_name, input) => {
    expect((await errorOf(createTestCaller(testDb.db).workflowRuns.stuck(input as never))).code).toBe('BAD_REQUEST');
  });

  it('answers 401 without credentials and 403 without inhouse.read', async () => {
    const { db } = testDb;
    expect((await errorOf(createTestCaller(db, { actor: null }).workflowRuns.stuck({}))).code).toBe('UNAUTHORIZED');
    expect((await errorOf(createTestCaller(db, { actor: testActor(['inhouse.write']) }).workflowRuns.stuck({}))).code).toBe('FORBIDDEN');
  });
});
