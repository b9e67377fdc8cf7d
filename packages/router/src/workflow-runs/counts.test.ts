import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { createProject, createRun, createStuckRun, createTestCaller, createTestDatabase, failureOf, type TestDatabase, testActor } from '../testing/index.js';

let testDb: TestDatabase;
const NOW = new Date('2030-06-01T12:00:00.000Z');
const HOUR = 3_600_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

const caller = () => createTestCaller(testDb.db, { clock: fixedClock(NOW) });

describe('workflowRuns.counts', () => {
  it('counts every status and the stuck runs exactly, every key present, stuck runs counted as running too', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    for (const status of ['queued', 'queued', 'failed', 'succeeded', 'succeeded', 'succeeded'] as const) await createRun(db, project.id, { status });
    await createStuckRun(db, project.id, { lease_expires_at: new Date(NOW.getTime() - HOUR) });
    await createRun(db, project.id, { status: 'running', lease_expires_at: new Date(NOW.getTime() + HOUR) });

    expect(await caller().workflowRuns.counts({ projectId: project.id })).toEqual({
      byStatus: { queued: 2, running: 2, succeeded: 3, failed: 1, cancelled: 0 },
      stuck: 1,
      total: 8,
    });
    const empty = await createProject(db);
    expect(await caller().workflowRuns.counts({ projectId: empty.id })).toEqual({
      byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
      stuck: 0,
      total: 0,
    });
  });

  it('agrees with the list for every filter: project, action, requestedFrom and requestedTo', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    const base = Date.parse('2026-04-01T00:00:00.000Z');
    for (let i = 0; i < 12; i++) {
      await createRun(db, project.id, {
        status: (['queued', 'failed', 'cancelled'] as const)[i % 3],
        action_id: i % 2 ? 'send_promo' : 'winback',
        requested_at: new Date(base + i * HOUR),
      });
    }
    const filters = [
      { projectId: project.id, actionId: 'send_promo' },
      { projectId: project.id, requestedFrom: new Date(base + 3 * HOUR).toISOString() },
      { projectId: project.id, requestedTo: new Date(base + 3 * HOUR).toISOString() },
      { projectId: project.id, actionId: 'winback', requestedFrom: new Date(base + 2 * HOUR).toISOString(), requestedTo: '2026-04-01T09:00:00+02:00' },
    ];
    for (const filter of filters) {
      const { runs } = await caller().workflowRuns.list({ ...filter, limit: 200 });
      const counts = await caller().workflowRuns.counts(filter);
      expect(counts.total, JSON.stringify(filter)).toBe(runs.length);
      for (const status of ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const) {
        expect(counts.byStatus[status], `${status} of ${JSON.stringify(filter)}`).toBe(runs.filter((r) => r.status === status).length);
      }
    }
  });

  it.each([
    ['a malformed projectId', { projectId: 'x' }, 'projectId'],
    ['requestedFrom not before requestedTo', { requestedFrom: '2026-04-01T10:00:00Z', requestedTo: '2026-04-01T10:00:00Z' }, 'requestedFrom'],
    ['a local time', { requestedTo: '2026-04-01T10:00:00' }, 'requestedTo'],
  ])('answers 400 for %s', async (_name, input, path) => {
    expect(await failureOf(caller().workflowRuns.counts(input as never))).toEqual({ code: 'BAD_REQUEST', paths: [path] });
  });

  it('needs inhouse.read', async () => {
    expect((await failureOf(createTestCaller(testDb.db, { actor: testActor(['inhouse.write']) }).workflowRuns.counts({}))).code).toBe('FORBIDDEN');
  });
});
