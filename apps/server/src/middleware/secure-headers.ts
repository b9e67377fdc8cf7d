import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { carriesEveryHeader, SECURE_HEADERS } from '../response.js';

export { SECURE_HEADERS };

/**
 * Puts the security headers on every response. The app's JSON responses (`jsonResponse`: the
 * envelope, the probes) are built with them in one plain record; every other response (the tRPC
 * adapter's, the console's files, the docs) gets them on its headers when the handler is done.
 *
 * @example
 * app.use('*', secureHeaders());
 */
export function secureHeaders(): MiddlewareHandler<AppEnv> {
  return async function secureHeadersHandler(c, next) {
    await next();
    if (carriesEveryHeader(c.res)) return;
    const headers = c.res.headers;
    for (const [name, value] of SECURE_HEADERS) headers.set(name, value);
  };
}
