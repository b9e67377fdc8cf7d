import { AdminExportError, createAdminClient, EXPORT_PATHS, exportRows, getAdminErrorCode, listPages } from '@runhub/client';
import { appRouter } from '@runhub/router';
import { createEvent, createProject, createRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportRoutes } from './exports/mount.js';
import { listRestProcedures } from './rest/routes.js';
import { type ServerProcess, startTestServer, type TestServer } from './test/server-process.js';

/**
 * The SDK's list and export helpers against the real server process: on the PostgreSQL test
 * server when TEST_DATABASE_URL is set, else on a fresh embedded database it seeds with demo data.
 */
let server: ServerProcess;
let token: string;
let running: TestServer | undefined;

beforeAll(async () => {
  running = await startTestServer('sdk-helpers', async (db) => {
    const project = await createProject(db, { name: 'Helper Store' });
    for (let i = 0; i < 40; i++) await createRun(db, project.id, { status: i % 3 ? 'failed' : 'succeeded' });
    for (let i = 0; i < 25; i++) await createEvent(db, project.id);
  });
  ({ server, token } = running);
}, 120_000);
afterAll(() => running?.stop());

describe('listPages', () => {
  it('walks every page of a list, following nextCursor, as the counts say', async () => {
    const admin = createAdminClient({ baseUrl: server.url, token });
    const ids: string[] = [];
    let pages = 0;
    for await (const page of listPages(admin.workflowRuns.list, { status: 'failed', limit: 7 })) {
      pages++;
      ids.push(...page.runs.map((run) => run.id));
    }
    const { byStatus } = await admin.workflowRuns.counts.query({});
    expect(ids).toHaveLength(byStatus.failed);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.floor(byStatus.failed / 7) + 1);
  });

  it('asks for no page the loop does not ask for', async () => {
    const admin = createAdminClient({ baseUrl: server.url, token });
    const seen: string[] = [];
    for await (const { entries } of listPages(admin.auditLog.list, { limit: 1 })) {
      seen.push(...entries.map((entry) => String(entry.id)));
      break;
    }
    expect(seen.length).toBeLessThanOrEqual(1);
  });
});

describe('exportRows', () => {
  it('streams typed rows equal to every page of the list, for each exportable list', async () => {
    const admin = createAdminClient({ baseUrl: server.url, token });
    const runs = [];
    for await (const run of exportRows({ baseUrl: server.url, token }, 'workflowRuns', { status: 'failed' })) runs.push(run);
    const listed = [];
    for await (const page of listPages(admin.workflowRuns.list, { status: 'failed', limit: 200 })) listed.push(...page.runs);
    expect(runs).toEqual(listed);
    expect(runs.every((run) => run.status === 'failed')).toBe(true);

    const events = [];
    for await (const event of exportRows({ baseUrl: server.url, token }, 'businessEvents', {})) events.push(event);
    const { events: firstPage } = await admin.businessEvents.list.query({ limit: 200 });
    expect(events.slice(0, firstPage.length)).toEqual(firstPage);
  });

  it('throws an AdminExportError with the SPEC code and issues before any row for a bad filter or credentials', async () => {
    const refused = await exportRows({ baseUrl: server.url, token }, 'workflowRuns', { requestedFrom: 'yesterday' })
      .next()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AdminExportError);
    expect(getAdminErrorCode(refused)).toBe('BAD_REQUEST');
    expect((refused as AdminExportError).data).toMatchObject({ httpStatus: 400, details: { issues: [{ path: 'requestedFrom' }] } });
    const anonymous = await exportRows({ baseUrl: server.url }, 'auditLog')
      .next()
      .catch((error: unknown) => error);
    expect(getAdminErrorCode(anonymous)).toBe('UNAUTHORIZED');
  });

  it('cancels the response body when the loop breaks, so the request is closed and the server stops its walk', async () => {
    let cancelled = false;
    // Passes the real response through, noting whether the SDK cancels its body.
    const tracking: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const reader = response.body?.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        },
        cancel(reason) {
          cancelled = true;
          return reader?.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    let taken = 0;
    for await (const _run of exportRows({ baseUrl: server.url, token, fetch: tracking }, 'workflowRuns')) {
      taken++;
      if (taken === 3) break;
    }
    expect(taken).toBe(3);
    expect(cancelled).toBe(true);
  });

  it('knows every export route of the server, and only those', () => {
    expect(Object.values(EXPORT_PATHS).sort()).toEqual(
      listExportRoutes(listRestProcedures(appRouter))
        .map(({ spec }) => spec.path)
        .sort(),
    );
  });
});
