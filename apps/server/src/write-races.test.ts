import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createProject, createRun, createStuckRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, tokenHeaders } from './test/harness.js';

/**
 * 50 concurrent mixed writes through a listening HTTP server: afterwards every audit row matches
 * exactly one state change, no run has two retries, and no run is both retried and cancelled.
 * On PostgreSQL the writes really overlap (a pool of connections); on PGlite they serialise.
 */
let h: Harness;
let server: ServerType;
let base: string;
let runIds: string[];
let projectIds: string[];

beforeAll(async () => {
  h = await createHarness();
  const { db } = h.testDb;
  const projects = [await createProject(db), await createProject(db)];
  projectIds = projects.map((p) => p.id);
  runIds = [];
  for (const [i, project] of projects.entries()) {
    runIds.push((await createRun(db, project.id, { status: 'failed', error: { code: 'X', message: 'x' } })).id);
    runIds.push((await createRun(db, project.id, { status: 'failed', error: { code: 'X', message: 'x' } })).id);
    runIds.push((await createStuckRun(db, project.id)).id);
    runIds.push((await createStuckRun(db, project.id)).id);
    runIds.push((await createRun(db, project.id, { status: 'queued' })).id);
    runIds.push((await createRun(db, project.id, { status: 'running', lease_expires_at: new Date(Date.now() + 3_600_000), attempts: i + 1 })).id);
  }
  await new Promise<void>((resolve) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  // The rollups the triggers started finish before the database goes.
  await h.rollup.idle();
  await h.testDb.destroy();
});

type Write = { kind: 'retry' | 'cancel'; runId: string } | { kind: 'trigger'; projectId: string | null };

/** A fixed, shuffled mix: each run is hit several times by both writes. */
function mixedWrites(): Write[] {
  const writes: Write[] = [];
  for (let i = 0; i < 50; i++) {
    const runId = runIds[(i * 7) % runIds.length] ?? '';
    if (i % 10 === 9) writes.push({ kind: 'trigger', projectId: i % 20 === 9 ? null : (projectIds[i % 2] ?? null) });
    else writes.push({ kind: i % 3 === 0 ? 'cancel' : 'retry', runId });
  }
  return writes;
}

async function send(write: Write): Promise<{ write: Write; status: number; body: { ok: boolean; data?: { newRunId?: string } } }> {
  const [path, body] =
    write.kind === 'trigger'
      ? ['/v1/admin/inhouse/kpi-health/trigger-rollup', write.projectId ? { projectId: write.projectId, reason: 'race' } : { reason: 'race' }]
      : [`/v1/admin/inhouse/workflow-runs/${write.runId}/${write.kind}`, { reason: 'race' }];
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...tokenHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { write, status: response.status, body: (await response.json()) as { ok: boolean; data?: { newRunId?: string } } };
}

describe('50 concurrent mixed writes', () => {
  it('leave one audit row per state change and at most one retry per run', async () => {
    const answers = await Promise.all(mixedWrites().map(send));
    for (const answer of answers) expect([200, 409], JSON.stringify(answer)).toContain(answer.status);

    const { db } = h.testDb;
    const runs = await db.selectFrom('workflow_runs').select(['id', 'status', 'retry_of', 'error']).execute();
    const audits = await db.selectFrom('admin_audit_log').select(['action', 'target_id', 'details']).execute();
    const byId = new Map(runs.map((r) => [r.id, r]));

    const retries = runs.filter((r) => r.retry_of !== null);
    const retryAudits = audits.filter((a) => a.action === 'workflow_run.retry');
    const cancelAudits = audits.filter((a) => a.action === 'workflow_run.cancel');
    const triggerAudits = audits.filter((a) => a.action === 'kpi.trigger_rollup');

    // No run has two retries (the unique retry_of makes two impossible; the answers must agree).
    expect(new Set(retries.map((r) => r.retry_of)).size).toBe(retries.length);
    // Each retry answered 200 is one new run and one audit row naming it, and nothing else made runs.
    const retried = answers.filter((a) => a.write.kind === 'retry' && a.status === 200);
    expect(retried).toHaveLength(retries.length);
    expect(retryAudits).toHaveLength(retries.length);
    for (const audit of retryAudits) {
      const newRunId = (audit.details as { newRunId?: string }).newRunId ?? '';
      expect(byId.get(newRunId)?.retry_of).toBe(audit.target_id);
    }
    // Each cancel audit row is one run that went to cancelled; repeats answered 200 without a row.
    expect(new Set(cancelAudits.map((a) => a.target_id)).size).toBe(cancelAudits.length);
    const cancelled = runs.filter((r) => r.status === 'cancelled');
    expect(cancelled.map((r) => r.id).sort()).toEqual(cancelAudits.map((a) => a.target_id).sort());
    // A run is either retried or cancelled, never both; a retried stuck run is marked failed.
    for (const run of cancelled) expect(retries.some((r) => r.retry_of === run.id)).toBe(false);
    for (const retry of retries) expect(byId.get(retry.retry_of ?? '')?.status).toBe('failed');
    // Every accepted trigger is audited.
    expect(triggerAudits).toHaveLength(answers.filter((a) => a.write.kind === 'trigger' && a.status === 200).length);
  });
});
