import { createProject, createRun, unsignedJwt } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURE_HEADERS } from './middleware/secure-headers.js';
import { ADMIN_TOKEN, createHarness, type Harness, harnessApp, readEnvelope, SESSION_SECRET, sessionCookie, tokenHeaders } from './test/harness.js';

const RUNS = '/v1/admin/inhouse/workflow-runs';
let h: Harness;
let projectId: string;

beforeAll(async () => {
  h = await createHarness();
  const project = await createProject(h.testDb.db, { name: 'My Store' });
  projectId = project.id;
  for (let i = 0; i < 3; i++) await createRun(h.testDb.db, projectId, { requested_at: new Date(Date.UTC(2026, 0, 30, 10, i)) });
});
afterAll(() => h.testDb.destroy());

describe('GET /v1/admin/inhouse/workflow-runs over REST', () => {
  it('answers the success envelope with runs and a cursor that pages on', async () => {
    const first = await readEnvelope(await h.app.request(`${RUNS}?limit=2&projectId=${projectId}`, { headers: tokenHeaders() }));
    expect(first.ok).toBe(true);
    const data = first.data as { runs: { projectName: string; requestedAt: string }[]; nextCursor: string };
    expect(data.runs).toHaveLength(2);
    expect(data.runs[0]).toMatchObject({ projectName: 'My Store', requestedAt: '2026-01-30T10:02:00.000Z' });
    const second = await readEnvelope(await h.app.request(`${RUNS}?limit=2&projectId=${projectId}&cursor=${data.nextCursor}`, { headers: tokenHeaders() }));
    expect(second.data).toMatchObject({ runs: [{ requestedAt: '2026-01-30T10:00:00.000Z' }], nextCursor: null });
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['status=paused', 'status'],
    ['projectId=not-a-uuid', 'projectId'],
    ['cursor=%%%', 'cursor'],
    ['actionId=a&actionId=b', 'actionId'],
  ])('answers 400 with details.issues for %s', async (query, path) => {
    const response = await h.app.request(`${RUNS}?${query}`, { headers: tokenHeaders() });
    expect(response.status).toBe(400);
    const body = await readEnvelope(response);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('BAD_REQUEST');
    expect(body.error?.details?.issues?.map((i) => i.path)).toContain(path);
  });

  it('answers 405 for another method on a known path and 404 for an unknown path', async () => {
    const post = await h.app.request(RUNS, { method: 'POST', headers: tokenHeaders() });
    expect(post.status).toBe(405);
    expect((await readEnvelope(post)).error?.code).toBe('METHOD_NOT_ALLOWED');
    expect(post.headers.get('allow')).toBe('GET');
    const unknown = await h.app.request('/v1/admin/inhouse/nothing-here', { headers: tokenHeaders() });
    expect(unknown.status).toBe(404);
    expect((await readEnvelope(unknown)).error?.code).toBe('NOT_FOUND');
  });

  it('checks credentials before the route: unknown paths and wrong methods answer 401 to anonymous callers', async () => {
    for (const [path, method] of [
      ['/v1/admin/inhouse/nothing-here', 'GET'],
      [RUNS, 'DELETE'],
    ] as const) {
      const response = await h.app.request(path, { method });
      expect(response.status).toBe(401);
      expect((await readEnvelope(response)).error?.code).toBe('UNAUTHORIZED');
    }
  });

  it('checks permission before input: a read-less session with bad input gets 403', async () => {
    const response = await h.app.request(`${RUNS}?limit=abc`, { headers: sessionCookie({ permissions: ['inhouse.write'] }) });
    expect(response.status).toBe(403);
    expect((await readEnvelope(response)).error?.code).toBe('FORBIDDEN');
  });

  it('answers 413 in the envelope for a body over 64 KiB', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`${RUNS}/${run.id}/cancel`, {
      method: 'POST',
      headers: tokenHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ reason: 'x'.repeat(70_000) }),
    });
    expect(response.status).toBe(413);
    expect((await readEnvelope(response)).error?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('authentication (SPEC §4)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, Record<string, string>, number][] = [
    ['no credentials', {}, 401],
    ['a wrong token', { 'x-sheen-admin-token': 'wrong-token-0123456789abcdef' }, 401],
    ['a token of another length', { 'x-sheen-admin-token': `${ADMIN_TOKEN}x` }, 401],
    ['an empty token', { 'x-sheen-admin-token': '' }, 401],
    ['a wrong token beside a valid cookie', { 'x-sheen-admin-token': 'wrong', ...sessionCookie() }, 401],
    ['the valid token', tokenHeaders(), 200],
    ['a valid session cookie', sessionCookie(), 200],
    ['a read-only session cookie', sessionCookie({ permissions: ['inhouse.read'] }), 200],
    ['an expired cookie', sessionCookie({ exp: now() - 10 }), 401],
    ['a cookie without exp', sessionCookie({ exp: undefined }), 401],
    ['a cookie signed with another secret', sessionCookie({}, 'another-secret-0123456789abcdef-0123456789'), 401],
    ['an alg:none cookie', { cookie: `sheen_admin_session=${unsignedJwt({ sub: 'x', permissions: ['inhouse.read'], exp: now() + 3600 })}` }, 401],
    ['a malformed cookie', { cookie: 'sheen_admin_session=not.a.jwt' }, 401],
    ['a cookie without inhouse.read', sessionCookie({ permissions: ['billing.read'] }), 403],
    ['a cookie whose permissions are not a list', sessionCookie({ permissions: 'inhouse.read' }), 401],
  ];
  it.each(cases.map(([name, headers, status]) => [`${name} → ${status}`, headers, status] as const))('%s', async (_name, headers, status) => {
    const response = await h.app.request(RUNS, { headers });
    expect(response.status).toBe(status);
    const body = await readEnvelope(response);
    expect(body.ok).toBe(status === 200);
  });

  it('accepts every secret of a comma-separated rotation list', async () => {
    const rotated = harnessApp(h, {
      auth: { adminTokens: ['old-token-0123456789abcdef', ADMIN_TOKEN], sessionSecrets: ['new-secret-0123456789abcdef-0123456789', SESSION_SECRET] },
    });
    expect((await rotated.request(RUNS, { headers: { 'x-sheen-admin-token': 'old-token-0123456789abcdef' } })).status).toBe(200);
    expect((await rotated.request(RUNS, { headers: sessionCookie({}, 'new-secret-0123456789abcdef-0123456789') })).status).toBe(200);
  });

  it('never writes tokens, cookies or JWTs to the log', async () => {
    const cookie = sessionCookie();
    await h.app.request(`${RUNS}?limit=1`, { headers: { ...cookie } });
    await h.app.request(RUNS, { headers: { 'x-sheen-admin-token': 'leaked-wrong-token-0123456789' } });
    const jwt = cookie.cookie.split('sheen_admin_session=')[1] ?? '';
    const log = h.logs.join('\n');
    expect(log).toContain('"path":"/v1/admin/inhouse/workflow-runs"');
    for (const secret of [ADMIN_TOKEN, jwt, jwt.split('.')[2] ?? '', 'leaked-wrong-token', SESSION_SECRET]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('health and readiness', () => {
  it('answers /healthz and /readyz without credentials', async () => {
    expect((await h.app.request('/healthz')).status).toBe(200);
    expect(await (await h.app.request('/readyz')).json()).toEqual({ ok: true });
  });

  it('gives every response a request id and echoes a sane incoming one', async () => {
    const response = await h.app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const fresh = await h.app.request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['REST', RUNS, tokenHeaders()],
    ['REST without credentials', RUNS, {}],
    ['/trpc', '/trpc/workflowRuns.list', tokenHeaders()],
    ['/trpc without credentials', '/trpc/workflowRuns.list', {}],
  ])('puts the request id on %s answers too', async (_name, path, headers) => {
    const response = await h.app.request(path, { headers: { ...headers, 'x-request-id': 'req-7' } });
    expect(response.headers.get('x-request-id')).toBe('req-7');
  });
});

describe('browser-facing headers', () => {
  it('sends security headers and no CORS grant by default', async () => {
    const response = await h.app.request(RUNS, { headers: { ...tokenHeaders(), origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('grants CORS only to the configured admin origin', async () => {
    const app = harnessApp(h, {
      corsOrigins: ['https://admin.example'],
    });
    const allowed = await app.request(RUNS, { method: 'OPTIONS', headers: { origin: 'https://admin.example', 'access-control-request-method': 'GET' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const denied = await app.request(RUNS, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    // The answer itself, an envelope built with its own headers, keeps the grant and the security block.
    const answer = await app.request(RUNS, { headers: { ...tokenHeaders(), origin: 'https://admin.example' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://admin.example');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it.each([
    ['a REST answer', RUNS, {}, 200],
    ['a REST 400', `${RUNS}?limit=0`, {}, 400],
    ['a REST 401', RUNS, { 'x-sheen-admin-token': 'wrong' }, 401],
    ['a REST 404', '/v1/admin/inhouse/nothing-here', {}, 404],
    ['a REST 405', RUNS, { method: 'DELETE' }, 405],
    ['an export', `${RUNS}/export`, {}, 200],
    ['a /trpc answer', '/trpc/workflowRuns.list?input=%7B%7D', {}, 200],
    ['a /trpc 401', '/trpc/workflowRuns.list', { 'x-sheen-admin-token': 'wrong' }, 401],
    ['/healthz', '/healthz', {}, 200],
    ['/readyz', '/readyz', {}, 200],
    ['the OpenAPI document', '/openapi.json', {}, 200],
    ['an unknown path', '/nothing', {}, 404],
  ])('sends the whole security block and the request id, once each, on %s', async (_name, path, init, status) => {
    const { method, ...extra } = init as { method?: string } & Record<string, string>;
    const response = await h.app.request(path, { method: method ?? 'GET', headers: { ...tokenHeaders(), 'x-request-id': 'req-9', ...extra } });
    expect(response.status).toBe(status);
    for (const [name, value] of SECURE_HEADERS) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('x-request-id')).toBe('req-9');
    await response.arrayBuffer();
  });
});
