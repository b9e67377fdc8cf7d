import { createDatabase, type Database } from '@runhub/db';
import { createProject, createRun, createStuckRun, createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import type { Hono } from 'hono';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { AppEnv } from './env.js';
import { createLogger } from './logger.js';
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

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const target = new URL(testDb.url ?? '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    db = createDatabase({ url: viaProxy.toString(), statementTimeoutMs: STATEMENT_TIMEOUT_MS, onConnectionError: () => {} });
    app = createApp({ db, auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [] }, logger: createLogger('silent'), readinessTimeoutMs: STATEMENT_TIMEOUT_MS });
    projectId = (await createProject(testDb.db)).id;
    await createRun(testDb.db, projectId);
  });

  afterAll(async () => {
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

    await proxy.restore();
    expect((await timed('/readyz')).status).toBe(200);
    expect((await timed('/v1/admin/inhouse/workflow-runs')).status).toBe(200);
  });

  it('applies a write cut off by the outage fully (with its audit row) or not at all', async () => {
    const run = await createStuckRun(testDb.db, projectId);
    // Hold the run's row lock from outside, so the retry is mid-transaction when the database goes away.
    const holder = createDatabase({ url: testDb.url ?? '', poolSize: 1 });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const locking = holder.transaction().execute(async (trx) => {
      await sql`select id from workflow_runs where id = ${run.id} for update`.execute(trx);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const retry = timed(`/v1/admin/inhouse/workflow-runs/${run.id}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'retry during an outage' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await proxy.cut();
    release();
    await locking;
    const answer = await retry;
    expect([200, 503]).toContain(answer.status);
    await proxy.restore();
    await holder.destroy();

    // Give PostgreSQL a moment to notice the dead client and end its transaction.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const retries = await testDb.db.selectFrom('workflow_runs').select('id').where('retry_of', '=', run.id).execute();
    const audits = await testDb.db.selectFrom('admin_audit_log').select('id').where('target_id', '=', run.id).where('action', '=', 'workflow_run.retry').execute();
    const original = await testDb.db.selectFrom('workflow_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(audits.length).toBe(retries.length);
    expect(original.status).toBe(retries.length === 1 ? 'failed' : 'running');
    if (answer.status === 200) expect(retries).toHaveLength(1);
  });
});
