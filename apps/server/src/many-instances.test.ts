import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRun, createTestDatabase, eventually, type TestDatabase, until, waitForLockWaiters } from '@runhub/router/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonPost } from './test/harness.js';
import { type ServerProcess, startServer } from './test/server-process.js';

/**
 * SPEC §10: two real server processes (`dist/main.js`) on one PostgreSQL database, each with its own
 * pools, scheduler and coordinator; everything is checked in SQL. Each names its connections
 * (`PGAPPNAME`, which `pg` reads), so the test can tell which one holds a lock.
 */
const TOKEN = 'instances-admin-token-0123456789';
const PROJECTS = 250;
const INTERVAL_MINUTES = 15;
let testDb: TestDatabase;
let dataDir: string;
const servers: Record<'a' | 'b', ServerProcess | undefined> = { a: undefined, b: undefined };
let failedRunId: string;

const db = () => testDb.db;
const server = (name: 'a' | 'b'): ServerProcess => {
  const found = servers[name];
  if (!found) throw new Error(`server ${name} is not running`);
  return found;
};

function post(name: 'a' | 'b', path: string, body: Record<string, unknown>) {
  return fetch(`${server(name).url}/v1/admin/inhouse${path}`, jsonPost(body, { 'x-sheen-admin-token': TOKEN }));
}

/** Nothing queued or running, on any instance. */
async function settled(): Promise<boolean> {
  const row = await db().selectFrom('kpi_rollup_runs').select('id').where('status', 'in', ['queued', 'running']).limit(1).executeTakeFirst();
  return row === undefined;
}

async function scheduledRuns(): Promise<number> {
  const { n } = await db().selectFrom('kpi_rollup_runs').select(sql<number>`count(*)`.as('n')).where('trigger', '=', 'schedule').executeTakeFirstOrThrow();
  return n;
}

/** Pairs of runs whose [started, finished] intervals overlap: there must never be one. */
async function overlappingRuns(): Promise<{ a: number; b: number }[]> {
  const { rows } = await sql<{ a: number; b: number }>`
    select x.id as a, y.id as b from kpi_rollup_runs x join kpi_rollup_runs y on x.id < y.id
    where tstzrange(x.started_at, x.finished_at, '[]') && tstzrange(y.started_at, y.finished_at, '[]')`.execute(db());
  return rows;
}

/** A counter of one instance's `/metrics`, e.g. `runhub_rollup_runs_total{status="succeeded"}`. */
async function counter(name: 'a' | 'b', series: string): Promise<number> {
  const text = await (await fetch(`${server(name).url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1));
}
const OK_BEATS = 'runhub_rollup_scheduler_beats_total{outcome="ok"}';

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('two server processes on one database', () => {
  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'runhub-instances-'));
    await sql`
      with p as (
        insert into projects (name, created_at)
        select 'Shop ' || lpad(i::text, 3, '0'), now() - interval '1 day' from generate_series(1, ${PROJECTS}) as i
        returning id
      )
      insert into business_events (project_id, event_type, occurred_at, received_at, source, payload)
      select p.id, case when d % 4 = 0 then 'lead_created' else 'payment_succeeded' end, now() - make_interval(days => d), now() - interval '2 hours',
             'test', jsonb_build_object('amount', 100 * d, 'currency', 'USD')
      from p cross join generate_series(1, 20) as d`.execute(db());
    // The last all-projects run began more than an interval ago: the schedule is due as both start.
    await db()
      .insertInto('kpi_rollup_runs')
      .values({
        trigger: 'schedule',
        status: 'succeeded',
        queued_at: sql<Date>`now() - interval '20 minutes'`,
        started_at: sql<Date>`now() - interval '20 minutes'`,
        finished_at: sql<Date>`now() - interval '20 minutes' + interval '1 second'`,
        duration_ms: 1000,
      })
      .execute();
    const project = await db().selectFrom('projects').select('id').limit(1).executeTakeFirstOrThrow();
    failedRunId = (await createRun(db(), project.id, { status: 'failed', error: { code: 'X', message: 'x' } })).id;
    const env = (name: string) => ({
      DATABASE_URL: testDb.url ?? '',
      ADMIN_TOKEN: TOKEN,
      RUNHUB_DATA_DIR: dataDir,
      ROLLUP_INTERVAL_MINUTES: String(INTERVAL_MINUTES),
      LOG_LEVEL: 'info',
      PGAPPNAME: `runhub-${name}`,
    });
    [servers.a, servers.b] = await Promise.all([startServer(env('a')), startServer(env('b'))]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([servers.a?.stop(), servers.b?.stop()]);
    await testDb?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the schedule that was due at their start once between them', async () => {
    await until(async () => (await scheduledRuns()) === 2 && (await settled()), 'the scheduled run of the start');
    expect(await scheduledRuns()).toBe(2);
    const { n } = await db().selectFrom('kpi_rollup_state').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(PROJECTS);
  });

  it('runs every trigger sent to either, one at a time', async () => {
    const project = await db().selectFrom('projects').select('id').limit(1).executeTakeFirstOrThrow();
    // All projects, one project, and rebuilds of a range of each, half of them to each instance.
    const bodies = [
      {},
      { projectId: project.id },
      { startDate: '2026-01-01', endDate: '2026-03-31' },
      { projectId: project.id, startDate: '2026-01-01', endDate: '2026-12-31' },
    ];
    const triggers = Array.from({ length: 12 }, (_, i) =>
      post(i % 2 === 0 ? 'a' : 'b', '/kpi-health/trigger-rollup', { reason: `trigger ${i}`, ...bodies[i % 4] }),
    );
    expect((await Promise.all(triggers)).map((response) => response.status)).toEqual(Array(12).fill(200));
    const manual = () => db().selectFrom('kpi_rollup_runs').select(['status', 'projects_checked']).where('trigger', '=', 'manual').orderBy('reason').execute();
    const runs = await eventually(manual, (rows) => rows.length === 12 && rows.every((run) => run.status === 'succeeded'), { timeoutMs: 30_000 });
    expect(runs.map((run) => run.status)).toEqual(Array(12).fill('succeeded'));
    expect(runs.filter((run) => run.projects_checked === PROJECTS)).toHaveLength(6);
    expect(await overlappingRuns()).toEqual([]);
  }, 60_000);

  it('keeps the schedule once per interval between them, whichever beats first', async () => {
    for (let round = 1; round <= 3; round++) {
      await until(settled, 'no run in flight');
      const before = await scheduledRuns();
      // As if an interval had passed: every run moves one interval into the past, so the next is due now.
      await sql`
        update kpi_rollup_runs
        set queued_at = queued_at - make_interval(mins => ${INTERVAL_MINUTES}),
            started_at = started_at - make_interval(mins => ${INTERVAL_MINUTES}),
            finished_at = finished_at - make_interval(mins => ${INTERVAL_MINUTES})`.execute(db());
      await until(async () => (await scheduledRuns()) > before && (await settled()), `the scheduled run of round ${round}`, { timeoutMs: 20_000 });
    }
    // Each instance beats twice more and starts nothing: the next run is an interval away.
    const beats = { a: await counter('a', OK_BEATS), b: await counter('b', OK_BEATS) };
    await until(async () => (await counter('a', OK_BEATS)) >= beats.a + 2 && (await counter('b', OK_BEATS)) >= beats.b + 2, 'two more beats of each', {
      timeoutMs: 20_000,
    });
    // No two scheduled runs began within an interval of each other, and none is missing.
    const { rows } = await sql<{ gap_minutes: number }>`
      select extract(epoch from started_at - lag(started_at) over (order by started_at)) / 60 as gap_minutes
      from kpi_rollup_runs where trigger = 'schedule' order by started_at`.execute(db());
    expect(rows).toHaveLength(5);
    for (const { gap_minutes } of rows.slice(1)) expect(Number(gap_minutes)).toBeGreaterThanOrEqual(INTERVAL_MINUTES);
    expect(await overlappingRuns()).toEqual([]);
  }, 90_000);

  it('creates one new run for 20 concurrent retries of one run split across both', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(i % 2 === 0 ? 'a' : 'b', `/workflow-runs/${failedRunId}/retry`, { reason: 'race' })),
    );
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as {
      ok: boolean;
      data?: { newRunId: string };
      error?: { code: string; details?: { retryRunId?: string } };
    }[];
    const created = bodies.filter((body) => body.ok).map((body) => body.data?.newRunId);
    expect(created).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(19);
    for (const body of bodies.filter((b) => !b.ok)) expect(body.error).toMatchObject({ code: 'CONFLICT', details: { retryRunId: created[0] } });
    const retries = await db().selectFrom('workflow_runs').select('id').where('retry_of', '=', failedRunId).execute();
    expect(retries.map((run) => run.id)).toEqual(created);
  });

  it('counts each run in the metrics of the one instance that ran it', async () => {
    await until(settled, 'no run in flight');
    const { n } = await db()
      .selectFrom('kpi_rollup_runs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'succeeded')
      .where('started_at', '>', sql<Date>`(select min(started_at) from kpi_rollup_runs) + interval '1 second'`)
      .executeTakeFirstOrThrow();
    const succeeded = 'runhub_rollup_runs_total{status="succeeded"}';
    expect((await counter('a', succeeded)) + (await counter('b', succeeded))).toBe(n);
  });

  it('leaves the queue to the other when one is stopped mid-rollup, recording how far the stopped run got', async () => {
    await until(settled, 'no run in flight');
    // Hold one project of the second batch: the run stops there, mid-rollup, until released.
    const held = await db().selectFrom('projects').select('id').orderBy('id').offset(150).limit(1).executeTakeFirstOrThrow();
    let release = () => {};
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = db()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('kpi_rollup_state').select('project_id').where('project_id', '=', held.id).forUpdate().execute();
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
    await isLocked;
    for (const body of [{ reason: 'stop 1' }, { reason: 'stop 2', projectId: held.id }, { reason: 'stop 3', startDate: '2026-01-01', endDate: '2026-03-31' }]) {
      expect((await post('a', '/kpi-health/trigger-rollup', body)).status).toBe(200);
    }
    await waitForLockWaiters(db(), 1);
    const { rows } = await sql<{ name: string }>`
      select application_name as name from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db());
    const holder = rows[0]?.name === 'runhub-a' ? 'a' : 'b';
    expect(rows[0]?.name).toBe(`runhub-${holder}`);
    const stopping = server(holder);
    const exited = stopping.stop();
    await until(() => stopping.output().includes('stopping the KPI rollup after its current batch'), 'the holder to begin its shutdown');
    release();
    await holding;
    expect(await exited).toBe(0);
    servers[holder] = undefined;

    const byReason = () =>
      db().selectFrom('kpi_rollup_runs').select(['reason', 'status', 'projects_checked', 'error']).where('reason', 'like', 'stop %').orderBy('id').execute();
    const runs = await eventually(byReason, (rows) => rows.every((run) => run.status === 'succeeded' || run.status === 'failed'), { timeoutMs: 20_000 });
    expect(runs).toEqual([
      { reason: 'stop 1', status: 'failed', projects_checked: 200, error: `Stopped by a server shutdown after 200 of ${PROJECTS} projects` },
      { reason: 'stop 2', status: 'succeeded', projects_checked: 1, error: null },
      { reason: 'stop 3', status: 'succeeded', projects_checked: PROJECTS, error: null },
    ]);
    expect(await overlappingRuns()).toEqual([]);
  }, 60_000);
});
