import { createProject, createRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, jsonPost, readEnvelope, tokenHeaders } from './test/harness.js';

/** The REST adapter's own rules (apps/server/src/rest/adapter.ts): how it reads a query and a body, and its 404 and 405. */
const RUNS = '/v1/admin/inhouse/workflow-runs';
let h: Harness;
let projectId: string;

beforeAll(async () => {
  h = await createHarness();
  projectId = (await createProject(h.testDb.db)).id;
  for (let i = 0; i < 3; i++) await createRun(h.testDb.db, projectId, { status: 'failed' });
});
afterAll(() => h.testDb.destroy());

async function get(query: string) {
  const response = await h.app.request(`${RUNS}?projectId=${projectId}&${query}`, { headers: tokenHeaders() });
  return { status: response.status, body: await readEnvelope(response) };
}
const issuePaths = (body: { error?: { details?: { issues?: { path: string }[] } } }) => body.error?.details?.issues?.map((issue) => issue.path);

describe('the query string', () => {
  it.each([
    ['limit=2', 2],
    ['limit=-1', 'limit'],
    ['limit=1e1', 'limit'],
    ['limit=0x2', 'limit'],
    [`limit=${'1'.repeat(16)}`, 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['limit=', 3],
    ['limit=&limit=1', 1],
    ['stuck=false', 3],
    ['stuck=true', 0],
    ['stuck=TRUE', 'stuck'],
    ['stuck=1', 'stuck'],
    ['status=&status=failed', 3],
  ])('reads %s', async (query, expected) => {
    const { status, body } = await get(query);
    if (typeof expected === 'number') {
      expect(status, JSON.stringify(body)).toBe(200);
      expect((body.data as { runs: unknown[] }).runs).toHaveLength(expected);
    } else {
      expect(status).toBe(400);
      expect(issuePaths(body)).toEqual([expected]);
    }
  });

  it('takes a path parameter over a query parameter of the same name', async () => {
    const run = await createRun(h.testDb.db, projectId);
    const response = await h.app.request(`${RUNS}/${run.id}?id=not-a-uuid`, { headers: tokenHeaders() });
    expect(response.status).toBe(200);
    expect(JSON.stringify((await readEnvelope(response)).data)).toContain(run.id);
  });
});

describe('the body', () => {
  it.each([
    ['no body', '', 'reason'],
    ['white space', ' \n ', 'reason'],
  ])('reads %s as no fields', async (_name, text, path) => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, jsonPost(text));
    expect(response.status).toBe(400);
    expect(issuePaths(await readEnvelope(response))).toEqual([path]);
  });

  it.each([
    ['malformed JSON', '{"reason":', 'The body is not valid JSON'],
    ['an array', '["x"]', 'The body must be a JSON object'],
    ['null', 'null', 'The body must be a JSON object'],
    ['a string', '"x"', 'The body must be a JSON object'],
    ['a number', '7', 'The body must be a JSON object'],
  ])('refuses %s', async (_name, text, message) => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, jsonPost(text));
    expect(response.status).toBe(400);
    expect((await readEnvelope(response)).error).toEqual({ code: 'BAD_REQUEST', message });
  });

  it.each([
    ['application/json', 200],
    ['application/json; charset=utf-8', 200],
    ['Application/JSON;charset=UTF-8', 200],
    ['application/json-seq', 400],
    ['application/evil+json', 400],
    ['application/jsonp', 400],
    ['text/json', 400],
    ['text/plain', 400],
    ['application/x-www-form-urlencoded', 400],
  ] as const)('cancel: a JSON body sent as %s answers %i', async (contentType, status) => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, {
      method: 'POST',
      headers: tokenHeaders({ 'content-type': contentType }),
      body: '{"reason":"x"}',
    });
    expect(response.status).toBe(status);
    const envelope = await readEnvelope(response);
    if (status === 400) expect(envelope.error?.message).toBe('The body must be JSON, sent with Content-Type: application/json');
    const after = await h.testDb.db.selectFrom('workflow_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(after.status).toBe(status === 200 ? 'cancelled' : 'queued');
  });

  it('takes the run id from the path only: a body cannot name another run', async () => {
    const target = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const other = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${target.id}/cancel`, jsonPost({ id: other.id, reason: 'path wins' }));
    expect(response.status).toBe(200);
    const statuses = await h.testDb.db.selectFrom('workflow_runs').select(['id', 'status']).where('id', 'in', [target.id, other.id]).execute();
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({ [target.id]: 'cancelled', [other.id]: 'queued' });
  });

  it('refuses a body without a content type', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, { method: 'POST', headers: tokenHeaders(), body: '{"reason":"x"}' });
    expect(response.status).toBe(400);
    expect((await readEnvelope(response)).error?.message).toBe('The body must be JSON, sent with Content-Type: application/json');
  });
});

describe('paths and methods', () => {
  it('answers 405 with Allow for another method on a known path, 404 naming an unknown path', async () => {
    const run = await createRun(h.testDb.db, projectId);
    const wrongMethod = await h.app.request(`${RUNS}/${run.id}/retry`, { headers: tokenHeaders() });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await readEnvelope(wrongMethod)).error).toEqual({ code: 'METHOD_NOT_ALLOWED', message: 'GET is not allowed here; use POST' });
    const unknown = await h.app.request('/v1/admin/inhouse/nothing/here', { method: 'DELETE', headers: tokenHeaders() });
    expect(unknown.status).toBe(404);
    expect((await readEnvelope(unknown)).error).toEqual({ code: 'NOT_FOUND', message: 'No route DELETE /v1/admin/inhouse/nothing/here' });
  });

  it('answers a procedure error as its SPEC code, with its details, and logs no error for a 4xx', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'succeeded' });
    const before = h.logs.length;
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, jsonPost({ reason: 'x' }));
    expect(response.status).toBe(409);
    expect((await readEnvelope(response)).error).toMatchObject({ code: 'CONFLICT', details: { status: 'succeeded' } });
    expect(h.logs.slice(before).filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});
