import { listProcedures } from '@runhub/router';
import type { AnyRouter } from '@trpc/server';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { createRouteLabeller, type RouteEntry } from './route-label.js';
import type { ServerMetrics } from './server-metrics.js';

export interface HttpMetricsOptions {
  /** The app's routes (`app.routes`), read once, at the first request, when every route is registered. */
  routes: () => readonly RouteEntry[];
  /** The router served at `/trpc`: its procedures' paths (`workflowRuns.list`) are the only names a `/trpc` label may hold. */
  trpcRouter: AnyRouter;
}

/**
 * Times every request into `http_request_duration_seconds`, labelled by method, route template
 * and status, until its response headers (a streamed body may go on after). Mounted first, so it
 * covers the whole chain, the 401s and 404s included. On the hot path it costs a timer, a set
 * lookup (or a few regular expressions for `:param` routes) and one histogram observation.
 *
 * @example
 * app.use('*', httpMetrics(metrics, { routes: () => app.routes, trpcRouter: appRouter }));
 */
export function httpMetrics(metrics: ServerMetrics, options: HttpMetricsOptions): MiddlewareHandler<AppEnv> {
  const procedures = listProcedures(options.trpcRouter).map((procedure) => procedure.path);
  let label: ((path: string) => string) | undefined;
  return async function httpMetricsHandler(c, next) {
    const started = performance.now();
    await next();
    label ??= createRouteLabeller(options.routes(), procedures);
    metrics.observeRequest(c.req.method, label(c.req.path), c.res.status, (performance.now() - started) / 1000);
  };
}
