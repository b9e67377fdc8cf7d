import { createAdminClient, getAdminErrorCode, isAdminApiError } from '@runhub/client';
import { appRouter } from '@runhub/router';
import { createProject, createRun, createSend, createStuckRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRestProcedures } from './rest/routes.js';
import { createHarness, type Harness, jsonPost, readEnvelope, sessionCookie, tokenHeaders } from './test/harness.js';

const RUNS = '/v1/admin/inhouse/workflow-runs';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
let h: Harness;
let projectId: string;

beforeAll(async () => {
  h = await createHarness();
  projectId = (await createProject(h.testDb.db, { name: 'My Store' })).id;
});
afterAll(() => h.testDb.destroy());

const post = (path: string, body: unknown, headers?: Record<string, string>) => h.app.request(path, jsonPost(body, headers));

describe('POST /workflow-runs/:id/retry and /cancel over REST', () => {
  it('retries in the envelope, then answers 409 with details.retryRunId, and the audit row names the admin header', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'failed' });
    const first = await post(`${RUNS}/${run.id}/retry`, { reason: 'provider back' }, tokenHeaders({ 'x-sheen-admin-user-id': 'ops-ana' }));
    expect(first.status).toBe(200);
    const body = await readEnvelope(first);
    expect(body).toEqual({ ok: true, data: { newRunId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' } });
    const { newRunId } = body.data as { newRunId: string };

    const second = await post(`${RUNS}/${run.id}/retry`, { reason: 'again' });
    expect(second.status).toBe(409);
    expect(await readEnvelope(second)).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining(newRunId), details: { retryRunId: newRunId } },
    });

    const audit = await readEnvelope(await h.app.request(`/v1/admin/inhouse/audit-log?targetId=${run.id}`, { headers: tokenHeaders() }));
    expect(audit.data).toMatchObject({
      entries: [
        { adminId: 'ops-ana', action: 'workflow_run.retry', targetType: 'workflow_run', targetId: run.id, reason: 'provider back', details: { newRunId } },
      ],
      nextCursor: null,
    });
  });

  it('cancels, answers 200 again for a repeat, and 409 for a succeeded run', async () => {
    const queued = await createRun(h.testDb.db, projectId, { status: 'queued' });
    for (let i = 0; i < 2; i++) {
      const response = await post(`${RUNS}/${queued.id}/cancel`, { reason: 'Customer requested cancellation' });
      expect(response.status).toBe(200);
      expect(await readEnvelope(response)).toEqual({ ok: true, data: { status: 'cancelled' } });
    }
    const succeeded = await createRun(h.testDb.db, projectId, { status: 'succeeded' });
    const conflict = await post(`${RUNS}/${succeeded.id}/cancel`, { reason: 'too late' });
    expect(conflict.status).toBe(409);
    expect((await readEnvelope(conflict)).error).toMatchObject({ code: 'CONFLICT', details: { status: 'succeeded' } });
  });

  it.each(['retry', 'cancel'])('%s: 404 for an unknown run id', async (write) => {
    const response = await post(`${RUNS}/${UNKNOWN_ID}/${write}`, { reason: 'x' });
    expect(response.status).toBe(404);
    expect((await readEnvelope(response)).error?.code).toBe('NOT_FOUND');
  });

  it.each([
    ['a malformed id', 'not-a-uuid', { reason: 'x' }, 'id'],
    ['an empty reason', UNKNOWN_ID, { reason: '' }, 'reason'],
    ['a blank reason', UNKNOWN_ID, { reason: '   ' }, 'reason'],
    ['a reason over 1000 characters', UNKNOWN_ID, { reason: 'x'.repeat(1001) }, 'reason'],
    ['no body at all', UNKNOWN_ID, '', 'reason'],
    ['an empty object', UNKNOWN_ID, {}, 'reason'],
  ])('retry: 400 with details.issues for %s', async (_name, id, body, path) => {
    const response = await post(`${RUNS}/${id}/retry`, body);
    expect(response.status).toBe(400);
    const error = (await readEnvelope(response)).error;
    expect(error?.code).toBe('BAD_REQUEST');
    expect(error?.details?.issues?.map((i) => i.path)).toContain(path);
  });

  it.each([
    ['malformed JSON', '{"reason": '],
    ['a JSON array', '["reason"]'],
  ])('cancel: 400 for %s', async (_name, body) => {
    const response = await post(`${RUNS}/${UNKNOWN_ID}/cancel`, body);
    expect(response.status).toBe(400);
    expect((await readEnvelope(response)).error?.code).toBe('BAD_REQUEST');
  });

  it('answers 401 without credentials and 403 for a session without inhouse.write, changing nothing', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'failed' });
    const anonymous = await h.app.request(`${RUNS}/${run.id}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reason":"x"}',
    });
    expect(anonymous.status).toBe(401);
    expect((await readEnvelope(anonymous)).error?.code).toBe('UNAUTHORIZED');
    const readOnly = await post(`${RUNS}/${run.id}/retry`, { reason: 'x' }, sessionCookie({ permissions: ['inhouse.read'] }));
    expect(readOnly.status).toBe(403);
    expect((await readEnvelope(readOnly)).error?.code).toBe('FORBIDDEN');
    const retries = await h.testDb.db.selectFrom('workflow_runs').select('id').where('retry_of', '=', run.id).execute();
    expect(retries).toEqual([]);
  });
});

describe('reads over REST', () => {
  it('GET /workflow-runs/stuck lists a stuck run and not a live one', async () => {
    const stuck = await createStuckRun(h.testDb.db, projectId);
    await createRun(h.testDb.db, projectId, { status: 'running', lease_expires_at: new Date(Date.now() + 600_000) });
    const response = await h.app.request(`${RUNS}/stuck?projectId=${projectId}&limit=10`, { headers: tokenHeaders() });
    expect(response.status).toBe(200);
    const body = await readEnvelope(response);
    expect(body.data).toEqual({
      runs: [
        {
          id: stuck.id,
          projectId,
          projectName: 'My Store',
          actionId: stuck.action_id,
          requestedAt: stuck.requested_at.toISOString(),
          leaseExpiresAt: stuck.lease_expires_at?.toISOString(),
          attempts: 1,
        },
      ],
    });
    const bad = await h.app.request(`${RUNS}/stuck?limit=0`, { headers: tokenHeaders() });
    expect(bad.status).toBe(400);
  });

  it('GET /workflow-sends filters by email whatever its case', async () => {
    const run = await createRun(h.testDb.db, projectId);
    const send = await createSend(h.testDb.db, run, { recipient_email: 'jane@example.com', sent_at: new Date('2026-01-30T10:00:05.000Z') });
    const response = await h.app.request(`/v1/admin/inhouse/workflow-sends?email=${encodeURIComponent('Jane@Example.COM')}&limit=5`, {
      headers: tokenHeaders(),
    });
    expect(response.status).toBe(200);
    expect((await readEnvelope(response)).data).toEqual({
      sends: [
        {
          id: send.id,
          projectId,
          projectName: 'My Store',
          runId: run.id,
          actionId: run.action_id,
          recipientEmail: 'jane@example.com',
          status: 'sent',
          sentAt: '2026-01-30T10:00:05.000Z',
          error: null,
          createdAt: send.created_at.toISOString(),
        },
      ],
      nextCursor: null,
    });
  });

  it('GET /audit-log answers 400 for a bad cursor', async () => {
    const response = await h.app.request('/v1/admin/inhouse/audit-log?cursor=abc', { headers: tokenHeaders() });
    expect(response.status).toBe(400);
    expect((await readEnvelope(response)).error?.details?.issues?.map((i) => i.path)).toEqual(['cursor']);
  });
});

const read = (path: string) => h.app.request(path, { headers: tokenHeaders() });

describe('the operator routes over REST', () => {
  it('static paths win over :id: stuck, counts and export are not run ids, and GET /bulk-retry is a 405', async () => {
    expect((await readEnvelope(await read(`${RUNS}/stuck`))).data).toHaveProperty('runs');
    expect((await readEnvelope(await read(`${RUNS}/counts`))).data).toHaveProperty('byStatus');
    expect((await read(`${RUNS}/export`)).headers.get('content-type')).toBe('application/x-ndjson');
    for (const path of ['bulk-retry', 'bulk-cancel']) {
      const response = await read(`${RUNS}/${path}`);
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    const notAnId = await read(`${RUNS}/not-a-uuid`);
    expect(notAnId.status).toBe(400);
    expect((await readEnvelope(notAnId)).error?.details?.issues?.map((i) => i.path)).toEqual(['id']);
  });

  it('GET /workflow-runs/:id answers the detail, 404 for an unknown run', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'failed' });
    await post(`${RUNS}/${run.id}/retry`, { reason: 'detail' });
    const body = await readEnvelope(await read(`${RUNS}/${run.id}`));
    expect(body.data).toMatchObject({
      run: { id: run.id, projectName: 'My Store' },
      chain: [{ id: run.id }, { retryOf: run.id }],
      sends: { total: 0 },
      audit: [{ action: 'workflow_run.retry', targetId: run.id }],
    });
    const unknown = await read(`${RUNS}/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect((await readEnvelope(unknown)).error?.code).toBe('NOT_FOUND');
  });

  it('reads stuck=true and stuck=false from the query string, and refuses any other value', async () => {
    const project = await createProject(h.testDb.db);
    const stuck = await createStuckRun(h.testDb.db, project.id);
    await createRun(h.testDb.db, project.id, { status: 'queued' });
    const ids = async (query: string) =>
      ((await readEnvelope(await read(`${RUNS}?projectId=${project.id}&${query}`))).data as { runs: { id: string }[] }).runs.map((r) => r.id);
    expect(await ids('stuck=true')).toEqual([stuck.id]);
    expect(await ids('stuck=false')).toHaveLength(1);
    expect((await read(`${RUNS}?stuck=TRUE`)).status).toBe(400);
    const counts = await readEnvelope(await read(`${RUNS}/counts?projectId=${project.id}`));
    expect(counts.data).toEqual({ byStatus: { queued: 1, running: 1, succeeded: 0, failed: 0, cancelled: 0 }, stuck: 1, total: 2 });
  });

  it('POST /workflow-runs/bulk-retry and /bulk-cancel answer the exact shape; a dry run first, then the real call', async () => {
    const project = await createProject(h.testDb.db);
    const failed = await createRun(h.testDb.db, project.id, { status: 'failed' });
    const body = { reason: 'retry the failed ones', filter: { projectId: project.id } };
    const preview = await readEnvelope(await post(`${RUNS}/bulk-retry`, { ...body, dryRun: true }));
    expect(preview).toEqual({
      ok: true,
      data: { dryRun: true, bulkOperationId: null, matched: 1, eligible: 1, runIds: [failed.id], newRunIds: [], remaining: 0, skipped: [] },
    });
    const real = await readEnvelope(await post(`${RUNS}/bulk-retry`, body));
    expect(real.data).toMatchObject({ dryRun: false, bulkOperationId: expect.any(String), runIds: [failed.id], newRunIds: [expect.any(String)] });
    const cancel = await readEnvelope(await post(`${RUNS}/bulk-cancel`, { reason: 'stop', ids: [UNKNOWN_ID] }));
    expect(cancel.data).toMatchObject({ matched: 0, eligible: 0, runIds: [], skipped: [{ id: UNKNOWN_ID, reason: 'not_found' }] });
    const empty = await post(`${RUNS}/bulk-cancel`, { reason: 'everything?', filter: {} });
    expect(empty.status).toBe(400);
    expect((await readEnvelope(empty)).error?.details?.issues?.map((i) => i.path)).toEqual(['filter']);
  });
});

describe('empty query values are absent (SPEC part two)', () => {
  it('on every GET route: every field sent empty answers what no field answers', async () => {
    const run = await createRun(h.testDb.db, projectId);
    for (const { route, input } of listRestProcedures(appRouter).filter(({ route }) => route.method === 'GET')) {
      const fields = Object.keys((input as { shape?: Record<string, unknown> } | undefined)?.shape ?? {}).filter((name) => !route.path.includes(`:${name}`));
      const path = route.path.replace(
        ':id',
        route.path.includes('business-events') ? String((await h.testDb.db.selectFrom('business_events').select('id').executeTakeFirst())?.id ?? 1) : run.id,
      );
      const plain = await read(path);
      const blank = await read(`${path}?${fields.map((name) => `${name}=`).join('&')}`);
      expect(blank.status, `${route.path} ?${fields.join('=&')}=`).toBe(plain.status);
      if (route.path.endsWith('workflow-runs') || route.path.endsWith('audit-log') || route.path.endsWith('workflow-sends')) {
        expect(await blank.json()).toEqual(await plain.json());
      }
    }
    // The example of the SPEC: the default first page.
    expect(await (await read(`${RUNS}?status=&limit=&cursor=`)).json()).toEqual(await (await read(RUNS)).json());
  });
});

describe('the typed client', () => {
  const admin = () =>
    createAdminClient({
      baseUrl: 'http://runhub.test',
      token: tokenHeaders()['x-sheen-admin-token'],
      adminUserId: 'ops-sdk',
      fetch: (input, init) => Promise.resolve(h.app.request(input instanceof Request ? input : String(input), init)),
    });

  it('retries, cancels and reads stuck runs, sends and the audit log, with 409 details', async () => {
    const stuck = await createStuckRun(h.testDb.db, projectId);
    const client = admin();
    expect((await client.workflowRuns.stuck.query({ projectId })).runs.map((r) => r.id)).toContain(stuck.id);
    const { newRunId } = await client.workflowRuns.retry.mutate({ id: stuck.id, reason: 'sdk retry' });

    const error = await client.workflowRuns.retry.mutate({ id: stuck.id, reason: 'again' }).catch((e: unknown) => e);
    expect(getAdminErrorCode(error)).toBe('CONFLICT');
    expect(isAdminApiError(error, 'CONFLICT') && error.data?.details).toEqual({ retryRunId: newRunId });

    expect(await client.workflowRuns.cancel.mutate({ id: newRunId, reason: 'sdk cancel' })).toEqual({ status: 'cancelled' });
    const { entries } = await client.auditLog.list.query({ adminId: 'ops-sdk' });
    expect(entries.map((e) => [e.action, e.targetId])).toEqual([
      ['workflow_run.cancel', newRunId],
      ['workflow_run.retry', stuck.id],
    ]);
    const { sends } = await client.workflowSends.list.query({ projectId, limit: 1 });
    expect(sends).toHaveLength(1);
  });
});
