import type { Context } from 'hono';
import type { AppEnv } from './env.js';

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

const SECURE_HEADER_RECORD: Readonly<Record<string, string>> = Object.fromEntries(SECURE_HEADERS);

/** The responses `jsonResponse` built: they carry the security block and the request id already. */
const complete = new WeakSet<Response>();

/**
 * A JSON response with every header the middlewares would add (the security block, the request
 * id) in one plain record: `@hono/node-server` writes a record as it is, where a fetch `Headers`
 * (what `c.header()` and `c.json()` build) is filled, validated and sorted on every request.
 * `extra` adds headers of its own (a 405's `Allow`): a header set with `c.header()` before is not
 * carried over (one written to `c.res.headers`, as the CORS middleware does, is: Hono merges it).
 */
export function jsonResponse(c: Context<AppEnv>, status: number, value: unknown, extra?: Readonly<Record<string, string>>): Response {
  const requestId = c.get('requestId');
  const response = new Response(JSON.stringify(value), {
    status,
    headers: { ...SECURE_HEADER_RECORD, 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}), ...extra },
  });
  complete.add(response);
  return response;
}

/** Whether `jsonResponse` built the response: the middlewares add their headers to every other one. */
export function carriesEveryHeader(response: Response): boolean {
  return complete.has(response);
}
