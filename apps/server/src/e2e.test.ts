import { join } from 'node:path';
import { createAdminClient, TRPCClientError } from '@runhub/client';
import { signSessionJwt } from '@runhub/router';
import { createProject, createRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, startTestServer, type TestServer } from './test/server-process.js';

/**
 * The real server process, as `pnpm start` runs it: on the PostgreSQL test server when
 * TEST_DATABASE_URL is set, else on a fresh embedded database that it seeds itself.
 */
let server: ServerProcess;
let token: string;
let dataDir: string;
let running: TestServer | undefined;
const SESSION_SECRET = 'e2e-session-secret-0123456789abcdef-0123456789';
/** Short, so a two-hour session is refused. */
const session = { SESSION_SECRET, SESSION_MAX_LIFETIME_HOURS: '1' };

beforeAll(async () => {
  running = await startTestServer(
    'e2e',
    async (db) => {
      const project = await createProject(db, { name: 'E2E Store' });
      for (let i = 0; i < 5; i++) await createRun(db, project.id, { status: i % 2 ? 'failed' : 'succeeded' });
    },
    { LOG_LEVEL: 'info', ...session },
  );
  ({ server, token, dataDir } = running);
}, 120_000);
afterAll(() => running?.stop());

describe('the server process', () => {
  it('prints its URL and how to authenticate', () => {
    expect(server.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(server.stdout()).toMatch(/try: curl -H /);
  });

  it.skipIf(process.env.TEST_DATABASE_URL)('keeps a generated token off a stdout that is not a terminal, naming its file', () => {
    const file = join(dataDir, 'admin-token');
    expect(server.output()).not.toContain(token);
    expect(server.stdout()).toContain(`the admin token is kept in ${file}`);
    expect(server.stdout()).toContain(`"x-sheen-admin-token: $(cat '${file}')"`);
  });

  it('logs plain JSON lines to a stdout that is not a terminal', () => {
    const logLines = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'database ready', time: expect.any(String) }),
    );
    // pino-pretty's lines start with the time in brackets; they belong on a terminal only.
    expect(server.stdout()).not.toMatch(/^\[\d{2}:\d{2}/m);
  });

  it('serves the same runs to the typed client and to plain fetch on the REST path', async () => {
    const admin = createAdminClient({ baseUrl: server.url, token });
    const viaClient = await admin.workflowRuns.list.query({ limit: 5 });
    expect(viaClient.runs).toHaveLength(5);
    const first = viaClient.runs[0];
    expect(first?.requestedAt).toMatch(/Z$/);

    const response = await fetch(`${server.url}/v1/admin/inhouse/workflow-runs?limit=5`, { headers: { 'x-sheen-admin-token': token } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, data: viaClient });
  });

  it('bounds a session by SESSION_MAX_LIFETIME_HOURS from its environment', async () => {
    const now = Math.floor(Date.now() / 1000);
    const withSession = (exp: number) => ({
      headers: { cookie: `sheen_admin_session=${signSessionJwt({ sub: 'e2e-admin', permissions: ['inhouse.read'], exp }, SESSION_SECRET)}` },
    });
    const runs = `${server.url}/v1/admin/inhouse/workflow-runs?limit=1`;
    expect((await fetch(runs, withSession(now + 1800))).status).toBe(200);
    expect((await fetch(runs, withSession(now + 7200))).status).toBe(401);
  });

  it('gives the typed client SPEC error codes', async () => {
    const anonymous = createAdminClient({ baseUrl: server.url });
    const error = await anonymous.workflowRuns.list.query({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });

    const admin = createAdminClient({ baseUrl: server.url, token });
    const invalid = await admin.workflowRuns.list.query({ limit: 500 }).catch((e: unknown) => e);
    expect((invalid as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST', details: { issues: [{ path: 'limit' }] } });
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await server.stop()).toBe(0);
  });
});

describe('start-up refusals', () => {
  it('refuses to start on PostgreSQL with neither ADMIN_TOKEN nor SESSION_SECRET, saying why', async () => {
    const failure = await startServer({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, 20_000).catch((e: unknown) => e);
    expect(String(failure)).toMatch(/exited with 1[\s\S]*neither ADMIN_TOKEN nor SESSION_SECRET/);
  });

  it('refuses a bad variable, naming it', async () => {
    const failure = await startServer({ PORT: 'eighty' }, 20_000).catch((e: unknown) => e);
    expect(String(failure)).toMatch(/exited with 1[\s\S]*PORT/);
  });
});
