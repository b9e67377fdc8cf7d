import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import type { Logger } from '../logger.js';
import { carriesEveryHeader } from '../response.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request an id (the caller's `x-request-id` when it is sane, else a new one), echoes
 * it in the response, and logs one JSON line when the request ends: method, path without the
 * query string, status, duration. Headers are never logged, so tokens and cookies never reach the log.
 *
 * @example
 * app.use('*', requestLog(logger));
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLogHandler(c, next) {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('actor', null);
    await next();
    // The app's JSON responses carry it already (`jsonResponse`); every other one gets it here.
    if (!carriesEveryHeader(c.res)) c.res.headers.set('x-request-id', requestId);
    const actor = c.get('actor');
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(actor ? { adminId: actor.adminId } : {}),
    });
  };
}
