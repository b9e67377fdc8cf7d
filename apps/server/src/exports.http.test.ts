import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createEvent, createProject, createRun, until } from '@runhub/router/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { ADMIN_TOKEN, createHarness, type Harness, harnessApp, readEnvelope, SESSION_SECRET, sessionCookie, tokenHeaders } from './test/harness.js';

/**
 * SPEC §7.5 over HTTP, on an app with pages of 3 rows, so that every export here walks many pages.
 */
const PREFIX = '/v1/admin/inhouse';
const PAGE = 3;
let h: Harness;
let app: ReturnType<typeof harnessApp>;
const logs: string[] = [];
let projectId: string;

beforeAll(async () => {
  h = await createHarness();
  app = harnessApp(h, {
    exportPageSize: PAGE,
    logger: createLogger('info', (line) => logs.push(line)),
    auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [SESSION_SECRET] },
  });
  projectId = (await createProject(h.testDb.db, { name: 'Export Store' })).id;
  for (let i = 0; i < 10; i++) {
    await createRun(h.testDb.db, projectId, {
      status: i % 2 ? 'failed' : 'succeeded',
      requested_at: new Date(Date.UTC(2026, 0, 30, 10, i)),
      params: { locale: 'en', n: i },
    });
  }
});
afterAll(() => h.testDb.destroy());

const get = (path: string, headers: Record<string, string> = tokenHeaders()) => app.request(`${PREFIX}${path}`, { headers });
const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const exportLogs = () =>
  logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'export' || line.msg === 'export failed');

/** Every row of a list through its pages, as the list answers them. */
async function listAll(path: string, key: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const body = await readEnvelope(await get(`${path}${cursor ? `${separator}cursor=${cursor}` : ''}`));
    const data = body.data as Record<string, unknown> & { nextCursor: string | null };
    rows.push(...(data[key] as unknown[]));
    cursor = data.nextCursor;
  } while (cursor);
  return rows;
}

describe('GET /workflow-runs/export as NDJSON', () => {
  it('streams every matching run, exactly as the list shows it and in its order, as an attachment', async () => {
    const response = await get(`/workflow-runs/export?projectId=${projectId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="workflow-runs-\d{8}T\d{6}Z\.ndjson"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const exported = lines(await response.text()).map((line) => JSON.parse(line));
    expect(exported).toHaveLength(10);
    expect(exported).toEqual(await listAll(`/workflow-runs?projectId=${projectId}&limit=4`, 'runs'));
  });

  it("applies the list's filters, its new ones included, and treats empty values as absent", async () => {
    const filtered = lines(
      await (await get(`/workflow-runs/export?projectId=${projectId}&status=failed&requestedFrom=2026-01-30T10:04:00Z&stuck=false`)).text(),
    );
    expect(filtered.map((line) => (JSON.parse(line) as { requestedAt: string }).requestedAt)).toEqual([
      '2026-01-30T10:09:00.000Z',
      '2026-01-30T10:07:00.000Z',
      '2026-01-30T10:05:00.000Z',
    ]);
    const blank = await get(`/workflow-runs/export?projectId=${projectId}&status=&actionId=&format=`);
    expect(blank.status).toBe(200);
    expect(lines(await blank.text())).toHaveLength(10);
  });

  it('answers an empty body when nothing matches, and a CSV of only its header', async () => {
    const empty = await get('/workflow-runs/export?actionId=nothing_like_this');
    expect(await empty.text()).toBe('');
    const csv = await get('/workflow-runs/export?actionId=nothing_like_this&format=csv');
    expect(await csv.text()).toBe(
      'id,projectId,projectName,actionId,status,idempotencyKey,requestedAt,startedAt,completedAt,leaseExpiresAt,attempts,maxAttempts,params,result,outcome,error,retryOf\r\n',
    );
  });

  it('writes one log line per export, with its route, format and row count, and no audit row', async () => {
    const before = exportLogs().length;
    const auditBefore = await h.testDb.db.selectFrom('admin_audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await (await get(`/workflow-runs/export?projectId=${projectId}&status=succeeded&format=csv`)).text();
    await until(() => exportLogs().length > before, 'the export log line');
    expect(exportLogs().slice(before)).toEqual([
      expect.objectContaining({ level: 'info', route: `${PREFIX}/workflow-runs/export`, format: 'csv', rows: 5, outcome: 'complete' }),
    ]);
    const auditAfter = await h.testDb.db.selectFrom('admin_audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(auditAfter.n).toBe(auditBefore.n);
  });
});

describe('GET /workflow-runs/export?format=csv', () => {
  it('has a header of the list field names, nested values as JSON text, null as empty, quoting, and formula-safe cells', async () => {
    const project = await createProject(h.testDb.db, { name: '@Evil, "Inc"' });
    const run = await createRun(h.testDb.db, project.id, {
      action_id: '=HYPERLINK("http://x")',
      idempotency_key: '+1 and -1',
      status: 'failed',
      requested_at: new Date('2026-02-01T00:00:00.000Z'),
      params: { note: 'a,b', line: 'one\ntwo' },
      error: { code: '-1', message: '\tTAB' },
    });
    const response = await get(`/workflow-runs/export?projectId=${project.id}&format=csv`);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="workflow-runs-\d{8}T\d{6}Z\.csv"$/);
    const [header, row, end] = (await response.text()).split('\r\n');
    expect(header?.split(',')).toEqual(Object.keys((await listAll(`/workflow-runs?projectId=${project.id}`, 'runs'))[0] as object));
    expect(end).toBe('');
    expect(row).toBe(
      [
        run.id,
        project.id,
        `"'@Evil, ""Inc"""`,
        `"'=HYPERLINK(""http://x"")"`,
        'failed',
        `'+1 and -1`,
        '2026-02-01T00:00:00.000Z',
        '',
        '',
        '',
        '0',
        '3',
        // jsonb keeps keys by length, then bytes: the list shows them in the same order.
        `"{""line"":""one\\ntwo"",""note"":""a,b""}"`,
        '',
        '',
        `"{""code"":""-1"",""message"":""\\tTAB""}"`,
        '',
      ].join(','),
    );
  });

  it('prefixes every formula trigger, tab and carriage return included', async () => {
    const project = await createProject(h.testDb.db);
    for (const [i, key] of ['=a', '+b', '-c', '@d', '\te', '\rf', 'plain'].entries()) {
      await createRun(h.testDb.db, project.id, { idempotency_key: key, requested_at: new Date(Date.UTC(2026, 1, 1, 0, 0, 10 - i)) });
    }
    const text = await (await get(`/workflow-runs/export?projectId=${project.id}&format=csv`)).text();
    const keys = text
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.match(/^[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,("[^"]*"|[^,]*),/)?.[1]);
    expect(keys).toEqual(["'=a", "'+b", "'-c", "'@d", "'\te", `"'\rf"`, 'plain']);
  });
});

describe('bad export requests answer the JSON envelope before any row', () => {
  it.each([
    ['a cursor', '?cursor=abc', ['cursor']],
    ['a limit', '?limit=10', ['limit']],
    ['an unknown format', '?format=xml', ['format']],
    ['an unknown status', '?status=paused', ['status']],
    ['a range that selects nothing', '?requestedFrom=2026-01-02T00:00:00Z&requestedTo=2026-01-01T00:00:00Z', ['requestedFrom']],
    ['stuck as anything but true or false', '?stuck=1', ['stuck']],
    ['several at once', '?limit=5&status=paused', ['limit', 'status']],
  ])('400 for %s', async (_name, query, paths) => {
    const response = await get(`/workflow-runs/export${query}`);
    expect(response.status).toBe(400);
    const body = await readEnvelope(response);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('BAD_REQUEST');
    expect(body.error?.details?.issues?.map((issue) => issue.path)).toEqual(paths);
  });

  it('401 without credentials, 403 without inhouse.read, 405 for another method', async () => {
    expect((await get('/workflow-runs/export', {})).status).toBe(401);
    const forbidden = await get('/audit-log/export?limit=1', sessionCookie({ permissions: ['inhouse.write'] }));
    expect(forbidden.status).toBe(403);
    expect((await readEnvelope(forbidden)).error?.code).toBe('FORBIDDEN');
    const post = await app.request(`${PREFIX}/business-events/export`, { method: 'POST', headers: tokenHeaders() });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('the other exports', () => {
  it("GET /business-events/export streams the events list's rows with its filters", async () => {
    const project = await createProject(h.testDb.db);
    for (let i = 0; i < 7; i++) {
      await createEvent(h.testDb.db, project.id, { event_type: i % 2 ? 'lead_created' : 'payment_succeeded', occurred_at: new Date(Date.UTC(2026, 2, 1 + i)) });
    }
    const query = `projectId=${project.id}&eventType=payment_succeeded&startDate=2026-03-02`;
    const response = await get(`/business-events/export?${query}`);
    expect(response.headers.get('content-disposition')).toMatch(/filename="business-events-\d{8}T\d{6}Z\.ndjson"/);
    const exported = lines(await response.text()).map((line) => JSON.parse(line));
    expect(exported).toHaveLength(3);
    expect(exported).toEqual(await listAll(`/business-events?${query}`, 'events'));
    expect((await get('/business-events/export?startDate=2026-03-05&endDate=2026-03-01')).status).toBe(400);
  });

  it('GET /business-events/export takes the explorer filters of SPEC §7.6, as the list does', async () => {
    const project = await createProject(h.testDb.db);
    for (let i = 0; i < 8; i++) {
      await createEvent(h.testDb.db, project.id, {
        event_type: ['payment_succeeded', 'payment_failed', 'paymentXsucceeded', 'lead_created'][i % 4] as string,
        occurred_at: new Date(Date.UTC(2026, 2, 1 + i)),
        session_id: i < 6 ? 'sess_export' : null,
        entity_type: 'order',
        entity_id: `ord_${i % 2}`,
        payload: { customer: { tier: i % 3 ? 'gold' : 'silver' } },
      });
    }
    const payload = encodeURIComponent('{"customer":{"tier":"gold"}}');
    const query = `projectId=${project.id}&eventType=payment_*,lead_created&sessionId=sess_export&entityType=order&entityId=ord_1&payload=${payload}`;
    const exported = lines(await (await get(`/business-events/export?${query}`)).text()).map((line) => JSON.parse(line) as { eventType: string });
    const listed = await listAll(`/business-events?${query}`, 'events');
    expect(exported).toEqual(listed);
    // i = 1, 3, 5 have ord_1 and a session; 3 is lead_created; of those, i % 3 != 0 leaves 1 and 5.
    expect(exported.map((row) => row.eventType)).toEqual(['payment_failed', 'payment_failed']);
    const csv = await get(`/business-events/export?${query}&format=csv`);
    expect((await csv.text()).split('\r\n').filter((line) => line !== '')).toHaveLength(3);
    const bad = await get(`/business-events/export?payload=${encodeURIComponent('[1]')}`);
    expect(bad.status).toBe(400);
    expect(await readEnvelope(bad)).toMatchObject({ ok: false, error: { details: { issues: [expect.objectContaining({ path: 'payload' })] } } });
  });

  it('GET /audit-log/export streams the audit entries of a bulk operation', async () => {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await createRun(h.testDb.db, projectId, { status: 'queued' }));
    const bulk = await readEnvelope(
      await app.request(`${PREFIX}/workflow-runs/bulk-cancel`, {
        method: 'POST',
        headers: { ...tokenHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'export me', ids: runs.map((run) => run.id) }),
      }),
    );
    const { bulkOperationId } = bulk.data as { bulkOperationId: string };
    const response = await get(`/audit-log/export?bulkOperationId=${bulkOperationId}&format=csv`);
    const [header, ...rows] = (await response.text()).split('\r\n').slice(0, -1);
    expect(header).toBe('id,adminId,action,targetType,targetId,reason,details,requestId,createdAt');
    expect(rows).toHaveLength(6);
    expect(rows.filter((row) => row.includes('workflow_run.cancel'))).toHaveLength(5);
  });
});

describe('a client that goes away mid-export', () => {
  /** Runs of a new project, each with params of about `paramsBytes`. */
  async function manyRuns(count: number, paramsBytes = 10): Promise<string> {
    const project = await createProject(h.testDb.db);
    await sql`insert into workflow_runs (project_id, action_id, status, idempotency_key, params)
              select ${project.id}::uuid, 'bulk_action', 'succeeded', 'many-' || g, jsonb_build_object('blob', repeat('x', ${paramsBytes}::int))
              from generate_series(1, ${count}::int) as g`.execute(h.testDb.db);
    return project.id;
  }

  it('stops the walk: the page being read finishes, no other is read, and the log says so', async () => {
    const id = await manyRuns(60);
    const before = exportLogs().length;
    const response = await get(`/workflow-runs/export?projectId=${id}`);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(lines(new TextDecoder().decode(first?.value))).toHaveLength(PAGE);
    await reader?.cancel();
    await until(() => exportLogs().length > before, 'the export log line');
    const [line] = exportLogs().slice(before);
    expect(line).toMatchObject({ outcome: 'aborted' });
    // At most the page taken and the one read ahead of it.
    expect(line?.rows).toBeLessThanOrEqual(2 * PAGE);
  });

  it('over a real socket too: the server notices the closed connection and stops', async () => {
    // 40 MB of rows: far more than the socket buffers can hold before the client leaves.
    const id = await manyRuns(2000, 20_000);
    const socketApp = harnessApp(h, { exportPageSize: 100, logger: createLogger('info', (line) => logs.push(line)) });
    const server = await new Promise<ServerType>((resolve) => {
      const listening: ServerType = serve({ fetch: socketApp.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const before = exportLogs().length;
      const abort = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}${PREFIX}/workflow-runs/export?projectId=${id}`, { headers: tokenHeaders(), signal: abort.signal });
      await response.body?.getReader().read();
      abort.abort();
      await until(() => exportLogs().length > before, 'the export log line');
      const [line] = exportLogs().slice(before);
      expect(line).toMatchObject({ outcome: 'aborted' });
      expect(line?.rows).toBeLessThan(2000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a failure midway', () => {
  it('breaks the transfer instead of ending it like a complete file, and logs the failure', async () => {
    const before = exportLogs().length;
    const response = await get('/workflow-runs/export');
    const reader = response.body?.getReader();
    await reader?.read();
    await sql`alter table workflow_runs rename to workflow_runs_away`.execute(h.testDb.db);
    try {
      let failure: unknown;
      try {
        for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read());
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeDefined();
    } finally {
      await sql`alter table workflow_runs_away rename to workflow_runs`.execute(h.testDb.db);
    }
    await until(() => exportLogs().length > before, 'the export log line');
    expect(exportLogs().slice(before)).toEqual([expect.objectContaining({ level: 'error', msg: 'export failed', outcome: 'failed' })]);
  });
});
