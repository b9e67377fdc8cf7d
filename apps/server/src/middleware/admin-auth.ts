import { type AuthConfig, authenticate } from '@runhub/router';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { failWith } from '../envelope.js';

/**
 * Credentials first (SPEC §3's order): a request under the admin prefix without valid
 * credentials is answered 401 before its route is even looked up, so an anonymous caller
 * cannot map which paths exist.
 *
 * @example
 * app.use('/v1/admin/inhouse/*', adminAuth(config));
 */
export function adminAuth(config: AuthConfig): MiddlewareHandler<AppEnv> {
  return async function adminAuthHandler(c, next) {
    const actor = await authenticate(c.req.raw.headers, config);
    if (!actor) return failWith(c, 'UNAUTHORIZED', 'Missing or invalid credentials');
    c.set('actor', actor);
    await next();
  };
}
