import { appRouter } from '@runhub/router';
import { createEvent, createProject, createRun, createStuckRun } from '@runhub/router/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportRoutes } from './exports/mount.js';
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

function requestFor(route: RestProcedure) {
  const fields = fieldNames(route);
  const pathValue = fc.oneof(fc.constantFrom(...knownIds), adversarialText);
  const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...fields), adversarialText), adversarialText), { maxLength: 6 });
  const body = fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), adversarialText), anyJson, { maxKeys: 5 }).map((value) => ({ kind: 'json' as const, value })),
    fc
      .record({ reason: fc.oneof(adversarialText, anyJson), projectId: fc.oneof(fc.constantFrom(...knownIds), anyJson) })
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
  const path = route.route.path.replace(/:(\w+)/g, () => encodeURIComponent(g.pathValue));
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

describe('hostile input on every REST route', () => {
  it('covers at least 2,000 generated requests', () => {
    expect(routes.length * RUNS_PER_ROUTE).toBeGreaterThanOrEqual(process.env.FUZZ_RUNS_PER_ROUTE ? 0 : 2000);
  });

  it.each(routes.map((route) => [`${route.route.method} ${route.route.path}`, route] as const))(
    '%s',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (generated) => {
          const { url, init } = toRequest(route, generated);
          const before = route.route.method === 'POST' ? await fingerprint() : '';
          const response = await h.app.request(url, init);
          const text = await response.text();
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
