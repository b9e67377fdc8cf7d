import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';
import type { Context } from './context.js';
import type { ProcedureMeta, TrustedOutput } from './trpc.js';

/** One procedure of a router, as the transports and the OpenAPI document see it. */
export interface ProcedureEntry {
  /** The tRPC path, e.g. `workflowRuns.list`. */
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: ProcedureMeta | undefined;
  /** The input schema (the last `.input()`), when it is a zod schema. */
  input: z.ZodType | undefined;
  /** The output schema, checked (`.output(schema)`) or trusted (`.output(trustedOutput(schema))`). */
  output: z.ZodType | undefined;
  /** Calls the procedure with its middlewares, validation and error handling, as `/trpc` would. */
  call(ctx: Context, input: unknown): Promise<unknown>;
}

/** What a procedure is called with (tRPC's `ProcedureCallOptions`, as its caller passes them). */
interface ProcedureCallOptions {
  path: string;
  ctx: Context;
  type: ProcedureEntry['type'];
  getRawInput: () => Promise<unknown>;
  signal: AbortSignal | undefined;
  batchIndex: number;
}

/** The part of a procedure's `_def` read here: tRPC's internals, kept in this one module. */
interface ProcedureDef {
  type: ProcedureEntry['type'];
  meta?: ProcedureMeta;
  inputs: unknown[];
  output?: unknown;
}

/**
 * Every procedure of `router`, flattened. tRPC does not document `_def`; this is the only place
 * that reads it, and `procedures.test.ts` fails loudly when an upgrade changes its shape.
 *
 * @example
 * const rest = listProcedures(appRouter).filter((p) => p.meta?.rest);
 */
export function listProcedures(router: AnyRouter): ProcedureEntry[] {
  const procedures: unknown = router._def?.procedures;
  if (!isRecord(procedures)) throw new Error('tRPC internals changed: router._def.procedures is not a record of procedures');
  return Object.entries(procedures).map(([path, procedure]) => {
    const def = procedureDef(path, procedure);
    if (typeof procedure !== 'function') throw new Error(`tRPC internals changed: procedure ${path} is not callable`);
    const invoke = procedure as (opts: ProcedureCallOptions) => Promise<unknown>;
    return {
      path,
      type: def.type,
      meta: def.meta,
      input: zodOrUndefined(def.inputs.at(-1)),
      output: outputSchemaOf(def.output),
      // What a caller made by `createCallerFactory` does for one call, without building its proxy
      // on every request: the middlewares, input parsing, output parser and errors are the procedure's own.
      call: (ctx, input) => invoke({ path, ctx, type: def.type, getRawInput: async () => input, signal: undefined, batchIndex: 0 }),
    };
  });
}

function procedureDef(path: string, procedure: unknown): ProcedureDef {
  const def: unknown = isRecord(procedure) || typeof procedure === 'function' ? (procedure as { _def?: unknown })._def : undefined;
  if (!isRecord(def) || !Array.isArray(def.inputs) || !['query', 'mutation', 'subscription'].includes(String(def.type))) {
    throw new Error(`tRPC internals changed: procedure ${path} has no _def with type and inputs`);
  }
  return def as unknown as ProcedureDef;
}

/** The zod schema behind an output parser, whether checked or trusted. */
function outputSchemaOf(parser: unknown): z.ZodType | undefined {
  if (parser instanceof z.ZodType) return parser;
  return zodOrUndefined((parser as Partial<TrustedOutput<z.ZodType>> | undefined)?.schema);
}

function zodOrUndefined(value: unknown): z.ZodType | undefined {
  return value instanceof z.ZodType ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
