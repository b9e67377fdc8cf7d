import { createAdminClient, getAdminErrorCode } from '@runhub/client';
import { createRollupCoordinator, type FixedClock, fixedClock, type RollupCoordinator } from '@runhub/router';
import { createEvent, createProject, createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { AppEnv } from './env.js';
import { createLogger } from './logger.js';
import { ADMIN_TOKEN, jsonPost, readEnvelope, tokenHeaders } from './test/harness.js';

const KPI = '/v1/admin/inhouse/kpi-health';
const NOW = Date.parse('2026-01-30T12:00:00.000Z');
let testDb: TestDatabase;
let clock: FixedClock;
let rollup: RollupCoordinator;
let app: Hono<AppEnv>;
let projectId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  clock = fixedClock(new Date(NOW));
  rollup = createRollupCoordinator(testDb.db, { clock, intervalMinutes: 10, staleAfterMinutes: 25 });
  app = createApp({ db: testDb.db, auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [] }, logger: createLogger('silent'), clock, rollup });
  projectId = (await createProject(testDb.db, { name: 'My Store', created_at: new Date('2026-01-01T00:00:00Z') })).id;
  await createEvent(testDb.db, projectId, {
    occurred_at: new Date(NOW - 60_000),
    received_at: new Date(NOW - 60_000),
    payload: { amount: 5000, currency: 'USD' },
  });
});
afterAll(async () => {
  await rollup.stop();
  await testDb.destroy();
});

const get = (path: string) => app.request(`${KPI}/${path}`, { headers: tokenHeaders() });
const post = (body: string, headers?: Record<string, string>) => app.request(`${KPI}/trigger-rollup`, jsonPost(body, headers));

describe('KPI health over REST', () => {
  it('triggers a rollup in the envelope, runs it in the background, and the reads show it', async () => {
    const staleBefore = await readEnvelope(await get('projects'));
    expect(staleBefore.data).toMatchObject({ projects: [{ projectId, status: 'stale', lastRollupAt: null }] });

    const response = await post(
      JSON.stringify({ projectId, reason: 'Manual trigger after fixing data issue' }),
      tokenHeaders({ 'x-sheen-admin-user-id': 'ops-ana' }),
    );
    expect(response.status).toBe(200);
    expect(await readEnvelope(response)).toEqual({ ok: true, data: { triggered: true, projectsAffected: 1, estimatedDurationMs: null, mode: 'incremental' } });
    await rollup.idle();

    expect((await readEnvelope(await get('projects'))).data).toEqual({
      projects: [
        {
          projectId,
          projectName: 'My Store',
          lastRollupAt: '2026-01-30T12:00:00.000Z',
          lastEventAt: '2026-01-30T11:59:00.000Z',
          todayRevenueCents: 5000,
          todayLeads: 0,
          todayPayments: 1,
          currencyCode: 'USD',
          status: 'healthy',
        },
      ],
    });
    expect((await readEnvelope(await get('summary'))).data).toEqual({
      totalProjects: 1,
      healthyProjects: 1,
      staleProjects: 0,
      noDataProjects: 0,
      lastGlobalRollupAt: null,
      rollupJobStatus: 'idle',
      rollupIntervalMinutes: 10,
      avgRollupDurationMs: expect.any(Number),
    });
    expect((await readEnvelope(await get('rollup-job'))).data).toEqual({
      status: 'idle',
      lastRunAt: '2026-01-30T12:00:00.000Z',
      lastDurationMs: expect.any(Number),
      // Only single-project runs so far: the first all-projects run is due now.
      nextScheduledAt: '2026-01-30T12:00:00.000Z',
      recentErrors: [],
    });
    const audit = await readEnvelope(await app.request(`/v1/admin/inhouse/audit-log?targetId=${projectId}`, { headers: tokenHeaders() }));
    expect(audit.data).toMatchObject({
      entries: [
        { adminId: 'ops-ana', action: 'kpi.trigger_rollup', targetType: 'project', targetId: projectId, reason: 'Manual trigger after fixing data issue' },
      ],
    });

    // The project goes stale once the clock passes the configured 25 minutes.
    clock.advance(26 * 60_000);
    expect((await readEnvelope(await get('summary'))).data).toMatchObject({ healthyProjects: 0, staleProjects: 1 });
  });

  it.each([
    ['no reason', '{}', 'reason'],
    ['an empty reason', '{"reason":""}', 'reason'],
    ['a malformed projectId', '{"projectId":"42","reason":"x"}', 'projectId'],
  ])('answers 400 with details.issues for %s', async (_name, body, path) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const envelope = await readEnvelope(response);
    expect(envelope.error?.code).toBe('BAD_REQUEST');
    expect(envelope.error?.details?.issues?.[0]?.path).toBe(path);
  });

  it('answers 400 for malformed JSON, 404 for an unknown project, 405 for GET, 401 without credentials', async () => {
    expect((await post('{"reason":')).status).toBe(400);
    const unknown = await post(JSON.stringify({ projectId: '00000000-0000-4000-8000-000000000000', reason: 'x' }));
    expect(unknown.status).toBe(404);
    expect((await readEnvelope(unknown)).error?.code).toBe('NOT_FOUND');
    expect((await get('trigger-rollup')).status).toBe(405);
    expect((await app.request(`${KPI}/summary`, { method: 'POST' })).status).toBe(401);
    expect((await app.request(`${KPI}/summary`)).status).toBe(401);
  });
});

describe('a project, the rebuild and the history over REST', () => {
  it("answers a project's days, a rebuild's mode and the runs, in the envelope", async () => {
    const detail = await readEnvelope(await get(`projects/${projectId}?days=3`));
    expect(detail.data).toMatchObject({ project: { projectId, projectName: 'My Store' }, timezone: 'UTC', staleAfterMinutes: 25, days: [{}, {}, {}] });
    const rebuild = await post(JSON.stringify({ projectId, startDate: '2026-01-01', endDate: '2026-01-30', reason: 'import fixed' }));
    expect((await readEnvelope(rebuild)).data).toMatchObject({ triggered: true, mode: 'rebuild' });
    await rollup.idle();
    const history = await readEnvelope(await get('rollup-runs?limit=1'));
    expect(history.data).toMatchObject({
      runs: [
        {
          trigger: 'manual',
          projectId,
          projectName: 'My Store',
          startDate: '2026-01-01',
          endDate: '2026-01-30',
          status: 'succeeded',
          requestedBy: 'admin-token',
        },
      ],
      nextCursor: expect.any(String),
    });
    const { nextCursor } = history.data as { nextCursor: string };
    expect((await readEnvelope(await get(`rollup-runs?limit=1&cursor=${nextCursor}`))).data).toMatchObject({ runs: [{ startDate: null }] });
  });

  it.each([
    ['projects/not-a-uuid', 'projectId'],
    [`projects/${'00000000-0000-4000-8000-000000000000'}?days=0`, 'days'],
    ['projects/00000000-0000-4000-8000-000000000000?days=thirty', 'days'],
    ['rollup-runs?cursor=nope', 'cursor'],
  ])('answers 400 for GET %s, naming %s', async (path, field) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect((await readEnvelope(response)).error?.details?.issues?.map((issue) => issue.path)).toEqual([field]);
  });

  it('answers 404 for an unknown project and 400 for a half range, before anything is written', async () => {
    const unknown = await get('projects/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const half = await post(JSON.stringify({ startDate: '2026-01-01', reason: 'x' }));
    expect(half.status).toBe(400);
    expect((await readEnvelope(half)).error?.details?.issues).toEqual([{ path: 'endDate', message: 'endDate is required with startDate' }]);
  });
});

describe('KPI health through the typed client', () => {
  const admin = createAdminClient({ baseUrl: 'http://runhub.test', token: ADMIN_TOKEN, fetch: async (input, init) => app.request(input, init) });

  it('reads and triggers with typed inputs and outputs', async () => {
    const triggered = await admin.kpiHealth.triggerRollup.mutate({ reason: 'from the SDK' });
    expect(triggered).toEqual({ triggered: true, projectsAffected: 1, estimatedDurationMs: expect.any(Number), mode: 'incremental' });
    await rollup.idle();
    const summary = await admin.kpiHealth.summary.query();
    expect(summary.lastGlobalRollupAt).toBe(clock.current().toISOString());
    const { projects } = await admin.kpiHealth.projects.query();
    expect(projects[0]?.status).toBe('healthy');
    const job = await admin.kpiHealth.rollupJob.query();
    expect(job.nextScheduledAt).toBe(new Date(clock.current().getTime() + 10 * 60_000).toISOString());
    const detail = await admin.kpiHealth.project.query({ projectId: projects[0]?.projectId ?? '', days: 2 });
    expect(detail.days.map((day) => day.date)).toEqual(['2026-01-29', '2026-01-30']);
    const rebuilt = await admin.kpiHealth.triggerRollup.mutate({ startDate: '2026-01-30', endDate: '2026-01-30', reason: 'from the SDK' });
    expect(rebuilt.mode).toBe('rebuild');
    await rollup.idle();
    const { runs } = await admin.kpiHealth.rollupRuns.query({ limit: 1 });
    expect(runs[0]).toMatchObject({ startDate: '2026-01-30', endDate: '2026-01-30', status: 'succeeded' });
  });

  it('gives SPEC error codes to the client', async () => {
    const error = await admin.kpiHealth.triggerRollup.mutate({ projectId: '00000000-0000-4000-8000-000000000000', reason: 'x' }).catch((e: unknown) => e);
    expect(getAdminErrorCode(error)).toBe('NOT_FOUND');
  });
});
