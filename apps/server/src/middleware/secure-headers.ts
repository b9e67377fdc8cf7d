import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/**
 * The block `hono/secure-headers` sends with its defaults (no CSP: the pages that need one set their
 * own), as one constant list. `secure-headers.test.ts` checks it against that middleware's output.
 */
export const SECURE_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/**
 * Puts the security headers on every response. Set on the context before the handler runs, so the
 * response is built with them: setting them on the finished response (as `hono/secure-headers`
 * does) makes `@hono/node-server` turn its lightweight response into a full fetch `Response` on
 * every request. Responses made outside the context (the tRPC adapter's) get them afterwards.
 *
 * @example
 * app.use('*', secureHeaders());
 */
export function secureHeaders(): MiddlewareHandler<AppEnv> {
  const [first] = SECURE_HEADERS;
  return async function secureHeadersHandler(c, next) {
    for (const [name, value] of SECURE_HEADERS) c.header(name, value);
    await next();
    if (first && !c.res.headers.has(first[0])) for (const [name, value] of SECURE_HEADERS) c.res.headers.set(name, value);
  };
}
