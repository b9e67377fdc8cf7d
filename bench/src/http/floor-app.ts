import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type pg from 'pg';
import {
  AUDIT_INSERT,
  EVENT_BY_PUBLIC_ID,
  EVENT_STATS,
  EVENTS_FIRST_PAGE,
  EVENTS_PAGE_AFTER,
  KPI_PROJECTS,
  RETRY_EXISTING,
  RETRY_INSERT,
  RETRY_LOCK,
  RUNS_PAGE,
  STUCK_RUNS,
} from './floor-sql.js';

const PAGE_ROWS = 51;
const STALE_AFTER_MINUTES = 30;

/**
 * The floor: what answering costs with nothing but Hono, `pg` and JSON.stringify. The same SQL as
 * the API, the same pool size, no credentials, no validation, no tRPC, no envelope, no DTO mapping.
 * Served in its own process by `floor-server.ts`; `profile/in-process.ts` runs it beside the app.
 */
export function createFloorApp(pool: pg.Pool): Hono {
  const app = new Hono();
  const rows = (result: pg.QueryResult) => new Response(JSON.stringify(result.rows), { headers: { 'content-type': 'application/json' } });

  app.get('/workflow-runs', async (c) => rows(await pool.query(RUNS_PAGE, [c.req.query('projectId'), PAGE_ROWS])));

  app.get('/business-events', async (c) => {
    const cursor = c.req.query('cursor');
    if (!cursor) return rows(await pool.query(EVENTS_FIRST_PAGE, [c.req.query('projectId'), PAGE_ROWS]));
    const [, occurredAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, number];
    return rows(await pool.query(EVENTS_PAGE_AFTER, [c.req.query('projectId'), occurredAt, id, PAGE_ROWS]));
  });

  app.get('/business-events/stats', async (c) => rows(await pool.query(EVENT_STATS, [c.req.query('startDate'), c.req.query('endDate')])));

  app.get('/business-event', async (c) => rows(await pool.query(EVENT_BY_PUBLIC_ID, [c.req.query('publicId')])));

  app.get('/workflow-runs/stuck', async (c) => rows(await pool.query(STUCK_RUNS, [c.req.query('projectId'), 'running', 50])));

  app.get('/kpi-health/projects', async () => rows(await pool.query(KPI_PROJECTS, [STALE_AFTER_MINUTES, 1])));

  // The retry by hand: the app's statements in one transaction, the same audit row (the token's admin id, a request id).
  app.post('/workflow-runs/:id/retry', async (c) => {
    const id = c.req.param('id');
    const { reason } = await c.req.json<{ reason: string }>();
    const client = await pool.connect();
    try {
      await client.query('begin');
      const {
        rows: [run],
      } = await client.query<{ id: string; status: string; stuck: boolean }>(RETRY_LOCK, ['running', id]);
      const existing = run ? await client.query(RETRY_EXISTING, [id]) : undefined;
      if (!run || existing?.rowCount !== 0 || !(run.status === 'failed' || run.stuck)) {
        await client.query('rollback');
        return c.json({ error: run ? 'not eligible' : 'no such run' }, run ? 409 : 404);
      }
      const {
        rows: [created],
      } = await client.query<{ id: string }>(RETRY_INSERT, [id]);
      if (!created) throw new Error(`the retry of ${id} was refused`);
      const details = JSON.stringify({ newRunId: created.id, previousStatus: run.status, wasStuck: run.stuck });
      await client.query(AUDIT_INSERT, ['admin-token', 'workflow_run.retry', 'workflow_run', id, reason, details, randomUUID()]);
      await client.query('commit');
      return new Response(JSON.stringify({ newRunId: created.id, status: 'queued' }), { headers: { 'content-type': 'application/json' } });
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
  return app;
}
