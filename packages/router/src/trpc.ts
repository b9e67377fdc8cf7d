import { initTRPC, TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { Permission } from './auth/actor.js';
import { hasPermission } from './auth/actor.js';
import type { Context } from './context.js';
import { classifyDatabaseError, describeError } from './errors.js';
import type { ListExport } from './exports.js';

/** Where a procedure is served besides `/trpc`: the REST adapter and the OpenAPI document read this. */
export interface RestRoute {
  method: 'GET' | 'POST';
  /** The full path, with `:name` segments for path parameters (merged into the input). */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
}

export interface ProcedureMeta {
  rest?: RestRoute;
  /** A list's export route (SPEC §7.5), served beside its REST route: see `listExport`. */
  export?: ListExport;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const { status, body } = describeError(error);
      return {
        message: body.message,
        code: shape.code,
        data: {
          code: body.code,
          httpStatus: status,
          path: shape.data.path,
          ...(body.details ? { details: body.details } : {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Database failures become 503 (unreachable, timed out) or 400 (a malformed value that slipped
 * past validation) here, once, instead of after every query.
 */
const mapDatabaseErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const kind = classifyDatabaseError(result.error.cause);
    if (kind === 'unavailable') throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'database unavailable', cause: result.error.cause });
    if (kind === 'bad_input') throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input value', cause: result.error.cause });
  }
  return result;
});

/** 401 without valid credentials, 403 without the permission; runs before input validation (SPEC §3). */
function requirePermission(permission: Permission) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid credentials' });
    if (!hasPermission(ctx.actor, permission)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This action needs the ${permission} permission` });
    }
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

/** One call of a request at a time when the transport asks for it (`ctx.serialize`): see `Context.serialize`. */
const inRequestTurn = t.middleware(({ ctx, next }) => (ctx.serialize ? ctx.serialize(() => next()) : next()));

const baseProcedure = t.procedure.use(inRequestTurn).use(mapDatabaseErrors);

/** For reads: needs `inhouse.read`. */
export const readProcedure = baseProcedure.use(requirePermission('inhouse.read'));
/** For writes: needs `inhouse.write`; a write changes the database only through `auditedWrite`, which records its audit rows in the change's transaction. */
export const writeProcedure = baseProcedure.use(requirePermission('inhouse.write'));

/** An output parser that documents its schema but trusts the value: see `trustedOutput`. */
export interface TrustedOutput<T extends z.ZodType> {
  parse: (value: unknown) => z.output<T>;
  readonly schema: T;
}

/**
 * A read's output schema, kept for the types, the OpenAPI document and the tests, but not run on
 * every answer: a read's value is built by its own typed query and mapper, so re-validating each
 * row of every page only costs time on the hot path. The suite validates live responses of every
 * route against the same schemas (`apps/server/src/openapi/openapi.test.ts`). Writes keep `.output(schema)`.
 *
 * @example
 * readProcedure.input(ZListRunsInput).output(trustedOutput(ZListRunsOutput)).query(…)
 */
export function trustedOutput<T extends z.ZodType>(schema: T): TrustedOutput<T> {
  return { parse: (value) => value as z.output<T>, schema };
}
