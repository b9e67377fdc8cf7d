import type { Database, NewProject } from '@runhub/db';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useRollupBed } from '../testing/hooks.js';
import { codeOf, createProject as createAnyProject, createEvent, holdRollupLock, testActor } from '../testing/index.js';

const MINUTE = 60_000;
/** 23:00 UTC is already the 31st in Cairo (UTC+2). */
const NOW = Date.parse('2026-01-30T23:00:00.000Z');

const createProject = (db: Kysely<Database>, overrides: Partial<NewProject> = {}) =>
  createAnyProject(db, { created_at: new Date('2026-01-01T00:00:00Z'), ...overrides });

const bed = useRollupBed(NOW, { intervalMinutes: 15 });

const { caller } = bed;

async function triggerAndWait(input: { projectId?: string; reason?: string } = {}) {
  const answer = await caller().kpiHealth.triggerRollup({ reason: 'test', ...input });
  await bed.rollup.idle();
  return answer;
}

describe('kpiHealth.projects', () => {
  it("answers each project's freshness and today's totals in its own time zone", async () => {
    const { db } = bed;
    const cairo = await createProject(db, { name: 'A Cairo shop', timezone: 'Africa/Cairo', currency_code: 'EGP' });
    const never = await createProject(db, { name: 'B never rolled up' });
    const empty = await createProject(db, { name: 'C without events', currency_code: 'CAD' });
    await createEvent(db, cairo.id, {
      occurred_at: new Date(NOW - 30 * MINUTE),
      received_at: new Date(NOW - 29 * MINUTE),
      payload: { amount: 4500, currency: 'EGP' },
    });
    await createEvent(db, cairo.id, {
      occurred_at: new Date(NOW - 120 * MINUTE),
      received_at: new Date(NOW - 20 * MINUTE),
      payload: { amount: 999, currency: 'EGP' },
    });
    await createEvent(db, cairo.id, {
      event_type: 'lead_created',
      occurred_at: new Date(NOW - 10 * MINUTE),
      received_at: new Date(NOW - 10 * MINUTE),
      payload: {},
    });
    await triggerAndWait({ projectId: cairo.id });
    await triggerAndWait({ projectId: empty.id });
    await createEvent(db, never.id, { occurred_at: new Date(NOW - 5 * MINUTE), received_at: new Date(NOW - 5 * MINUTE) });

    const { projects } = await caller().kpiHealth.projects();
    expect(projects).toEqual([
      {
        projectId: cairo.id,
        projectName: 'A Cairo shop',
        lastRollupAt: '2026-01-30T23:00:00.000Z',
        lastEventAt: '2026-01-30T22:50:00.000Z',
        // 22:30 UTC is 00:30 on the 31st in Cairo; the 999 payment was 22:00 local on the 30th.
        todayRevenueCents: 4500,
        todayLeads: 1,
        todayPayments: 1,
        currencyCode: 'EGP',
        status: 'healthy',
      },
      {
        projectId: never.id,
        projectName: 'B never rolled up',
        lastRollupAt: null,
        lastEventAt: '2026-01-30T22:55:00.000Z',
        todayRevenueCents: 0,
        todayLeads: 0,
        todayPayments: 0,
        currencyCode: 'USD',
        status: 'stale',
      },
      {
        projectId: empty.id,
        projectName: 'C without events',
        lastRollupAt: '2026-01-30T23:00:00.000Z',
        lastEventAt: null,
        todayRevenueCents: 0,
        todayLeads: 0,
        todayPayments: 0,
        currencyCode: 'CAD',
        status: 'no_data',
      },
    ]);
  });

  it('goes healthy → stale → healthy as the clock moves past KPI_STALE_AFTER_MINUTES and a rollup runs', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await createEvent(db, project.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });
    const statusOf = async () => (await caller().kpiHealth.projects()).projects[0]?.status;
    expect(await statusOf()).toBe('stale');

    await triggerAndWait();
    expect(await statusOf()).toBe('healthy');
    bed.clock.advance(30 * MINUTE); // exactly the default 2 × 15 minutes: not older than it yet
    expect(await statusOf()).toBe('healthy');
    bed.clock.advance(1);
    expect(await statusOf()).toBe('stale');
    await triggerAndWait();
    expect(await statusOf()).toBe('healthy');
  });

  it('still answers when a project has a time zone PostgreSQL does not know', async () => {
    const { db } = bed;
    const project = await createProject(db, { name: 'Typo', timezone: 'Europe/Berln' });
    await createEvent(db, project.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });
    await triggerAndWait();
    const { projects } = await caller().kpiHealth.projects();
    expect(projects).toMatchObject([{ projectId: project.id, lastRollupAt: null, todayPayments: 0, status: 'stale' }]);
    const job = await caller().kpiHealth.rollupJob();
    expect(job.recentErrors).toMatchObject([{ projectId: project.id, projectName: 'Typo', message: expect.stringContaining('Europe/Berln') }]);
  });
});

describe('kpiHealth.summary', () => {
  it('counts projects by status and describes the rollup job', async () => {
    const { db } = bed;
    const healthy = await createProject(db);
    await createProject(db);
    const stale = await createProject(db);
    for (const project of [healthy, stale]) await createEvent(db, project.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });

    const before = await caller().kpiHealth.summary();
    expect(before).toEqual({
      totalProjects: 3,
      healthyProjects: 0,
      staleProjects: 2,
      noDataProjects: 1,
      lastGlobalRollupAt: null,
      rollupJobStatus: 'idle',
      rollupIntervalMinutes: 15,
      avgRollupDurationMs: null,
    });

    await triggerAndWait();
    bed.clock.advance(31 * MINUTE); // past the 30-minute stale bound: only the project rolled up again is healthy
    await triggerAndWait({ projectId: healthy.id });
    const after = await caller().kpiHealth.summary();
    const runs = await db.selectFrom('kpi_rollup_runs').select('duration_ms').where('status', '=', 'succeeded').execute();
    expect(after).toEqual({
      totalProjects: 3,
      healthyProjects: 1,
      staleProjects: 1,
      noDataProjects: 1,
      // The single-project run is newer, but only an all-projects run is a global rollup.
      lastGlobalRollupAt: '2026-01-30T23:00:00.000Z',
      rollupJobStatus: 'idle',
      rollupIntervalMinutes: 15,
      avgRollupDurationMs: Math.round(runs.reduce((sum, r) => sum + (r.duration_ms ?? 0), 0) / runs.length),
    });
  });

  it('averages the durations of the last 20 successful runs only', async () => {
    const { db } = bed;
    const rows = Array.from({ length: 25 }, (_, i) => ({
      trigger: 'schedule' as const,
      status: i === 24 ? ('failed' as const) : ('succeeded' as const),
      started_at: new Date(NOW - (25 - i) * 15 * MINUTE),
      finished_at: new Date(NOW - (25 - i) * 15 * MINUTE + 1000),
      // Runs 0–3 (the oldest successes) took 100 s; the newest 20 successes took 1–20 ms; the failure 1 h.
      duration_ms: i < 4 ? 100_000 : i === 24 ? 3_600_000 : i - 3,
    }));
    await db.insertInto('kpi_rollup_runs').values(rows).execute();
    expect((await caller().kpiHealth.summary()).avgRollupDurationMs).toBe(11); // mean of 1..20 = 10.5, rounded
  });
});

describe('kpiHealth.rollupJob', () => {
  it('answers the last finished run, the next scheduled one and the recent errors, newest first', async () => {
    const { db } = bed;
    const project = await createProject(db, { name: 'Shop' });
    const idle = await caller().kpiHealth.rollupJob();
    // No run ever: the first one is due at once.
    expect(idle).toEqual({ status: 'idle', lastRunAt: null, lastDurationMs: null, nextScheduledAt: '2026-01-30T23:00:00.000Z', recentErrors: [] });

    await triggerAndWait();
    bed.clock.advance(5 * MINUTE);
    const errors = Array.from({ length: 25 }, (_, i) => ({
      occurred_at: new Date(NOW - (25 - i) * MINUTE),
      message: `failure ${i}`,
      project_id: i % 2 === 0 ? project.id : null,
    }));
    await db.insertInto('kpi_rollup_errors').values(errors).execute();
    const job = await caller().kpiHealth.rollupJob();
    const run = await db.selectFrom('kpi_rollup_runs').select(['duration_ms']).executeTakeFirstOrThrow();
    expect(job).toMatchObject({
      status: 'idle',
      lastRunAt: '2026-01-30T23:00:00.000Z',
      lastDurationMs: run.duration_ms,
      nextScheduledAt: '2026-01-30T23:15:00.000Z',
    });
    expect(job.recentErrors).toHaveLength(20);
    expect(job.recentErrors[0]).toEqual({ occurredAt: '2026-01-30T22:59:00.000Z', message: 'failure 24', projectId: project.id, projectName: 'Shop' });
    expect(job.recentErrors[1]).toEqual({ occurredAt: '2026-01-30T22:58:00.000Z', message: 'failure 23', projectId: null, projectName: null });
    expect(job.recentErrors.at(-1)?.message).toBe('failure 5');

    bed.clock.advance(60 * MINUTE); // overdue: due now, never in the past
    expect((await caller().kpiHealth.rollupJob()).nextScheduledAt).toBe('2026-01-31T00:05:00.000Z');
  });
});

describe('kpiHealth.triggerRollup', () => {
  it('answers at once, queues the run with its audit row, and runs it in the background', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await createProject(db);
    await createEvent(db, project.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });

    const first = await caller({ actor: testActor(undefined, 'ops-7'), requestId: 'req-1' }).kpiHealth.triggerRollup({ reason: '  fixed a webhook  ' });
    expect(first).toEqual({ triggered: true, projectsAffected: 2, estimatedDurationMs: null, mode: 'incremental' });
    await bed.rollup.idle();
    const audit = await db
      .selectFrom('admin_audit_log')
      .select(['admin_id', 'action', 'target_type', 'target_id', 'reason', 'details', 'request_id'])
      .execute();
    const run = await db.selectFrom('kpi_rollup_runs').selectAll().executeTakeFirstOrThrow();
    expect(audit).toEqual([
      {
        admin_id: 'ops-7',
        action: 'kpi.trigger_rollup',
        target_type: 'all_projects',
        target_id: null,
        reason: 'fixed a webhook',
        details: { rollupRunId: run.id, projectsAffected: 2, mode: 'incremental', startDate: null, endDate: null },
        request_id: 'req-1',
      },
    ]);
    expect(run).toMatchObject({ trigger: 'manual', admin_id: 'ops-7', reason: 'fixed a webhook', project_id: null, status: 'succeeded', projects_affected: 2 });

    const second = await triggerAndWait({ projectId: project.id });
    expect(second).toEqual({ triggered: true, projectsAffected: 1, estimatedDurationMs: run.duration_ms, mode: 'incremental' });
    const last = await db.selectFrom('admin_audit_log').select(['target_type', 'target_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ target_type: 'project', target_id: project.id });
  });

  it('queues a trigger behind a running rollup and runs it once the lock is free', async () => {
    const { db } = bed;
    const project = await createProject(db);
    await createEvent(db, project.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });
    const lock = await holdRollupLock(db);

    await caller().kpiHealth.triggerRollup({ reason: 'while another runs' });
    expect((await caller().kpiHealth.summary()).rollupJobStatus).toBe('running');
    expect((await caller().kpiHealth.rollupJob()).status).toBe('running');
    expect(await db.selectFrom('kpi_rollup_runs').select('status').execute()).toEqual([{ status: 'queued' }]);

    lock.release();
    await lock.released;
    await bed.rollup.idle();
    expect(await db.selectFrom('kpi_rollup_runs').select('status').execute()).toEqual([{ status: 'succeeded' }]);
    expect((await caller().kpiHealth.rollupJob()).status).toBe('idle');
    expect((await caller().kpiHealth.projects()).projects[0]?.status).toBe('healthy');
  });

  it('answers NOT_FOUND for an unknown project and writes nothing', async () => {
    const code = await codeOf(caller().kpiHealth.triggerRollup({ projectId: '7b0a7a52-0c55-4f3e-9a38-0d8f5b1d2c11', reason: 'x' }));
    expect(code).toBe('NOT_FOUND');
    expect(await bed.db.selectFrom('admin_audit_log').select('id').execute()).toEqual([]);
    expect(await bed.db.selectFrom('kpi_rollup_runs').select('id').execute()).toEqual([]);
  });

  it.each([
    ['a missing reason', {}],
    ['a blank reason', { reason: '   ' }],
    ['a reason over 1000 characters', { reason: 'x'.repeat(1001) }],
    ['a malformed projectId', { projectId: 'nope', reason: 'x' }],
  ])('rejects %s as BAD_REQUEST', async (_name, input) => {
    expect(await codeOf(caller().kpiHealth.triggerRollup(input as never))).toBe('BAD_REQUEST');
  });

  it('needs inhouse.write (checked before the input), and the reads need inhouse.read', async () => {
    const readOnly = caller({ actor: testActor(['inhouse.read']) });
    expect(await codeOf(readOnly.kpiHealth.triggerRollup({ reason: 'x' }))).toBe('FORBIDDEN');
    expect(await codeOf(readOnly.kpiHealth.triggerRollup({} as never))).toBe('FORBIDDEN');
    const writeOnly = caller({ actor: testActor(['inhouse.write']) });
    expect(await codeOf(writeOnly.kpiHealth.summary())).toBe('FORBIDDEN');
    expect(await codeOf(caller({ actor: null }).kpiHealth.projects())).toBe('UNAUTHORIZED');
  });
});
