import type { Database } from '@runhub/db';
import { type AuthConfig, appRouter, type Clock, type RollupAccess } from '@runhub/router';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { type Kysely, sql } from 'kysely';
import { isClientAbort } from './client-abort.js';
import { DEFAULT_TRPC_MAX_BATCH_SIZE } from './config.js';
import type { ConsoleFiles } from './console/files.js';
import { mountConsole } from './console/mount.js';
import type { AppEnv } from './env.js';
import { failWith } from './envelope.js';
import { mountExports } from './exports/mount.js';
import { errorFields, type Logger } from './logger.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { mountMetrics } from './metrics/metrics-endpoint.js';
import { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.js';
import { identify, requireCredentials } from './middleware/admin-auth.js';
import { requestLog } from './middleware/request-log.js';
import { secureHeaders } from './middleware/secure-headers.js';
import { mountApiDocs } from './openapi/mount.js';
import { declaresMoreThan } from './request-body.js';
import type { ContextDependencies } from './request-context.js';
import { jsonResponse } from './response.js';
import { mountRestAdapter } from './rest/adapter.js';
import { listRestProcedures } from './rest/routes.js';
import { mountTrpc } from './trpc/mount.js';

export const ADMIN_PREFIX = '/v1/admin/inhouse';
export const MAX_BODY_BYTES = 64 * 1024;

export interface AppOptions {
  db: Kysely<Database>;
  auth: AuthConfig;
  logger: Logger;
  /** Time source for procedures; the database clock by default. */
  clock?: Clock;
  /** The process's KPI rollup: its settings, and the queue a trigger wakes. */
  rollup: RollupAccess;
  /** Bound on the readiness probe's query. */
  readinessTimeoutMs?: number;
  /** Browser origins allowed to call (the admin panel's); none by default, so CORS stays closed. */
  corsOrigins?: readonly string[];
  /** Rows per page of an export's walk (default 1,000); tests use small pages to have many. */
  exportPageSize?: number;
  /** This instance's metrics at `GET /metrics` (a registry of its own by default); `false`: none, and no request timing. */
  metrics?: ServerMetrics | false;
  /** Bearer tokens `/metrics` requires (`METRICS_TOKEN`); none: it is open. */
  metricsTokens?: readonly string[];
  /** The built admin console, served at `/admin/inhouse/*`; absent when `CONSOLE_ENABLED=false` (those paths then 404). */
  consoleFiles?: ConsoleFiles;
  /** The calls one `/trpc` batch may hold (`TRPC_MAX_BATCH_SIZE`, default 10). */
  trpcMaxBatchSize?: number;
}

/**
 * The whole HTTP surface, with no listening socket: `app.request()` in tests, `serve()` in main.
 *
 * @example
 * const app = createApp({ db, rollup: createRollupCoordinator(db), auth: { adminTokens: ['…'], sessionSecrets: [] }, logger });
 * const res = await app.request('/v1/admin/inhouse/workflow-runs', { headers: { 'x-sheen-admin-token': '…' } });
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { db, logger } = options;
  const app = new Hono<AppEnv>();
  const context: ContextDependencies = { db, rollup: options.rollup, clock: options.clock };
  // Walked once: the REST adapter and the OpenAPI document are both derived from this table.
  const procedures = listRestProcedures(appRouter);
  const metrics = options.metrics ?? createServerMetrics({ db, clock: options.clock, settings: options.rollup.settings });

  if (metrics) app.use('*', httpMetrics(metrics, { routes: () => app.routes, trpcRouter: appRouter }));
  app.use('*', requestLog(logger));
  app.use('*', secureHeaders());
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    app.use(
      '*',
      cors({
        origin: [...origins],
        credentials: true,
        allowHeaders: ['content-type', 'x-sheen-admin-token', 'x-sheen-admin-user-id', 'x-request-id'],
        maxAge: 600,
      }),
    );
  }
  const tooLarge = (c: Context<AppEnv>) => failWith(c, 'PAYLOAD_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes`);
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // Asking a GET for its body makes @hono/node-server build a full fetch Request (with an
  // AbortController) for every read; GET and HEAD carry no body to limit. Under the admin prefix the
  // REST adapter reads and bounds the bodies itself, from node's stream (`readBodyText`); a declared
  // length over the bound is refused here all the same, before the route.
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.path.startsWith(`${ADMIN_PREFIX}/`)) return declaresMoreThan(c, MAX_BODY_BYTES) ? Promise.resolve(tooLarge(c)) : next();
    return limitBody(c, next);
  });

  app.get('/healthz', (c) => jsonResponse(c, 200, { ok: true }));
  app.get('/readyz', async (c) => {
    try {
      await withTimeout(sql`select 1`.execute(db), options.readinessTimeoutMs ?? 2000);
      return jsonResponse(c, 200, { ok: true });
    } catch (error) {
      logger.warn('readiness check failed', errorFields(error));
      return failWith(c, 'SERVICE_UNAVAILABLE', 'The database is unavailable');
    }
  });
  if (metrics) mountMetrics(app, metrics, { tokens: options.metricsTokens ?? [] });
  mountApiDocs(app, { procedures, maxBodyBytes: MAX_BODY_BYTES });
  if (options.consoleFiles) mountConsole(app, options.consoleFiles);

  mountTrpc(app, { auth: options.auth, context, logger, maxBatchSize: options.trpcMaxBatchSize ?? DEFAULT_TRPC_MAX_BATCH_SIZE });

  app.use(`${ADMIN_PREFIX}/*`, identify(options.auth), requireCredentials());
  // Before the REST adapter: `/workflow-runs/export` must win over `/workflow-runs/:id`.
  mountExports(app, { procedures, context, logger, ...(options.exportPageSize ? { pageSize: options.exportPageSize } : {}) });
  mountRestAdapter(app, { procedures, context, logger, prefix: ADMIN_PREFIX, maxBodyBytes: MAX_BODY_BYTES });

  app.notFound((c) => failWith(c, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (isClientAbort(error, c.req.raw)) {
      logger.warn('request body aborted by the client', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path });
      return failWith(c, 'BAD_REQUEST', 'The request body was not completed');
    }
    logger.error('unhandled error', { requestId: c.get('requestId'), ...errorFields(error) });
    return failWith(c, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  return app;
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
