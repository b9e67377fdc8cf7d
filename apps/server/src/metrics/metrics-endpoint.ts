import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { ServerMetrics } from './server-metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics` (SPEC §10): the registry in Prometheus' text format, no envelope. Open without
 * tokens; with some (`METRICS_TOKEN`, several during a rotation), only `Authorization: Bearer
 * <token>` reads it, compared in constant time with its length hidden, and anything else answers a
 * plain-text 401.
 *
 * @example
 * mountMetrics(app, metrics, { tokens: config.metricsTokens });
 */
export function mountMetrics(app: Hono<AppEnv>, metrics: ServerMetrics, options: { tokens?: readonly string[] } = {}): void {
  const accepted = (options.tokens ?? []).map(digest);
  app.get(METRICS_PATH, async (c) => {
    if (accepted.length > 0 && !bearerMatches(c.req.header('authorization'), accepted)) {
      return c.text('Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', 401, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  });
}

function bearerMatches(header: string | undefined, accepted: readonly Buffer[]): boolean {
  const given = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (given === undefined) return false;
  const hash = digest(given);
  // Every accepted token is compared, so the time taken does not say which one matched.
  return accepted.map((token) => timingSafeEqual(hash, token)).includes(true);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
