import { appRouter, signSessionJwt } from '@runhub/router';
import { createEvent, createProject, createRun, forgeJwt, unsignedJwt } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportRoutes } from './exports/mount.js';
import { listRestProcedures } from './rest/routes.js';
import { ADMIN_TOKEN, createHarness, type Harness, readEnvelope, SESSION_SECRET, sessionCookie, tokenHeaders } from './test/harness.js';

/** SPEC §4 on every REST route: each credential against each route, and who the audit log names. */
let h: Harness;
let projectId: string;

beforeAll(async () => {
  h = await createHarness();
  projectId = (await createProject(h.testDb.db)).id;
});
afterAll(() => h.testDb.destroy());

interface ValidRequest {
  path: string;
  body?: Record<string, unknown>;
}

/** A request each route answers 2xx to, given a fresh target where it needs one. */
const VALID: Record<string, () => Promise<ValidRequest>> = {
  'GET /v1/admin/inhouse/workflow-runs': async () => ({ path: '/v1/admin/inhouse/workflow-runs' }),
  'GET /v1/admin/inhouse/workflow-runs/stuck': async () => ({ path: '/v1/admin/inhouse/workflow-runs/stuck' }),
  'GET /v1/admin/inhouse/workflow-runs/counts': async () => ({ path: '/v1/admin/inhouse/workflow-runs/counts' }),
  'GET /v1/admin/inhouse/workflow-runs/export': async () => ({ path: '/v1/admin/inhouse/workflow-runs/export' }),
  'GET /v1/admin/inhouse/workflow-runs/:id': async () => {
    const run = await createRun(h.testDb.db, projectId);
    return { path: `/v1/admin/inhouse/workflow-runs/${run.id}` };
  },
  'POST /v1/admin/inhouse/workflow-runs/bulk-retry': async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'failed' });
    return { path: '/v1/admin/inhouse/workflow-runs/bulk-retry', body: { reason: 'auth matrix', ids: [run.id] } };
  },
  'POST /v1/admin/inhouse/workflow-runs/bulk-cancel': async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    return { path: '/v1/admin/inhouse/workflow-runs/bulk-cancel', body: { reason: 'auth matrix', ids: [run.id] } };
  },
  'POST /v1/admin/inhouse/workflow-runs/:id/retry': async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'failed' });
    return { path: `/v1/admin/inhouse/workflow-runs/${run.id}/retry`, body: { reason: 'auth matrix' } };
  },
  'POST /v1/admin/inhouse/workflow-runs/:id/cancel': async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    return { path: `/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, body: { reason: 'auth matrix' } };
  },
  'GET /v1/admin/inhouse/workflow-sends': async () => ({ path: '/v1/admin/inhouse/workflow-sends' }),
  'GET /v1/admin/inhouse/audit-log': async () => ({ path: '/v1/admin/inhouse/audit-log' }),
  'GET /v1/admin/inhouse/audit-log/export': async () => ({ path: '/v1/admin/inhouse/audit-log/export' }),
  'GET /v1/admin/inhouse/business-events': async () => ({ path: '/v1/admin/inhouse/business-events' }),
  'GET /v1/admin/inhouse/business-events/stats': async () => ({ path: '/v1/admin/inhouse/business-events/stats' }),
  'GET /v1/admin/inhouse/business-events/export': async () => ({ path: '/v1/admin/inhouse/business-events/export' }),
  'GET /v1/admin/inhouse/business-events/:id': async () => {
    const event = await createEvent(h.testDb.db, projectId);
    return { path: `/v1/admin/inhouse/business-events/${event.id}` };
  },
  'GET /v1/admin/inhouse/kpi-health/summary': async () => ({ path: '/v1/admin/inhouse/kpi-health/summary' }),
  'GET /v1/admin/inhouse/kpi-health/projects': async () => ({ path: '/v1/admin/inhouse/kpi-health/projects' }),
  'GET /v1/admin/inhouse/kpi-health/rollup-job': async () => ({ path: '/v1/admin/inhouse/kpi-health/rollup-job' }),
  'GET /v1/admin/inhouse/kpi-health/projects/:projectId': async () => ({ path: `/v1/admin/inhouse/kpi-health/projects/${projectId}?days=7` }),
  'GET /v1/admin/inhouse/kpi-health/rollup-runs': async () => ({ path: '/v1/admin/inhouse/kpi-health/rollup-runs?limit=5' }),
  'POST /v1/admin/inhouse/kpi-health/trigger-rollup': async () => ({
    path: '/v1/admin/inhouse/kpi-health/trigger-rollup',
    body: { projectId, reason: 'auth matrix' },
  }),
};

const now = () => Math.floor(Date.now() / 1000);

const fullClaims = () => ({ sub: 'admin-42', permissions: ['inhouse.read', 'inhouse.write'], exp: now() + 3600 });
const HOUR = 3600;
/** The harness's app leaves the bound at its default. */
const MAX_LIFETIME_HOURS = 744;

/** A cookie under any header, signed over header.payload with HMAC-`hash` and the real secret. */
function forgedCookie(header: Record<string, unknown>, hash: 'sha256' | 'sha384' | 'sha512'): { cookie: string } {
  return { cookie: `sheen_admin_session=${forgeJwt(header, fullClaims(), SESSION_SECRET, hash)}` };
}

/** A valid cookie whose signature is spelled otherwise: the same bytes under another text. */
function respelledCookie(respell: (signature: Buffer, canonical: string) => string): { cookie: string } {
  for (let n = 0; ; n++) {
    const [header, payload, canonical = ''] = signSessionJwt({ ...fullClaims(), n }, SESSION_SECRET).split('.');
    const signature = Buffer.from(canonical, 'base64url');
    // Standard base64 must differ from base64url in more than its padding.
    if (/[+/]/.test(signature.toString('base64'))) return { cookie: `sheen_admin_session=${header}.${payload}.${respell(signature, canonical)}` };
  }
}
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The 43rd character of a 32-byte signature has 2 unused low bits; setting one keeps the bytes. */
const unusedBitSet = (canonical: string) => `${canonical.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(canonical.at(-1) ?? '') + 1]}`;

type Expect = 401 | 403 | 'ok';
const CREDENTIALS: [name: string, headers: Record<string, string>, read: Expect, write: Expect][] = [
  ['no credentials', {}, 401, 401],
  ['wrong token', { 'x-sheen-admin-token': 'wrong-token-wrong-token-wrong-tok' }, 401, 401],
  ['token of another length', { 'x-sheen-admin-token': ADMIN_TOKEN.slice(0, -1) }, 401, 401],
  ['valid token', tokenHeaders(), 'ok', 'ok'],
  ['expired cookie', sessionCookie({ exp: now() - 1 }), 401, 401],
  ['cookie signed with another secret', sessionCookie({}, 'some-other-secret-some-other-secret-000'), 401, 401],
  [
    'alg:none cookie',
    { cookie: `sheen_admin_session=${unsignedJwt({ sub: 'x', permissions: ['inhouse.read', 'inhouse.write'], exp: now() + 600 })}` },
    401,
    401,
  ],
  ['cookie without inhouse.read', sessionCookie({ permissions: ['inhouse.write'] }), 403, 'ok'],
  ['cookie with no permissions', sessionCookie({ permissions: [] }), 403, 403],
  ['read-only cookie', sessionCookie({ permissions: ['inhouse.read'] }), 'ok', 403],
  ['full cookie', sessionCookie(), 'ok', 'ok'],
  ['alg:none cookie with a valid HS256 signature', forgedCookie({ alg: 'none', typ: 'JWT' }, 'sha256'), 401, 401],
  ['HS384 header over a valid HS256 signature', forgedCookie({ alg: 'HS384', typ: 'JWT' }, 'sha256'), 401, 401],
  ['HS512 header over a valid HS256 signature', forgedCookie({ alg: 'HS512', typ: 'JWT' }, 'sha256'), 401, 401],
  ['cookie signed HS384 with the real secret', forgedCookie({ alg: 'HS384', typ: 'JWT' }, 'sha384'), 401, 401],
  ['cookie signed HS512 with the real secret', forgedCookie({ alg: 'HS512', typ: 'JWT' }, 'sha512'), 401, 401],
  ['signature in standard base64 (+/ and =)', respelledCookie((signature) => signature.toString('base64')), 401, 401],
  ['signature with = padding', respelledCookie((_, canonical) => `${canonical}=`), 401, 401],
  ['signature with a space inside', respelledCookie((_, canonical) => `${canonical.slice(0, 20)} ${canonical.slice(20)}`), 401, 401],
  ['signature with a non-canonical last character', respelledCookie((_, canonical) => unusedBitSet(canonical)), 401, 401],
  ['cookie with nbf in the future', sessionCookie({ nbf: now() + 600 }), 401, 401],
  ['cookie with nbf in the past', sessionCookie({ nbf: now() - 600 }), 'ok', 'ok'],
  ['cookie with exp in milliseconds', sessionCookie({ exp: Date.now() + 3_600_000 }), 401, 401],
  ['cookie with exp beyond the max lifetime', sessionCookie({ exp: now() + (MAX_LIFETIME_HOURS + 1) * HOUR }), 401, 401],
  ['cookie with exp within the max lifetime', sessionCookie({ exp: now() + (MAX_LIFETIME_HOURS - 1) * HOUR }), 'ok', 'ok'],
];

/** Every route under the prefix: the procedures' REST routes and the lists' exports (plain HTTP, NDJSON on success). */
const procedures = listRestProcedures(appRouter);
const routes = [
  ...procedures.map(({ route }) => ({ route, streamed: false })),
  ...listExportRoutes(procedures).map(({ spec }) => ({ route: { method: 'GET' as const, path: spec.path }, streamed: true })),
];

describe('auth matrix', () => {
  it('knows a valid request for every REST route', () => {
    for (const { route } of routes) expect(VALID, `${route.method} ${route.path}`).toHaveProperty([`${route.method} ${route.path}`]);
  });

  const cases = routes.flatMap(({ route, streamed }) =>
    CREDENTIALS.map(
      ([name, headers, read, write]) =>
        [`${route.method} ${route.path} with ${name}`, route, streamed, headers, route.method === 'GET' ? read : write] as const,
    ),
  );
  it.each(cases)('%s', async (_name, route, streamed, headers, expected) => {
    const make = VALID[`${route.method} ${route.path}`];
    if (!make) throw new Error(`no valid request for ${route.method} ${route.path}`);
    const request = await make();
    const response = await h.app.request(request.path, {
      method: route.method,
      headers: { ...headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
    });
    if (streamed && expected === 'ok') {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson');
      await response.body?.cancel();
      return;
    }
    const body = await readEnvelope(response);
    if (expected === 'ok') {
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.ok).toBe(true);
    } else {
      expect(response.status).toBe(expected);
      expect(body.error?.code).toBe(expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    }
  });
});

/** A REST request as the procedure's tRPC input: the path's `:name` segments and the query (numbers as numbers), with the body. */
function trpcInput(template: string, request: ValidRequest): Record<string, unknown> {
  const url = new URL(request.path, 'http://matrix.test');
  const names = template.split('/');
  const input: Record<string, unknown> = {};
  url.pathname.split('/').forEach((segment, i) => {
    if (names[i]?.startsWith(':')) input[names[i].slice(1)] = segment;
  });
  for (const [key, value] of url.searchParams) input[key] = /^\d+$/.test(value) ? Number(value) : value;
  return { ...input, ...request.body };
}

describe('auth matrix over /trpc', () => {
  const cases = procedures.flatMap(({ route, procedurePath }) =>
    CREDENTIALS.map(
      ([name, headers, read, write]) => [`${procedurePath} with ${name}`, route, procedurePath, headers, route.method === 'GET' ? read : write] as const,
    ),
  );
  it.each(cases)('%s', async (_name, route, procedurePath, headers, expected) => {
    const make = VALID[`${route.method} ${route.path}`];
    if (!make) throw new Error(`no valid request for ${route.method} ${route.path}`);
    const input = trpcInput(route.path, await make());
    const response =
      route.method === 'GET'
        ? await h.app.request(`/trpc/${procedurePath}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
        : await h.app.request(`/trpc/${procedurePath}`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(input),
          });
    const body = (await response.json()) as { result?: unknown; error?: { data: { code: string } } };
    if (expected === 'ok') {
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.result).toBeDefined();
    } else {
      expect(response.status).toBe(expected);
      expect(body.error?.data.code).toBe(expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    }
  });
});

describe('audit admin_id', () => {
  async function cancelAs(headers: Record<string, string>): Promise<string | undefined> {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const response = await h.app.request(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'who am I' }),
    });
    expect(response.status).toBe(200);
    const row = await h.testDb.db.selectFrom('admin_audit_log').select('admin_id').where('target_id', '=', run.id).executeTakeFirst();
    return row?.admin_id;
  }

  it('is the forwarded admin for a token with x-sheen-admin-user-id', async () => {
    expect(await cancelAs(tokenHeaders({ 'x-sheen-admin-user-id': 'ops-7' }))).toBe('ops-7');
  });
  it('is admin-token for a token alone', async () => {
    expect(await cancelAs(tokenHeaders())).toBe('admin-token');
  });
  it("is the cookie's sub for a session", async () => {
    expect(await cancelAs(sessionCookie({ sub: 'admin-99' }))).toBe('admin-99');
  });
  it('ignores x-sheen-admin-user-id beside a cookie', async () => {
    expect(await cancelAs({ ...sessionCookie({ sub: 'admin-99' }), 'x-sheen-admin-user-id': 'someone-else' })).toBe('admin-99');
  });
});

describe('the log of the whole matrix', () => {
  it('holds no token, cookie or JWT', () => {
    const log = h.logs.join('\n');
    expect(log).toContain('"status":401');
    const secrets = CREDENTIALS.flatMap(([, headers]) => Object.values(headers))
      .flatMap((value) => [value, ...value.split(/[=;.\s]/)])
      .filter((part) => part.length >= 16);
    for (const secret of [ADMIN_TOKEN, ...secrets]) expect(log).not.toContain(secret);
  });
});
