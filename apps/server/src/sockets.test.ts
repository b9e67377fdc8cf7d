import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { createProject, createRun, until } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from './http-server.js';
import { ADMIN_TOKEN, createHarness, type Harness } from './test/harness.js';

/** What only a real socket shows: bodies that never finish, and clients too slow to send their headers. */
let h: Harness;
let server: ServerType;
let port: number;
let projectId: string;
/** Short, so the test sees them act; the defaults are in the low tens of seconds. */
const TIMEOUTS = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 };

beforeAll(async () => {
  h = await createHarness();
  projectId = (await createProject(h.testDb.db)).id;
  server = serveApp(h.app, { port: 0, hostname: '127.0.0.1', timeouts: TIMEOUTS });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.testDb.destroy();
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.once('close', () => resolve(received));
  });

const lines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

async function metricsText(): Promise<string> {
  const response = await h.app.request('/metrics');
  return response.text();
}

const ROUTES = [
  ['/healthz', {}],
  ['/trpc/workflowRuns.cancel', { 'x-sheen-admin-token': ADMIN_TOKEN }],
  ['/v1/admin/inhouse/workflow-runs/:id/cancel', { 'x-sheen-admin-token': ADMIN_TOKEN }],
] as const;
const BODIES = [
  ['a chunked body', 'Transfer-Encoding: chunked\r\n', '5\r\n{"rea\r\n'],
  ['a Content-Length body that stalls', 'Content-Length: 200\r\n', '{"reason":'],
] as const;

describe('a body whose client goes away', () => {
  const cases = ROUTES.flatMap(([route, headers]) => BODIES.map(([body, framing, partial]) => [route, body, headers, framing, partial] as const));
  it.each(cases)('is no server error on %s: %s, then the client disconnects', async (route, _body, headers, framing, partial) => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const path = route.replace(':id', run.id);
    const requestId = `abort-${Math.random().toString(36).slice(2)}`;
    const socket = await open();
    const gone = closed(socket);
    const head = Object.entries({ ...headers, 'x-request-id': requestId })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}${head}\r\n${partial}`);
    // Let the server read the headers and the part of the body, then go.
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await gone;
    await until(() => lines().some((line) => line.requestId === requestId && line.msg === 'request'), `the request log line of ${requestId}`);
    const mine = lines().filter((line) => line.requestId === requestId);
    expect(mine.filter((line) => line.level === 'error' || line.status === 500)).toEqual([]);
    // At most one warning; a route that never reads the body (POST /healthz is a 404) has none.
    const warnings = mine.filter((line) => line.level === 'warn').map((line) => line.msg);
    expect(warnings).toEqual(route === '/healthz' && framing.startsWith('Content-Length') ? [] : ['request body aborted by the client']);
    expect(await metricsText()).not.toMatch(/status="5\d\d"/);
    expect((await h.testDb.db.selectFrom('workflow_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('queued');
  });
});

/** Sends a raw request and answers what came back before the server closed or answered: the status line and the body. */
async function exchange(request: string, body: string | readonly string[]): Promise<{ status: number; text: string }> {
  const socket = await open();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.write(request);
  for (const part of typeof body === 'string' ? [body] : body) if (!socket.destroyed) socket.write(part);
  await until(() => /\r\n\r\n[\s\S]*\}/.test(received) || socket.destroyed, 'an answer');
  socket.destroy();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]);
  return { status, text: received.slice(received.indexOf('\r\n\r\n') + 4) };
}

describe("a write body over a real socket, read from node's stream", () => {
  const head = (path: string, framing: string) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nx-sheen-admin-token: ${ADMIN_TOKEN}\r\nConnection: close\r\n${framing}\r\n`;
  const chunked = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

  it('takes a complete chunked body, in pieces, with multi-byte characters split between them', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const reason = 'Kunde möchte stornieren: “duplicate” ✓';
    const bytes = Buffer.from(JSON.stringify({ reason }));
    const cut = bytes.indexOf(Buffer.from('ö')) + 1; // inside the two bytes of ö
    const parts = [bytes.subarray(0, cut), bytes.subarray(cut)].map((part) => `${part.length.toString(16)}\r\n${part.toString('latin1')}\r\n`);
    const socket = await open();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.write(head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, 'Transfer-Encoding: chunked\r\n'));
    for (const part of parts) socket.write(Buffer.from(part, 'latin1'));
    socket.write('0\r\n\r\n');
    await until(() => received.includes('"ok":true') || received.includes('"ok":false'), 'the answer');
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    const audit = await h.testDb.db.selectFrom('admin_audit_log').select('reason').where('target_id', '=', run.id).execute();
    expect(audit).toEqual([{ reason }]);
  });

  it('refuses a declared Content-Length over 64 KiB with 413 before reading it, before the route and its credentials', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const answer = await exchange(head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, 'Content-Length: 70000\r\n'), '{"reason":');
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const anonymous = head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, 'Content-Length: 70000\r\n').replace(
      `x-sheen-admin-token: ${ADMIN_TOKEN}\r\n`,
      '',
    );
    expect((await exchange(anonymous, '{"reason":')).status).toBe(413);
  });

  it('takes a body that starts with a byte-order mark, as the fetch Request would', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const body = `\uFEFF${JSON.stringify({ reason: 'with a BOM' })}`;
    const answer = await exchange(head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, `Content-Length: ${Buffer.byteLength(body)}\r\n`), body);
    expect(answer.status).toBe(200);
  });

  it('keeps the connection usable after a chunked body over 64 KiB was refused', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const socket = await open();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const keepAlive = head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, 'Transfer-Encoding: chunked\r\n').replace(
      'Connection: close',
      'Connection: keep-alive',
    );
    socket.write(keepAlive);
    for (let i = 0; i < 5; i++) socket.write(chunked('x'.repeat(16 * 1024)));
    socket.write('0\r\n\r\n');
    await until(() => received.includes('PAYLOAD_TOO_LARGE') || socket.destroyed, 'the 413');
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    // The server either drained the rest and answers the next request on this connection, or closed it: never a hang.
    if (!socket.destroyed) {
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await until(() => /HTTP\/1\.1 200/.test(received) || socket.destroyed, 'the next answer or the close');
    }
    socket.destroy();
  });

  it('stops reading a chunked body at 64 KiB and answers 413, changing nothing', async () => {
    const run = await createRun(h.testDb.db, projectId, { status: 'queued' });
    const filler = chunked('x'.repeat(16 * 1024));
    const answer = await exchange(head(`/v1/admin/inhouse/workflow-runs/${run.id}/cancel`, 'Transfer-Encoding: chunked\r\n'), [
      chunked('{"reason":"'),
      ...Array.from({ length: 5 }, () => filler),
    ]);
    expect(answer.status).toBe(413);
    expect((await h.testDb.db.selectFrom('workflow_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('queued');
  });
});

describe('a client too slow to send its headers (slow loris)', () => {
  it('is cut off once HTTP_HEADERS_TIMEOUT_MS has passed, however it trickles', async () => {
    const socket = await open();
    const gone = closed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(`x-trickle-${n++}: a\r\n`);
    }, 100);
    const received = await gone;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(n).toBeGreaterThan(0);
  });
});
