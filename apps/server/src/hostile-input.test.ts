import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { appRouter } from '@runhub/router';
import { createEvent, createProject, createRun, createStuckRun, until } from '@runhub/router/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportRoutes } from './exports/mount.js';
import { serveApp } from './http-server.js';
import { listRestProcedures, type RestProcedure } from './rest/routes.js';
import { createHarness, type Harness, tokenHeaders } from './test/harness.js';

/**
 * Property: whatever arrives — SQL fragments, unicode, huge numbers, arrays for strings,
 * prototype keys, invalid UTF-8, oversized bodies — the answer is a well-formed envelope with a
 * 2xx or 4xx, never a 500, never a stack trace or SQL, and a rejected write changes nothing.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 200);

let h: Harness;
let knownIds: string[] = [];
const routes: RestProcedure[] = listRestProcedures(appRouter);

beforeAll(async () => {
  h = await createHarness();
  const project = await createProject(h.testDb.db);
  const runs = [
    await createRun(h.testDb.db, project.id, { status: 'failed' }),
    await createRun(h.testDb.db, project.id, { status: 'queued' }),
    await createStuckRun(h.testDb.db, project.id),
  ];
  const event = await createEvent(h.testDb.db, project.id);
  knownIds = [project.id, ...runs.map((r) => r.id), String(event.id), event.public_id];
});
afterAll(() => h.testDb.destroy());

const adversarialText = fc.oneof(
  fc.constantFrom(
    "' or 1=1 --",
    "'; drop table workflow_runs; --",
    '1; select pg_sleep(10)',
    '$$',
    '\\x00',
    '\u0000',
    '%00',
    '%',
    '../../etc/passwd',
    '__proto__',
    'constructor',
    '{"$ne":null}',
    '9'.repeat(400),
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '-9223372036854775809',
    '9223372036854775808',
    '2026-02-30',
    '9999-99-99',
    '0000-00-00',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'evt_',
    `evt_${'a'.repeat(300)}`,
    '😀'.repeat(50),
    '\uD800',
    'a\uDC00b',
    '0001-01-01',
    '1970-01-01',
    '9999-12-31',
    '294276-12-31',
    'a'.repeat(5000),
    ' ',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer().map(String),
  fc.double().map(String),
);

const anyJson = fc.oneof(
  adversarialText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(adversarialText, { maxLength: 3 }),
  fc.dictionary(adversarialText, adversarialText, { maxKeys: 3 }),
);

function fieldNames(route: RestProcedure): string[] {
  const shape = (route.input as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  return [...Object.keys(shape), '__proto__', 'constructor', 'prototype', 'unknownField'];
}

/** Text a schema lets through but the database cannot store or compare (NUL): it reaches SQL, and must come back a 400. */
const unstorableText = fc.constantFrom('\u0000', 'a\u0000b', `${'x'.repeat(20)}\u0000`);

/**
 * A path segment for any string, lone surrogates included (`encodeURIComponent` throws URIError on
 * them): each lone surrogate as the three bytes WTF-8 would give it, so the route gets the value
 * and its own decoding decides.
 */
function encodePathValue(value: string): string {
  let encoded = '';
  for (const char of value) {
    const point = char.codePointAt(0) ?? 0;
    encoded +=
      point >= 0xd800 && point <= 0xdfff
        ? [0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('')
        : encodeURIComponent(char);
  }
  return encoded;
}

function requestFor(route: RestProcedure) {
  const fields = fieldNames(route);
  const schemaFields = Object.keys((route.input as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
  const pathValue = fc.oneof(fc.constantFrom(...knownIds), adversarialText);
  const anyQuery = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...fields), adversarialText), adversarialText), { maxLength: 6 });
  // One schema field with text only the database refuses, the rest valid: what reaches SQL.
  const focused = schemaFields.length > 0 ? fc.tuple(fc.constantFrom(...schemaFields), unstorableText).map((pair) => [pair]) : anyQuery;
  // The widest valid date range (SPEC: dates from 1000-01-01), with and without a hostile field.
  const wide =
    schemaFields.includes('startDate') && schemaFields.includes('endDate')
      ? fc.option(focused, { nil: undefined }).map((extra) => [['startDate', '1000-01-01'], ['endDate', '9999-12-31'], ...(extra ?? [])] as [string, string][])
      : anyQuery;
  const query = fc.oneof(anyQuery, focused, wide);
  const body = fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), adversarialText), anyJson, { maxKeys: 5 }).map((value) => ({ kind: 'json' as const, value })),
    fc
      .record({ reason: fc.oneof(adversarialText, anyJson, unstorableText), projectId: fc.oneof(fc.constantFrom(...knownIds), anyJson) })
      .map((value) => ({ kind: 'json' as const, value })),
    anyJson.map((value) => ({ kind: 'json' as const, value })),
    fc
      .constantFrom('{"reason":', '{"__proto__":{"polluted":1},"reason":"x"}', '[]', 'null', '"text"', '{"reason":"\\ud800"}')
      .map((text) => ({ kind: 'raw' as const, text })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes: Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes]) })),
    fc.constant({ kind: 'huge' as const }),
  );
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined);
  const adminUser = fc.option(
    adversarialText.filter((v) => /^[\x20-\x7e]*$/.test(v)),
    { nil: undefined },
  );
  return fc.record({ pathValue, query, body, contentType, adminUser });
}

type Generated = fc.Arbitrary<ReturnType<typeof requestFor> extends fc.Arbitrary<infer T> ? T : never>;

function toRequest(route: RestProcedure, g: Generated extends fc.Arbitrary<infer T> ? T : never): { url: string; init: RequestInit } {
  const path = route.route.path.replace(/:(\w+)/g, () => encodePathValue(g.pathValue));
  const search = new URLSearchParams(g.query).toString();
  const headers: Record<string, string> = tokenHeaders();
  if (g.adminUser !== undefined) headers['x-sheen-admin-user-id'] = g.adminUser;
  const init: RequestInit = { method: route.route.method, headers };
  if (route.route.method === 'POST') {
    if (g.contentType) headers['content-type'] = g.contentType;
    const body = g.body;
    init.body =
      body.kind === 'json'
        ? JSON.stringify(body.value)
        : body.kind === 'raw'
          ? body.text
          : body.kind === 'bytes'
            ? body.bytes
            : JSON.stringify({ reason: 'x'.repeat(1_100_000) });
  }
  return { url: `${path}${search ? `?${search}` : ''}`, init };
}

/** Everything a write could change, in one comparable value. */
async function fingerprint(): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    select concat_ws('|',
      (select count(*) from admin_audit_log),
      (select md5(coalesce(string_agg(id::text || status || coalesce(retry_of::text, ''), ',' order by id), '')) from workflow_runs)
    ) as f`.execute(h.testDb.db);
  return rows[0]?.f ?? '';
}

const LEAKS = [/\bat .+:\d+:\d+/, /stack/i, /\bselect\b.+\bfrom\b/i, /\binsert into\b/i, /syntax error/i, /postgres/i, /kysely/i, /node_modules/];

/** Requests each route really answered, and how many of a `:param` route's reached its procedure (not a 404 for the path). */
const sent = new Map<string, { answered: number; reachedWithParam: number }>();
function count(name: string, reached: boolean): void {
  const seen = sent.get(name) ?? { answered: 0, reachedWithParam: 0 };
  seen.answered += 1;
  if (reached) seen.reachedWithParam += 1;
  sent.set(name, seen);
}

describe('hostile input on every REST route', () => {
  it.each(routes.map((route) => [`${route.route.method} ${route.route.path}`, route] as const))(
    '%s',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (generated) => {
          const { url, init } = toRequest(route, generated);
          const before = route.route.method === 'POST' ? await fingerprint() : '';
          const response = await h.app.request(url, init);
          const text = await response.text();
          count(`${route.route.method} ${route.route.path}`, route.route.path.includes(':') && !text.includes('"No route '));
          expect(response.status, `${init.method} ${url} → ${text}`).toBeLessThan(500);
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          const body = JSON.parse(text) as { ok: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } };
          expect(typeof body.ok).toBe('boolean');
          if (body.ok) {
            expect(response.status).toBeLessThan(300);
            expect(body).toHaveProperty('data');
          } else {
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(typeof body.error?.code).toBe('string');
            expect(typeof body.error?.message).toBe('string');
            for (const leak of LEAKS) expect(text, `${url} leaked ${leak}`).not.toMatch(leak);
          }
          if (route.route.method === 'POST' && !body.ok) expect(await fingerprint()).toBe(before);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? 20260130) },
      );
    },
    120_000,
  );

  it('answered every generated request, at least 2,000 in all, and the :param routes got their values', () => {
    const total = [...sent.values()].reduce((sum, seen) => sum + seen.answered, 0);
    expect(total).toBe(routes.length * RUNS_PER_ROUTE);
    if (!process.env.FUZZ_RUNS_PER_ROUTE) expect(total).toBeGreaterThanOrEqual(2000);
    for (const route of routes) {
      const seen = sent.get(`${route.route.method} ${route.route.path}`);
      expect(seen?.answered, `${route.route.method} ${route.route.path}`).toBe(RUNS_PER_ROUTE);
      if (route.route.path.includes(':')) expect(seen?.reachedWithParam, route.route.path).toBeGreaterThan(RUNS_PER_ROUTE / 2);
    }
  });
});

describe('hostile input on every export route', () => {
  const exports = listExportRoutes(routes);

  it.each(exports.map((route) => [route.spec.path, route] as const))(
    '%s',
    async (_path, route) => {
      const fields = [...fieldNames(route.procedure), 'format'];
      const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...fields), adversarialText), fc.oneof(adversarialText, fc.constantFrom('csv', 'ndjson'))), {
        maxLength: 6,
      });
      await fc.assert(
        fc.asyncProperty(query, async (pairs) => {
          const search = new URLSearchParams(pairs).toString();
          const url = `${route.spec.path}${search ? `?${search}` : ''}`;
          const response = await h.app.request(url, { headers: tokenHeaders() });
          const text = await response.text();
          expect(response.status, `GET ${url} → ${text}`).toBeLessThan(500);
          if (response.status === 200) {
            expect(response.headers.get('content-type')).toMatch(/^(application\/x-ndjson|text\/csv)/);
            return;
          }
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          const body = JSON.parse(text) as { ok: unknown; error?: { code?: unknown } };
          expect(body.ok).toBe(false);
          expect(typeof body.error?.code).toBe('string');
          for (const leak of LEAKS) expect(text, `${url} leaked ${leak}`).not.toMatch(leak);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? 20260130) },
      );
    },
    120_000,
  );
});

describe('hostile input on every procedure over /trpc', () => {
  it.each(routes.map((route) => [route.procedurePath, route] as const))(
    '%s',
    async (procedurePath, route) => {
      const fields = fieldNames(route);
      const input = fc.oneof(anyJson, fc.dictionary(fc.oneof(fc.constantFrom(...fields), adversarialText), anyJson, { maxKeys: 5 }));
      const batch = fc.integer({ min: 1, max: 12 });
      await fc.assert(
        fc.asyncProperty(input, batch, fc.boolean(), async (value, calls, raw) => {
          const text = raw ? JSON.stringify(value).slice(0, -1) : JSON.stringify(value);
          const path = calls === 1 ? `/trpc/${procedurePath}` : `/trpc/${Array.from({ length: calls }, () => procedurePath).join(',')}`;
          const batched = calls === 1 ? text : `{${Array.from({ length: calls }, (_, i) => `"${i}":${text}`).join(',')}}`;
          const response =
            route.route.method === 'GET'
              ? await h.app.request(`${path}?${calls === 1 ? '' : 'batch=1&'}input=${encodeURIComponent(batched)}`, { headers: tokenHeaders() })
              : await h.app.request(`${path}${calls === 1 ? '' : '?batch=1'}`, {
                  method: 'POST',
                  headers: tokenHeaders({ 'content-type': 'application/json' }),
                  body: batched,
                });
          const answer = await response.text();
          expect(response.status, `${path} → ${answer}`).toBeLessThan(500);
          if (response.status === 207) return;
          const parsed = JSON.parse(answer) as unknown;
          for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
            const error = (item as { error?: { data?: { code?: unknown; httpStatus?: unknown } } }).error;
            if (error) {
              expect(typeof error.data?.code).toBe('string');
              expect(error.data?.httpStatus as number).toBeLessThan(500);
            }
          }
          for (const leak of LEAKS) expect(answer, `${path} leaked ${leak}`).not.toMatch(leak);
        }),
        { numRuns: Math.ceil(RUNS_PER_ROUTE / 4), seed: Number(process.env.FUZZ_SEED ?? 20260130) },
      );
    },
    120_000,
  );
});

describe('hostile bodies over a real socket', () => {
  let server: ServerType;
  let origin: string;

  beforeAll(async () => {
    server = serveApp(h.app, { port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const writes = routes.filter((route) => route.route.method === 'POST');

  it.each(writes.map((route) => [`${route.route.method} ${route.route.path}`, route] as const))(
    '%s: chunked bodies, complete or abandoned midway',
    async (_name, route) => {
      await fc.assert(
        // An oversized body is answered 413 and the socket closed while the client still sends: that is the 64 KiB bound at work, tested elsewhere.
        fc.asyncProperty(
          requestFor(route).filter((generated) => generated.body.kind !== 'huge'),
          fc.boolean(),
          async (generated, abandon) => {
            const { url, init } = toRequest(route, generated);
            const bytes = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : ((init.body as Uint8Array | undefined) ?? new Uint8Array());
            const controller = new AbortController();
            const half = Math.ceil(bytes.length / 2);
            const body = new ReadableStream<Uint8Array>({
              async pull(stream) {
                stream.enqueue(bytes.subarray(0, half));
                await new Promise((resolve) => setTimeout(resolve, 5));
                if (abandon) controller.abort();
                else {
                  stream.enqueue(bytes.subarray(half));
                  stream.close();
                }
              },
            });
            const sending = fetch(`${origin}${url}`, { ...init, body, signal: controller.signal, duplex: 'half' } as RequestInit);
            if (abandon) {
              await sending.then((response) => response.body?.cancel()).catch(() => undefined);
              return;
            }
            const response = await sending;
            const text = await response.text();
            expect(response.status, `${url} → ${text}`).toBeLessThan(500);
            for (const leak of LEAKS) expect(text, `${url} leaked ${leak}`).not.toMatch(leak);
          },
        ),
        { numRuns: Math.ceil(RUNS_PER_ROUTE / 10), seed: Number(process.env.FUZZ_SEED ?? 20260130) },
      );
    },
    120_000,
  );

  it('logged no server error for any of it', async () => {
    await until(() => h.logs.length > 0, 'log lines');
    const errors = h.logs
      .map((line) => JSON.parse(line) as { level?: string; status?: number; msg?: string })
      .filter((line) => line.level === 'error' || line.status === 500);
    expect(errors).toEqual([]);
  });
});
