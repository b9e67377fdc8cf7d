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
 * Every procedure's one middleware, before its input is parsed: 401 without valid credentials, 403
 * without the permission (SPEC §3: before validation), then the call in the request's turn when the
 * transport asks for one (`ctx.serialize`), and database failures as 503 (unreachable, timed out)
 * or 400 (a malformed value that slipped past validation), here once instead of after every query.
 * One middleware, not three: tRPC copies the call's options twice for each middleware of a
 * procedure, on every call (`pnpm bench`'s profile: the largest item of its cost on REST).
 */
function guarded(permission: Permission) {
  return t.middleware(async ({ ctx, next }) => {
    const actor = ctx.actor;
    if (!actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid credentials' });
    if (!hasPermission(actor, permission)) throw new TRPCError({ code: 'FORBIDDEN', message: `This action needs the ${permission} permission` });
    const call = async () => {
      const result = await next({ ctx: { actor } });
      if (!result.ok) {
        const kind = classifyDatabaseError(result.error.cause);
        if (kind === 'unavailable') throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'database unavailable', cause: result.error.cause });
        if (kind === 'bad_input') throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input value', cause: result.error.cause });
      }
      return result;
    };
    return ctx.serialize ? ctx.serialize(call) : call();
  });
}

/** For reads: needs `inhouse.read`. */
export const readProcedure = t.procedure.use(guarded('inhouse.read'));
/** For writes: needs `inhouse.write`; a write changes the database only through `auditedWrite`, which records its audit rows in the change's transaction. */
export const writeProcedure = t.procedure.use(guarded('inhouse.write'));

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
