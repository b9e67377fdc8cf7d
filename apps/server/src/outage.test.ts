import { createDatabase, type Database } from '@runhub/db';
import { createRollupCoordinator, type RollupCoordinator } from '@runhub/router';
import { createProject, createRun, createStuckRun, createTestDatabase, type TestDatabase, until, waitForLockWaiters } from '@runhub/router/testing';
import type { Hono } from 'hono';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { AppEnv } from './env.js';
import { createLogger } from './logger.js';
import { type RollupScheduler, startRollupScheduler } from './rollup-scheduler.js';
import { ADMIN_TOKEN, readEnvelope, tokenHeaders } from './test/harness.js';
import { startTcpProxy, type TcpProxy } from './test/tcp-proxy.js';

const STATEMENT_TIMEOUT_MS = 1000;

/** The outage bound asserted below: the configured timeout plus slack for a loaded CI machine. */
const ANSWER_WITHIN_MS = STATEMENT_TIMEOUT_MS + 4000;

// A database outage needs a database server to lose: PGlite lives inside the process.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('database outage (PostgreSQL behind a TCP proxy)', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let db: Kysely<Database>;
  let app: Hono<AppEnv>;
  let projectId: string;
  let rollup: RollupCoordinator;
  let scheduler: RollupScheduler;
  const logs: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const target = new URL(testDb.url ?? '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    db = createDatabase({ url: viaProxy.toString(), statementTimeoutMs: STATEMENT_TIMEOUT_MS, onConnectionError: () => {} });
    const logger = createLogger('warn', (line) => logs.push(line));
    rollup = createRollupCoordinator(db, { intervalMinutes: 60 });
    app = createApp({ db, auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [] }, logger, rollup, readinessTimeoutMs: STATEMENT_TIMEOUT_MS });
    projectId = (await createProject(testDb.db)).id;
    await createRun(testDb.db, projectId);
    scheduler = startRollupScheduler(rollup, { logger, minDelayMs: 50, maxDelayMs: 200, retryDelayMs: 200 });
    await rollup.idle();
  });

  afterAll(async () => {
    await scheduler.stop();
    await proxy.close();
    await db.destroy().catch(() => {});
    await testDb.destroy();
  });

  async function timed(path: string, init?: RequestInit): Promise<{ status: number; code: string | undefined; ms: number }> {
    const started = performance.now();
    const response = await app.request(path, { ...init, headers: { ...tokenHeaders(), ...(init?.headers ?? {}) } });
    const body = await readEnvelope(response).catch(() => ({ error: undefined }));
    return { status: response.status, code: body.error?.code, ms: performance.now() - started };
  }

  it('answers 503 quickly while the database is gone, keeps /healthz up, and recovers by itself', async () => {
    expect((await timed('/v1/admin/inhouse/workflow-runs')).status).toBe(200);
    await proxy.cut();

    for (const path of ['/v1/admin/inhouse/workflow-runs', `/v1/admin/inhouse/workflow-runs?projectId=${projectId}`]) {
      const outage = await timed(path);
      expect(outage).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(outage.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const ready = await timed('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect((await app.request('/healthz')).status).toBe(200);

    // The scheduler's beats fail meanwhile: logged, never fatal.
    await until(() => logs.some((line) => line.includes('rollup beat failed')), 'a failed beat in the log');

    await proxy.restore();
    expect((await timed('/readyz')).status).toBe(200);
    expect((await timed('/v1/admin/inhouse/workflow-runs')).status).toBe(200);

    // Once the database answers, the scheduler records the failures it could not write…
    await until(async () => (await errorsRecorded()) > 0, 'the outage recorded in kpi_rollup_errors');
    const job = await app.request('/v1/admin/inhouse/kpi-health/rollup-job', { headers: tokenHeaders() });
    const recentErrors = ((await job.json()) as { data: { recentErrors: { message: string }[] } }).data.recentErrors;
    expect(recentErrors.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Rollup could not run/));
    // …and rollups run again.
    const trigger = await timed('/v1/admin/inhouse/kpi-health/trigger-rollup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'after the outage' }),
    });
    expect(trigger.status).toBe(200);
    await rollup.idle();
    const last = await testDb.db.selectFrom('kpi_rollup_runs').select('status').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.status).toBe('succeeded');
  });

  async function errorsRecorded(): Promise<number> {
    const rows = await testDb.db.selectFrom('kpi_rollup_errors').select('id').where('message', 'like', 'Rollup could not run%').execute();
    return rows.length;
  }

  it('applies a write cut off by the outage fully (with its audit row) or not at all', async () => {
    const run = await createStuckRun(testDb.db, projectId);
    // Hold the run's row lock from outside, so the retry is mid-transaction when the database goes away.
    const holder = createDatabase({ url: testDb.url ?? '', poolSize: 1 });
    let release: () => void = () => {};
    let locked: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const locking = holder.transaction().execute(async (trx) => {
      await sql`select id from workflow_runs where id = ${run.id} for update`.execute(trx);
      locked();
      await held;
    });
    await isLocked;

    const retry = timed(`/v1/admin/inhouse/workflow-runs/${run.id}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'retry during an outage' }),
    });
    await waitForLockWaiters(testDb.db, 1);
    await proxy.cut();
    release();
    await locking;
    const answer = await retry;
    expect([200, 503]).toContain(answer.status);
    await proxy.restore();
    await holder.destroy();

    // PostgreSQL ends the dead client's transaction once it notices the connection is gone.
    await until(async () => {
      const { rows } = await sql<{ open: number }>`
        select count(*)::int as open from pg_stat_activity
        where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()`.execute(testDb.db);
      return rows[0]?.open === 0;
    }, 'the cut transaction to end');
    const retries = await testDb.db.selectFrom('workflow_runs').select('id').where('retry_of', '=', run.id).execute();
    const audits = await testDb.db
      .selectFrom('admin_audit_log')
      .select('id')
      .where('target_id', '=', run.id)
      .where('action', '=', 'workflow_run.retry')
      .execute();
    const original = await testDb.db.selectFrom('workflow_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(audits.length).toBe(retries.length);
    expect(original.status).toBe(retries.length === 1 ? 'failed' : 'running');
    if (answer.status === 200) expect(retries).toHaveLength(1);
  });
});
