import { trpcServer } from '@hono/trpc-server';
import { type AuthConfig, appRouter, createSerialQueue } from '@runhub/router';
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { errorFields, type Logger } from '../logger.js';
import { identify } from '../middleware/admin-auth.js';
import { type ContextDependencies, requestContext } from '../request-context.js';

export interface TrpcOptions {
  auth: AuthConfig;
  context: ContextDependencies;
  logger: Logger;
  /** The calls one batch may hold (`TRPC_MAX_BATCH_SIZE`); more is a 400. */
  maxBatchSize: number;
}

/**
 * `/trpc/*`: credentials first, as under the REST prefix (an anonymous caller is answered 401
 * before the path is looked up, so it learns nothing of which procedures exist), batches of at
 * most `maxBatchSize` calls, and a batch's calls run one after another (`ctx.serialize`), so one
 * request holds at most one database connection however many calls it carries.
 */
export function mountTrpc(app: Hono<AppEnv>, options: TrpcOptions): void {
  app.use('/trpc/*', identify(options.auth), async (c, next) => {
    if (c.get('actor')) {
      // Read here (Hono keeps it for the adapter), so a body the client abandons fails in the app's
      // error handler, as on REST, and not as a procedure's internal error.
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await c.req.text();
      return next();
    }
    const error = new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid credentials' });
    const shape = getErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: undefined, input: undefined, ctx: undefined });
    return c.json({ error: shape }, 401);
  });
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      maxBatchSize: options.maxBatchSize,
      createContext: (_opts, c) => requestContext(c, options.context, createSerialQueue()),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') options.logger.error('procedure failed', { procedure: path, ...errorFields(error) });
      },
    }),
  );
}
