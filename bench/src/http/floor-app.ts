import { Hono } from 'hono';
import type pg from 'pg';
import { EVENT_BY_PUBLIC_ID, EVENT_STATS, EVENTS_FIRST_PAGE, EVENTS_PAGE_AFTER, KPI_PROJECTS, RUNS_PAGE, STUCK_RUNS } from './floor-sql.js';

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
  return app;
}
