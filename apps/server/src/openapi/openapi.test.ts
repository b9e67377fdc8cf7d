import { randomUUID } from 'node:crypto';
import { appRouter } from '@runhub/router';
import { createEvent, createProject, createRun, createSend, createStuckRun } from '@runhub/router/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportRoutes } from '../exports/mount.js';
import { listRestProcedures } from '../rest/routes.js';
import { createHarness, type Harness, jsonPost, sessionCookie, tokenHeaders } from '../test/harness.js';
import { type OpenApiDocument, operationIdOf } from './document.js';

const PREFIX = '/v1/admin/inhouse';
let h: Harness;
let doc: OpenApiDocument;
let ajv: Ajv2020;
let failedRunId: string;
let queuedRunId: string;
let eventPublicId: string;

beforeAll(async () => {
  h = await createHarness();
  const { db } = h.testDb;
  const project = await createProject(db, { name: 'Docs Store' });
  const failed = await createRun(db, project.id, { status: 'failed', error: { code: 'PROVIDER_TIMEOUT', message: 'timed out' }, completed_at: new Date() });
  failedRunId = failed.id;
  queuedRunId = (await createRun(db, project.id, { status: 'queued', params: { segment: 'lapsed', days: 30 } })).id;
  await createStuckRun(db, project.id);
  await createSend(db, failed, { status: 'failed', error: 'mailbox full', sent_at: null });
  eventPublicId = (await createEvent(db, project.id, { event_type: 'lead_created', payload: { nested: { list: [1, 'two', null] } } })).public_id;
  await createEvent(db, project.id);

  const response = await h.app.request('/openapi.json');
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApiDocument;
  // OpenAPI's own top-level fields are not JSON Schema keywords; naming them keeps strict mode on for the schemas.
  ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addVocabulary(['openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags']);
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
});
afterAll(() => h.testDb.destroy());

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Validates a live response against the document's schema for its route and status, and answers the body. */
async function expectDocumented(route: { method: string; path: string }, response: Response): Promise<unknown> {
  const operation = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
  expect(operation, `${route.method} ${route.path} is documented`).toBeDefined();
  const documented = operation?.responses[String(response.status)] as { $ref?: string } | undefined;
  expect(documented, `${route.method} ${route.path} documents status ${response.status}`).toBeDefined();
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const base = documented?.$ref
    ? documented.$ref.slice(1)
    : `/${pointer('paths', toOpenApiPath(route.path), route.method.toLowerCase(), 'responses', String(response.status))}`;
  const validate = ajv.getSchema(`openapi.json#${base}/${pointer('content', 'application/json', 'schema')}`);
  expect(validate, `schema of ${route.method} ${route.path} ${response.status}`).toBeDefined();
  const body: unknown = await response.json();
  if (validate && !validate(body)) {
    expect.fail(`${route.method} ${route.path} ${response.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
  return body;
}

const post = jsonPost;

describe('GET /openapi.json', () => {
  it('is public, OpenAPI 3.1, with a relative server and both security schemes', async () => {
    const response = await h.app.request('/openapi.json');
    expect(response.status).toBe(200);
    expect(doc).toMatchObject({
      openapi: '3.1.0',
      servers: [{ url: '/' }],
      security: [{ adminToken: [] }, { adminSession: [] }],
      components: {
        securitySchemes: {
          adminToken: { type: 'apiKey', in: 'header', name: 'x-sheen-admin-token' },
          adminSession: { type: 'apiKey', in: 'cookie', name: 'sheen_admin_session' },
        },
      },
    });
  });

  it('documents every REST route and every export, and nothing else, with its parameters or body', () => {
    const routes = listRestProcedures(appRouter);
    expect(routes.length).toBeGreaterThan(0);
    expect(new Set(routes.map((route) => operationIdOf(route.procedurePath))).size).toBe(routes.length);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const exports = listExportRoutes(routes).map(({ spec }) => `GET ${spec.path}`);
    expect(exports.sort()).toEqual([`GET ${PREFIX}/audit-log/export`, `GET ${PREFIX}/business-events/export`, `GET ${PREFIX}/workflow-runs/export`]);
    expect(documented.sort()).toEqual([...routes.map(({ route }) => `${route.method} ${toOpenApiPath(route.path)}`), ...exports].sort());

    for (const { procedurePath, route } of routes) {
      const operation = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(operation).toMatchObject({ operationId: operationIdOf(procedurePath), summary: route.summary });
      const parameters = (operation?.parameters ?? []) as { name: string; in: string; required: boolean }[];
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) expect(parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
      const statuses = Object.keys(operation?.responses ?? {});
      expect(statuses).toEqual(expect.arrayContaining(['200', '401', '403', '500', '503']));
      if (route.method === 'POST') {
        expect(operation?.requestBody).toMatchObject({ content: { 'application/json': { schema: { type: 'object' } } } });
        expect(statuses).toEqual(expect.arrayContaining(['400', '404', '409', '413']));
        expect(parameters.some((parameter) => parameter.in === 'query')).toBe(false);
      }
    }
  });

  it('lists filters as typed query parameters and the body without the path parameters', () => {
    const list = doc.paths[`${PREFIX}/workflow-runs`]?.get;
    expect(list?.parameters).toContainEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { default: 50, type: 'integer', minimum: 1, maximum: 200 },
    });
    expect(list?.parameters).toContainEqual(
      expect.objectContaining({ name: 'status', schema: expect.objectContaining({ enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }) }),
    );
    const retry = doc.paths[`${PREFIX}/workflow-runs/{id}/retry`]?.post;
    expect(retry?.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { properties: { reason: { type: 'string' } }, required: ['reason'] } } },
    });
    expect(JSON.stringify(retry?.requestBody)).not.toContain('"id"');
  });

  it('documents the events explorer filters (SPEC §7.6, §7.7) on the list, stats and the export', () => {
    const explorer = ['eventType', 'source', 'actorType', 'actorId', 'entityType', 'entityId', 'sessionId', 'anonymousId', 'correlationId', 'payload'];
    for (const path of [`${PREFIX}/business-events`, `${PREFIX}/business-events/stats`, `${PREFIX}/business-events/export`]) {
      const parameters = (doc.paths[path]?.get?.parameters ?? []) as { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
      for (const name of explorer) expect(parameters, `${path} ${name}`).toContainEqual(expect.objectContaining({ name, in: 'query', required: false }));
      expect(parameters.find((parameter) => parameter.name === 'sessionId')?.schema).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
      expect(JSON.stringify(parameters.find((parameter) => parameter.name === 'payload')?.schema)).toContain('"type":"string"');
    }
    const stats = (doc.paths[`${PREFIX}/business-events/stats`]?.get?.parameters ?? []) as { name: string; schema: Record<string, unknown> }[];
    expect(stats.find((parameter) => parameter.name === 'groupBy')?.schema).toMatchObject({ enum: ['day'] });
  });

  it("documents each export with its list's filters (so a new filter is documented by itself), without paging, with format", () => {
    for (const { procedure, spec, fields } of listExportRoutes(listRestProcedures(appRouter))) {
      const operation = doc.paths[spec.path]?.get;
      const list = doc.paths[procedure.route.path]?.get;
      if (!operation || !list) return expect.fail(`${spec.path} or its list is not documented`);
      const names = (operation.parameters as { name: string; in: string }[]).map((parameter) => parameter.name);
      const listNames = (list.parameters as { name: string }[]).map((parameter) => parameter.name).filter((name) => name !== 'limit' && name !== 'cursor');
      expect(names.sort()).toEqual([...listNames, 'format'].sort());
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '500', '503']);
      const content = (operation.responses['200'] as { content: Record<string, { schema: { properties?: object } }> }).content;
      expect(Object.keys(content).sort()).toEqual(['application/x-ndjson', 'text/csv']);
      expect(Object.keys(content['application/x-ndjson']?.schema.properties ?? {})).toEqual(fields);
      expect(operation.description).toContain('inhouse.read');
    }
  });

  it('keeps every reference inside the document', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/(schemas|responses)\//);
      const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect((doc.components as Record<string, Record<string, unknown>>)[kind ?? '']?.[name ?? ''], ref).toBeDefined();
    }
  });
});

describe('live responses validate against the document', () => {
  it('every route, called with no input, answers a documented status with a body that matches it', async () => {
    for (const { route } of listRestProcedures(appRouter)) {
      const path = route.path.replace(/:(\w+)/g, () => randomUUID());
      const response = await h.app.request(path, route.method === 'POST' ? post({}) : { headers: tokenHeaders() });
      await expectDocumented(route, response);
      // With no input, every read without a path parameter is a plain list or summary; every write lacks its reason.
      if (route.method === 'GET' && !route.path.includes(':')) expect(response.status, route.path).toBe(200);
      if (route.method === 'POST') expect(response.status, route.path).toBe(400);
    }
  });

  it('lists with rows, an event by id, a retry, a cancel and the audit rows they wrote', async () => {
    const get = (path: string) => h.app.request(`${PREFIX}${path}`, { headers: tokenHeaders() });
    const runs = (await expectDocumented({ method: 'GET', path: `${PREFIX}/workflow-runs` }, await get('/workflow-runs?limit=2'))) as {
      data: { runs: unknown[]; nextCursor: string };
    };
    expect(runs.data.runs).toHaveLength(2);
    await expectDocumented({ method: 'GET', path: `${PREFIX}/workflow-runs` }, await get(`/workflow-runs?limit=2&cursor=${runs.data.nextCursor}`));
    const stuck = (await expectDocumented({ method: 'GET', path: `${PREFIX}/workflow-runs/stuck` }, await get('/workflow-runs/stuck'))) as {
      data: { runs: unknown[] };
    };
    expect(stuck.data.runs).toHaveLength(1);
    const sends = (await expectDocumented({ method: 'GET', path: `${PREFIX}/workflow-sends` }, await get('/workflow-sends'))) as { data: { sends: unknown[] } };
    expect(sends.data.sends).toHaveLength(1);
    const events = (await expectDocumented({ method: 'GET', path: `${PREFIX}/business-events` }, await get('/business-events'))) as {
      data: { events: unknown[] };
    };
    expect(events.data.events).toHaveLength(2);
    const explored = (await expectDocumented(
      { method: 'GET', path: `${PREFIX}/business-events` },
      await get(`/business-events?eventType=${encodeURIComponent('page_*,payment_succeeded')}&payload=${encodeURIComponent('{"nested":{}}')}&sessionId=s1`),
    )) as { data: { events: unknown[] } };
    expect(explored.data.events).toBeInstanceOf(Array);
    const byDay = (await expectDocumented(
      { method: 'GET', path: `${PREFIX}/business-events/stats` },
      await get('/business-events/stats?groupBy=day&eventType=payment_*&startDate=2026-01-01&endDate=2026-01-03'),
    )) as { data: { byDay: unknown[] } };
    expect(byDay.data.byDay).toHaveLength(3);
    await expectDocumented({ method: 'GET', path: `${PREFIX}/business-events/stats` }, await get('/business-events/stats?groupBy=week'));
    await expectDocumented({ method: 'GET', path: `${PREFIX}/business-events` }, await get('/business-events?payload=%5B%5D'));
    const event = (await expectDocumented({ method: 'GET', path: `${PREFIX}/business-events/:id` }, await get(`/business-events/${eventPublicId}`))) as {
      data: { payload: unknown };
    };
    expect(event.data.payload).toEqual({ nested: { list: [1, 'two', null] } });

    const retry = { method: 'POST', path: `${PREFIX}/workflow-runs/:id/retry` };
    const retried = (await expectDocumented(
      retry,
      await h.app.request(`${PREFIX}/workflow-runs/${failedRunId}/retry`, post({ reason: 'provider is back' })),
    )) as { data: { newRunId: string } };
    expect(retried.data.newRunId).toMatch(/^[0-9a-f-]{36}$/);
    const cancel = { method: 'POST', path: `${PREFIX}/workflow-runs/:id/cancel` };
    expect(await expectDocumented(cancel, await h.app.request(`${PREFIX}/workflow-runs/${queuedRunId}/cancel`, post({ reason: 'wrong segment' })))).toEqual({
      ok: true,
      data: { status: 'cancelled' },
    });

    const audit = (await expectDocumented({ method: 'GET', path: `${PREFIX}/audit-log` }, await get('/audit-log'))) as { data: { entries: unknown[] } };
    expect(audit.data.entries).toHaveLength(2);
  });

  it("a project's KPI days, a rebuild trigger and the rollup history with its run", async () => {
    const project = await h.testDb.db.selectFrom('projects').select('id').where('name', '=', 'Docs Store').executeTakeFirstOrThrow();
    const trigger = { method: 'POST', path: `${PREFIX}/kpi-health/trigger-rollup` };
    const rebuild = post({ projectId: project.id, startDate: '2026-01-01', endDate: '2026-01-31', reason: 'documented' });
    expect(await expectDocumented(trigger, await h.app.request(trigger.path, rebuild))).toMatchObject({ data: { mode: 'rebuild' } });
    await h.rollup.idle();
    const runs = { method: 'GET', path: `${PREFIX}/kpi-health/rollup-runs` };
    const history = (await expectDocumented(runs, await h.app.request(runs.path, { headers: tokenHeaders() }))) as { data: { runs: unknown[] } };
    expect(history.data.runs).toHaveLength(1);
    const detail = { method: 'GET', path: `${PREFIX}/kpi-health/projects/:projectId` };
    const days = (await expectDocumented(detail, await h.app.request(`${PREFIX}/kpi-health/projects/${project.id}?days=3`, { headers: tokenHeaders() }))) as {
      data: { days: unknown[] };
    };
    expect(days.data.days).toHaveLength(3);
  });

  it('errors: 400 with issues, 401, 403, 404, 409 with details, 413', async () => {
    const runs = { method: 'GET', path: `${PREFIX}/workflow-runs` };
    const invalid = (await expectDocumented(runs, await h.app.request(`${PREFIX}/workflow-runs?limit=500`, { headers: tokenHeaders() }))) as {
      error: { details: unknown };
    };
    expect(invalid.error.details).toEqual({ issues: [expect.objectContaining({ path: 'limit' })] });
    expect(await expectDocumented(runs, await h.app.request(`${PREFIX}/workflow-runs`))).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    const retry = { method: 'POST', path: `${PREFIX}/workflow-runs/:id/retry` };
    const readOnly = sessionCookie({ permissions: ['inhouse.read'] });
    expect(await expectDocumented(retry, await h.app.request(`${PREFIX}/workflow-runs/${failedRunId}/retry`, post({ reason: 'x' }, readOnly)))).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect(await expectDocumented(retry, await h.app.request(`${PREFIX}/workflow-runs/${randomUUID()}/retry`, post({ reason: 'x' })))).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    const conflict = await expectDocumented(retry, await h.app.request(`${PREFIX}/workflow-runs/${failedRunId}/retry`, post({ reason: 'again' })));
    expect(conflict).toMatchObject({ error: { code: 'CONFLICT', details: { retryRunId: expect.any(String) } } });
    const tooLarge = await h.app.request(`${PREFIX}/workflow-runs/${failedRunId}/retry`, post({ reason: 'x'.repeat(70 * 1024) }));
    expect(await expectDocumented(retry, tooLarge)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await expectDocumented(retry, await h.app.request(`${PREFIX}/workflow-runs/${failedRunId}/retry`, post('{not json')))).toMatchObject({
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('exports: every NDJSON line matches the documented row, and a bad filter the documented 400', async () => {
    for (const { spec } of listExportRoutes(listRestProcedures(appRouter))) {
      const response = await h.app.request(spec.path, { headers: tokenHeaders() });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson');
      const validate = ajv.getSchema(`openapi.json#/${pointer('paths', spec.path, 'get', 'responses', '200', 'content', 'application/x-ndjson', 'schema')}`);
      const rows = (await response.text()).split('\n').filter(Boolean);
      expect(rows.length, spec.path).toBeGreaterThan(0);
      for (const line of rows) {
        if (validate && !validate(JSON.parse(line))) expect.fail(`${spec.path}: ${ajv.errorsText(validate.errors)}\n${line}`);
      }
      const bad = await h.app.request(`${spec.path}?cursor=x`, { headers: tokenHeaders() });
      const documented = doc.paths[spec.path]?.get?.responses['400'] as { $ref: string };
      const validateError = ajv.getSchema(`openapi.json#${documented.$ref.slice(1)}/${pointer('content', 'application/json', 'schema')}`);
      expect(validateError?.(await bad.json())).toBe(true);
    }
  });

  it('would catch a response that drifted from its schema', async () => {
    const validate = ajv.getSchema(
      `openapi.json#/${pointer('paths', `${PREFIX}/workflow-runs/{id}/cancel`, 'post', 'responses', '200', 'content', 'application/json', 'schema')}`,
    );
    expect(validate?.({ ok: true, data: { status: 'cancelled' } })).toBe(true);
    expect(validate?.({ ok: true, data: { status: 'cancelled', extra: 1 } })).toBe(false);
    expect(validate?.({ ok: true, data: { status: 'running' } })).toBe(false);
  });
});

describe('GET /docs', () => {
  it('is a public page whose every asset is served here, under a same-origin-only policy', async () => {
    const page = await h.app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self';/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>/);
    for (const [file, type] of [
      ['swagger-ui-bundle.js', 'text/javascript'],
      ['swagger-ui.css', 'text/css'],
      ['init.js', 'text/javascript'],
      ['favicon-32x32.png', 'image/png'],
    ]) {
      expect(html).toContain(`/docs/assets/${file}`);
      const asset = await h.app.request(`/docs/assets/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type'), file).toContain(type);
    }
    const init = await (await h.app.request('/docs/assets/init.js')).text();
    expect(init).toContain('"/openapi.json"');
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only the listed assets: nothing else from the package, nothing outside it', async () => {
    for (const path of [
      '/docs/assets/index.html',
      '/docs/assets/package.json',
      '/docs/assets/..%2Fpackage.json',
      '/docs/assets/..%2F..%2F..%2Fpackage.json',
      '/docs/assets/swagger-ui-bundle.js.map',
    ]) {
      expect((await h.app.request(path)).status, path).toBe(404);
    }
    expect((await h.app.request('/docs/')).headers.get('location')).toBe('/docs');
  });
});
