import { type ListExport, listProcedures, type ProcedureEntry, type RestRoute } from '@runhub/router';
import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';

/** One REST route, derived from a procedure's meta: the single table of truth for the adapter and OpenAPI. */
export interface RestProcedure {
  /** The tRPC path, e.g. `workflowRuns.list`. */
  procedurePath: string;
  route: RestRoute;
  /** The procedure's input schema (the last `.input()`), when it has one. */
  input: z.ZodType | undefined;
  /** The output schema, when it declares one. */
  output: z.ZodType | undefined;
  /** Input fields that are numbers: query-string values for them are read as numbers. */
  numericFields: ReadonlySet<string>;
  /** Input fields that are booleans: query-string values `true` and `false` for them are read as booleans. */
  booleanFields: ReadonlySet<string>;
  /** The list's export route, when its meta declares one (served by `mountExports`). */
  export: ListExport | undefined;
  call: ProcedureEntry['call'];
}

/** The procedures that declare a REST route, static paths before parameterised ones. */
export function listRestProcedures(router: AnyRouter): RestProcedure[] {
  const routes: RestProcedure[] = [];
  for (const procedure of listProcedures(router)) {
    const route = procedure.meta?.rest;
    if (!route) continue;
    routes.push({
      procedurePath: procedure.path,
      route,
      input: procedure.input,
      output: procedure.output,
      numericFields: procedure.input ? fieldsOfType(procedure.input, ['integer', 'number']) : new Set(),
      booleanFields: procedure.input ? fieldsOfType(procedure.input, ['boolean']) : new Set(),
      export: procedure.meta?.export,
      call: procedure.call,
    });
  }
  // Hono tries handlers in the order they were added: `/business-events/stats` must win over `/business-events/:id`.
  return routes.sort((a, b) => Number(a.route.path.includes(':')) - Number(b.route.path.includes(':')));
}

/** The input's top-level fields whose JSON Schema type is one of `wanted`. */
function fieldsOfType(schema: z.ZodType, wanted: readonly string[]): Set<string> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string | string[] }>;
  };
  const fields = new Set<string>();
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    const types = ([] as string[]).concat(property.type ?? []);
    if (types.some((type) => wanted.includes(type))) fields.add(name);
  }
  return fields;
}
