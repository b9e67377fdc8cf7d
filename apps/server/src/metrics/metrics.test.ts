import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@runhub/db';
import { createRollupCoordinator, type RollupCoordinator } from '@runhub/router';
import { createEvent, createProject, createRun, createStuckRun, createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import type { Hono } from 'hono';
import { type Kysely, type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { type ConsoleFiles, loadConsoleFiles, resolveConsoleDir } from '../console/files.js';
import type { AppEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { ADMIN_TOKEN, tokenHeaders } from '../test/harness.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';

/** SPEC §10's `/metrics`: what it holds, its labels, its token, and what a scrape costs the database. */
let testDb: TestDatabase;
let rollup: RollupCoordinator;

beforeAll(async () => {
  testDb = await createTestDatabase();
  rollup = createRollupCoordinator(testDb.db);
});
afterAll(async () => {
  await rollup.stop();
  await testDb.destroy();
});

const SETTINGS = { intervalMinutes: 15, staleAfterMinutes: 30 };

function appWith(options: { metrics?: ServerMetrics; metricsTokens?: string[]; rollup?: RollupCoordinator; consoleFiles?: ConsoleFiles } = {}): Hono<AppEnv> {
  return createApp({
    db: testDb.db,
    rollup: options.rollup ?? rollup,
    auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [] },
    logger: createLogger('silent'),
    ...options,
  });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1]) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(app: Hono<AppEnv>, headers: Record<string, string> = {}): Promise<{ text: string; samples: Sample[] }> {
  const response = await app.request('/metrics', { headers });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parse(text) };
}

const sampleValue = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))?.value;

/**
 * A handle on the database that counts the statements it executed: a plugin sees each result once
 * (its query is transformed once per builder, subqueries included, so that is not a count).
 */
function countingDb(db: Kysely<Database>): { db: Kysely<Database>; statements: () => number } {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      count++;
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), statements: () => count };
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format, without envelope or credentials, with every metric of SPEC §10', async () => {
    const app = appWith();
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'http_request_duration_seconds',
      'runhub_rollup_runs_total',
      'runhub_rollup_duration_seconds',
      'runhub_stuck_runs',
      'runhub_kpi_projects',
      'runhub_database_up',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE runhub_rollup_runs_total counter');
    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'runhub_rollup_runs_total', { status: 'succeeded' })).toBe(0);
    expect(sampleValue(samples, 'runhub_rollup_runs_total', { status: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'runhub_database_up')).toBe(1);
    // The first scrape itself was timed.
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  });

  it('labels requests by route template or unmatched, so ids and unknown paths never grow the label set', async () => {
    const app = appWith({ consoleFiles: loadConsoleFiles(resolveConsoleDir()) });
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const json = { ...tokenHeaders(), 'content-type': 'application/json' };
    for (const id of ids) {
      await app.request(`/v1/admin/inhouse/workflow-runs/${id}/retry`, { method: 'POST', headers: json, body: '{"reason":"x"}' });
      await app.request(`/v1/admin/inhouse/workflow-runs/${id}/retry`, { method: 'POST' });
      await app.request(`/v1/admin/inhouse/workflow-runs/${id}/explode`, { headers: tokenHeaders() });
      await app.request(`/v1/admin/inhouse/${id}`, { headers: tokenHeaders() });
      await app.request(`/${id}`);
      await app.request(`/trpc/workflowRuns.${id}`, { headers: tokenHeaders() });
      await app.request(`/docs/assets/${id}.js`);
      await app.request(`/admin/inhouse/workflows/${id}`);
    }
    await app.request('/v1/admin/inhouse/workflow-runs/stuck', { headers: tokenHeaders() });
    await app.request('/v1/admin/inhouse/workflow-runs/stuck', { method: 'POST', headers: json, body: '{}' });
    await app.request('/trpc/kpiHealth.summary', { headers: tokenHeaders() });
    await app.request(`/trpc/kpiHealth.summary,kpiHealth.projects?batch=1&input=${encodeURIComponent('{}')}`, { headers: tokenHeaders() });
    await app.request('/trpc/kpiHealth.summary,nope?batch=1', { headers: tokenHeaders() });
    await app.request('/healthz');

    const { text, samples } = await scrape(app);
    for (const id of ids) expect(text).not.toContain(id);
    const requests = samples.filter((s) => s.name === 'http_request_duration_seconds_count');
    const series = requests.map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status}`).sort();
    expect(series).toEqual(
      [
        'GET /admin/inhouse/workflows/* 200',
        'GET /docs/assets/:file 404',
        'GET /healthz 200',
        'GET /trpc/:batch 200',
        'GET /trpc/kpiHealth.summary 200',
        'GET /v1/admin/inhouse/workflow-runs/stuck 200',
        // A batch naming an unknown procedure: tRPC answers 207, one call failing.
        'GET unmatched 207',
        'GET unmatched 404',
        'POST /v1/admin/inhouse/workflow-runs/:id/retry 401',
        'POST /v1/admin/inhouse/workflow-runs/:id/retry 404',
        'POST /v1/admin/inhouse/workflow-runs/stuck 405',
      ].sort(),
    );
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(4 * 20);
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { route: '/v1/admin/inhouse/workflow-runs/:id/retry', status: '404' })).toBe(20);
  });

  it('needs a Bearer METRICS_TOKEN when one is set, compared in full, and accepts every token of a rotation', async () => {
    const app = appWith({ metricsTokens: ['metrics-token-0123456789', 'metrics-token-abcdefghij'] });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: 'Bearer metrics-token-012345678' },
      { authorization: 'metrics-token-0123456789' },
    ];
    for (const headers of attempts) {
      const response = await app.request('/metrics', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('# TYPE');
    }
    await scrape(app, { authorization: 'Bearer metrics-token-0123456789' });
    await scrape(app, { authorization: 'bearer metrics-token-abcdefghij' });
  });

  it('is described in /openapi.json, outside its paths: not JSON, not enveloped', async () => {
    const document = (await (await appWith().request('/openapi.json')).json()) as { info: { description: string }; paths: Record<string, unknown> };
    expect(document.info.description).toContain('`GET /metrics` (Prometheus text format');
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/v1/admin/inhouse/'))).toEqual([]);
  });

  it('keeps two apps in one process apart: each its own registry, counting only its own requests', async () => {
    const first = appWith();
    const second = appWith();
    for (let i = 0; i < 3; i++) await first.request('/healthz');
    const count = async (app: Hono<AppEnv>) => sampleValue((await scrape(app)).samples, 'http_request_duration_seconds_count', { route: '/healthz' });
    expect(await count(first)).toBe(3);
    expect(await count(second)).toBeUndefined();
  });
});

describe('the rollup metrics', () => {
  it('count the runs, and their durations, only in the instance that executed them', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    await createEvent(db, project.id);
    const ran = createServerMetrics({ db, settings: SETTINGS });
    const idle = createServerMetrics({ db, settings: SETTINGS });
    const runner = createRollupCoordinator(db, { onRunFinished: (run) => ran.recordRollupRun(run) });
    const bystander = createRollupCoordinator(db, { onRunFinished: (run) => idle.recordRollupRun(run) });
    const app = appWith({ metrics: ran, rollup: runner });
    const other = appWith({ metrics: idle, rollup: bystander });
    const trigger = (body: Record<string, unknown>) =>
      app.request('/v1/admin/inhouse/kpi-health/trigger-rollup', {
        method: 'POST',
        headers: { ...tokenHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'metrics', ...body }),
      });
    expect((await trigger({})).status).toBe(200);
    expect((await trigger({ projectId: project.id, startDate: '2026-01-01', endDate: '2026-01-31' })).status).toBe(200);
    await runner.idle();

    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'runhub_rollup_runs_total', { status: 'succeeded' })).toBe(2);
    expect(sampleValue(samples, 'runhub_rollup_duration_seconds_count', { mode: 'incremental' })).toBe(1);
    expect(sampleValue(samples, 'runhub_rollup_duration_seconds_count', { mode: 'rebuild' })).toBe(1);
    const elsewhere = (await scrape(other)).samples;
    expect(sampleValue(elsewhere, 'runhub_rollup_runs_total', { status: 'succeeded' })).toBe(0);
    expect(sampleValue(elsewhere, 'runhub_rollup_duration_seconds_count', { mode: 'incremental' })).toBeUndefined();
    await Promise.all([runner.stop(), bystander.stop()]);
  });
});

describe('the scrape-time gauges', () => {
  let now: number;
  beforeEach(async () => {
    now = 0;
    await sql`truncate projects restart identity cascade`.execute(testDb.db);
  });

  it('answer stuck runs and projects by status, from one query reused for the cache period whatever the scrapes', async () => {
    const { db } = testDb;
    const project = await createProject(db);
    await createProject(db);
    await createEvent(db, project.id);
    await createStuckRun(db, project.id);
    await createStuckRun(db, project.id);
    await createRun(db, project.id, { status: 'running', lease_expires_at: new Date(Date.now() + 3_600_000) });
    const counted = countingDb(db);
    const metrics = createServerMetrics({ db: counted.db, settings: SETTINGS, gaugeCacheMs: 5000, now: () => now });
    const app = appWith({ metrics });

    // A scrape storm: fifty at once, then fifty more, within the cache period.
    const storm = await Promise.all(Array.from({ length: 50 }, () => scrape(app)));
    for (let i = 0; i < 50; i++) await scrape(app);
    expect(counted.statements()).toBe(1);
    const { samples } = storm[0] ?? { samples: [] };
    expect(sampleValue(samples, 'runhub_stuck_runs')).toBe(2);
    expect(sampleValue(samples, 'runhub_kpi_projects', { status: 'stale' })).toBe(1);
    expect(sampleValue(samples, 'runhub_kpi_projects', { status: 'no_data' })).toBe(1);
    expect(sampleValue(samples, 'runhub_kpi_projects', { status: 'healthy' })).toBe(0);

    await createStuckRun(db, project.id);
    now += 4999;
    expect(sampleValue((await scrape(app)).samples, 'runhub_stuck_runs')).toBe(2);
    now += 1;
    expect(sampleValue((await scrape(app)).samples, 'runhub_stuck_runs')).toBe(3);
    expect(counted.statements()).toBe(2);
  });

  it('still answer the scrape when the database is down: database_up 0, the gauges absent, and one attempt per cache period', async () => {
    // Nothing listens on port 1: every query fails at once.
    const gone = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/unreachable', statementTimeoutMs: 500 });
    const failures: unknown[] = [];
    const metrics = createServerMetrics({ db: gone, settings: SETTINGS, now: () => now, onGaugeError: (error) => failures.push(error) });
    try {
      const app = appWith({ metrics });
      for (let i = 0; i < 10; i++) {
        const { samples } = await scrape(app);
        expect(sampleValue(samples, 'runhub_database_up')).toBe(0);
        expect(samples.filter((s) => s.name === 'runhub_stuck_runs' || s.name === 'runhub_kpi_projects')).toEqual([]);
        expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
      }
      // Each attempt that fails is reported: one, for ten scrapes within the cache period.
      expect(failures).toHaveLength(1);
    } finally {
      await gone.destroy();
    }
  });
});
