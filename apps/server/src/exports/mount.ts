import { classifyDatabaseError, describeError, type ErrorIssue, hasPermission, issuesFromZod, type ListExport } from '@runhub/router';
import { TRPCError } from '@trpc/server';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { fail, failWith } from '../envelope.js';
import { errorFields, type Logger } from '../logger.js';
import { type ContextDependencies, requestContext } from '../request-context.js';
import { readQuery } from '../rest/adapter.js';
import type { RestProcedure } from '../rest/routes.js';
import { EXPORT_FORMATS, type ExportFormat, exportEncoding } from './encode.js';
import { exportStream } from './stream.js';

export interface ExportOptions {
  procedures: readonly RestProcedure[];
  context: ContextDependencies;
  logger: Logger;
  /** Rows per page of the walk; the router's default (1,000) unless a test wants many small pages. */
  pageSize?: number;
}

/** A list that declares an export, with what its route needs. */
export interface ExportRoute {
  procedure: RestProcedure;
  spec: ListExport;
  /** The list's row fields, in order: the CSV header. */
  fields: readonly string[];
  /** The schema of one row, for the OpenAPI document. */
  row: z.ZodObject;
}

/** The query parameters of an export besides the list's filters. */
const zFormat = z.enum(EXPORT_FORMATS).default('ndjson');
/** Paging belongs to the list; an export returns every row, so these are mistakes. */
const PAGING_FIELDS = ['cursor', 'limit'] as const;

/** Every list that declares `meta.export`, with its row schema; throws at start-up if a declaration does not fit its list. */
export function listExportRoutes(procedures: readonly RestProcedure[]): ExportRoute[] {
  return procedures.flatMap((procedure) => {
    const spec = procedure.export;
    if (!spec) return [];
    const output = procedure.output instanceof z.ZodObject ? procedure.output.shape[spec.rows] : undefined;
    const row = output instanceof z.ZodArray ? output.element : undefined;
    if (!(row instanceof z.ZodObject) || !procedure.input) {
      throw new Error(`${procedure.procedurePath}: its export needs an input schema and '${spec.rows}' to be an array of objects in its output`);
    }
    return [{ procedure, spec, fields: Object.keys(row.shape), row }];
  });
}

/**
 * SPEC §7.5: `GET <list>/export` for every list whose meta declares an export. The list's own input
 * schema validates the filters (so a filter added to the list is exported as it is), a bad one
 * answers the JSON error envelope before any row, and the rows stream from a keyset walk of the
 * list's own query, a page at a time, as NDJSON (the default) or CSV. Each export writes one log
 * line with its route, format, row count and outcome; none writes an audit row.
 * Mounted before the REST adapter: `/export` is a static path and must win over `/:id`.
 */
export function mountExports(app: Hono<AppEnv>, options: ExportOptions): void {
  for (const route of listExportRoutes(options.procedures)) {
    app.get(route.spec.path, (c) => serveExport(c, route, options));
    app.all(route.spec.path, (c) => failWith(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use GET`, { headers: { Allow: 'GET' } }));
  }
}

async function serveExport(c: Context<AppEnv>, route: ExportRoute, options: ExportOptions): Promise<Response> {
  const started = performance.now();
  const ctx = requestContext(c, options.context);
  if (!ctx.actor) return failWith(c, 'UNAUTHORIZED', 'Missing or invalid credentials');
  if (!hasPermission(ctx.actor, 'inhouse.read')) return failWith(c, 'FORBIDDEN', 'This action needs the inhouse.read permission');

  const parsed = parseQuery(readQuery(c, route.procedure), route);
  if ('issues' in parsed) {
    const [first] = parsed.issues;
    return failWith(c, 'BAD_REQUEST', first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input', { details: { issues: parsed.issues } });
  }
  const { format, input } = parsed;
  const log = { requestId: c.get('requestId'), route: route.spec.path, format };
  const pages = route.spec.pages(ctx, input, options.pageSize);
  let first: IteratorResult<readonly object[], void>;
  try {
    first = await pages.next();
  } catch (error) {
    const { status, body } = failureOf(error);
    if (status >= 500) options.logger.error('export failed', { ...log, rows: 0, ...errorFields(error) });
    return fail(c, status, body);
  }

  const encoding = exportEncoding(format, route.fields);
  const body = exportStream({
    first: first.done ? [] : first.value,
    pages,
    preamble: encoding.preamble,
    encode: encoding.page,
    onEnd: (outcome, rows, error) => {
      const fields = { ...log, rows, outcome, durationMs: Math.round(performance.now() - started) };
      if (outcome === 'failed') options.logger.error('export failed', { ...fields, ...errorFields(error) });
      else options.logger.info('export', fields);
    },
  });
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  return c.body(body, 200, {
    'content-type': encoding.contentType,
    'content-disposition': `attachment; filename="${route.spec.fileName}-${stamp}.${encoding.extension}"`,
    'cache-control': 'no-store',
  });
}

/** The format and the list's parsed filters, or every issue found: paging fields, the format, the filters. */
function parseQuery(query: Record<string, unknown>, route: ExportRoute): { format: ExportFormat; input: unknown } | { issues: ErrorIssue[] } {
  const { format: rawFormat, cursor, limit, ...filters } = query;
  const issues: ErrorIssue[] = PAGING_FIELDS.filter((field) => ({ cursor, limit })[field] !== undefined).map((path) => ({
    path,
    message: `an export has no ${path}: it returns every row in the list's order`,
  }));
  const format = zFormat.safeParse(rawFormat);
  if (!format.success) issues.push({ path: 'format', message: 'must be ndjson or csv' });
  const input = route.procedure.input?.safeParse(filters);
  if (input && !input.success) issues.push(...issuesFromZod(input.error));
  if (issues.length > 0 || !format.success || !input?.success) return { issues };
  return { format: format.data, input: input.data };
}

/** What a failure before the first row answers: SPEC §5's status for it, in the envelope. */
function failureOf(error: unknown): ReturnType<typeof describeError> {
  const kind = classifyDatabaseError(error);
  if (kind === 'unavailable') return describeError(new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'database unavailable', cause: error }));
  if (kind === 'bad_input') return describeError(new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input value', cause: error }));
  return describeError(error instanceof TRPCError ? error : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }));
}
