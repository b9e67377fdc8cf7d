import type { Database } from '@runhub/db';
import { type Clock, createContextInner, type Context as ProcedureContext, type RollupAccess, type Serialize } from '@runhub/router';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from './env.js';

/** What every request's context shares: created once by the server (or a test) and passed in. */
export interface ContextDependencies {
  db: Kysely<Database>;
  rollup: RollupAccess;
  /** The database's clock when absent. */
  clock?: Clock | undefined;
}

/**
 * The procedures' context for one request, on `/trpc` and REST alike: the actor and request id
 * the middleware put on the Hono context, and the shared dependencies.
 *
 * @example
 * trpcServer({ router: appRouter, createContext: (_opts, c) => requestContext(c, deps) });
 */
export function requestContext(c: Context<AppEnv>, deps: ContextDependencies, serialize?: Serialize): ProcedureContext {
  return createContextInner({
    db: deps.db,
    rollup: deps.rollup,
    clock: deps.clock,
    actor: c.get('actor'),
    requestId: c.get('requestId'),
    ...(serialize ? { serialize } : {}),
  });
}
