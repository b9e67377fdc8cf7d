import { type AuthConfig, authenticate } from '@runhub/router';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { failWith } from '../envelope.js';

/**
 * Proves who is calling (SPEC §4) and keeps the actor on the context, null without valid
 * credentials. Both transports read it from there.
 *
 * @example
 * app.use('/trpc/*', identify(config));
 */
export function identify(config: AuthConfig): MiddlewareHandler<AppEnv> {
  return async function identifyHandler(c, next) {
    c.set('actor', await authenticate(c.req.raw.headers, config));
    await next();
  };
}

/**
 * Credentials first (SPEC §3's order): a request under the admin prefix without valid
 * credentials is answered 401 before its route is even looked up, so an anonymous caller
 * cannot map which paths exist.
 *
 * @example
 * app.use('/v1/admin/inhouse/*', identify(config), requireCredentials());
 */
export function requireCredentials(): MiddlewareHandler<AppEnv> {
  return async function requireCredentialsHandler(c, next) {
    if (!c.get('actor')) return failWith(c, 'UNAUTHORIZED', 'Missing or invalid credentials');
    await next();
  };
}
