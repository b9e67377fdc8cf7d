import { describeError } from '@runhub/router';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { fail, failWith, ok } from '../envelope.js';
import { errorFields, type Logger } from '../logger.js';
import { BODY_TOO_LARGE, readBodyText } from '../request-body.js';
import { type ContextDependencies, requestContext } from '../request-context.js';
import type { RestProcedure } from './routes.js';

export interface RestAdapterOptions {
  procedures: readonly RestProcedure[];
  context: ContextDependencies;
  logger: Logger;
  /** The admin prefix under which unknown paths answer 404 in the envelope. */
  prefix: string;
  /** The largest body a write takes (413 beyond it); the adapter reads and bounds bodies itself (`readBodyText`). */
  maxBodyBytes: number;
}

/**
 * Serves every procedure that declares `meta.rest` at its REST path, in SPEC's envelope. The input
 * is the query string (GET) or the JSON body (POST), with path parameters merged over it; the
 * procedure itself validates it, so REST and `/trpc` share one contract. Known paths with another
 * method answer 405, unknown paths under the prefix 404.
 */
export function mountRestAdapter(app: Hono<AppEnv>, options: RestAdapterOptions): void {
  // Each path's handlers, then its 405, path by path in the table's order (static paths first), so
  // that `GET /workflow-runs/bulk-retry` meets the 405 of `/bulk-retry` before `GET /workflow-runs/:id`.
  const byPath = new Map<string, RestProcedure[]>();
  for (const procedure of options.procedures) byPath.set(procedure.route.path, [...(byPath.get(procedure.route.path) ?? []), procedure]);
  for (const [path, procedures] of byPath) {
    for (const procedure of procedures) {
      app.on(procedure.route.method, path, async (c) => {
        const input = await readInput(c, procedure, options.maxBodyBytes);
        if (input instanceof Response) return input;
        try {
          return ok(c, await procedure.call(requestContext(c, options.context), input));
        } catch (thrown) {
          const error = getTRPCErrorFromUnknown(thrown);
          const { status, body } = describeError(error);
          if (status >= 500)
            options.logger.error('procedure failed', { requestId: c.get('requestId'), procedure: procedure.procedurePath, ...errorFields(error) });
          return fail(c, status, body);
        }
      });
    }
    const methods = procedures.map((procedure) => procedure.route.method);
    const allow = { Allow: methods.join(', ') };
    app.all(path, (c) => failWith(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use ${methods.join(' or ')}`, { headers: allow }));
  }
  app.all(`${options.prefix}/*`, (c) => failWith(c, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}`));
}

/** The procedure's raw input, or the 400 response for a body that is not a JSON object. */
async function readInput(c: Context<AppEnv>, procedure: RestProcedure, maxBodyBytes: number): Promise<Record<string, unknown> | Response> {
  const params = c.req.param() as Record<string, string>;
  if (procedure.route.method === 'GET') return { ...readQuery(c, procedure), ...params };

  const text = await readBodyText(c, maxBodyBytes);
  if (text === BODY_TOO_LARGE) return failWith(c, 'PAYLOAD_TOO_LARGE', `The body exceeds ${maxBodyBytes} bytes`);
  if (text.trim() === '') return { ...params };
  const contentType = c.req.header('content-type') ?? '';
  // application/json exactly, with parameters (charset) or none: not application/json-seq, nor any +json type.
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return failWith(c, 'BAD_REQUEST', 'The body must be JSON, sent with Content-Type: application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failWith(c, 'BAD_REQUEST', 'The body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return failWith(c, 'BAD_REQUEST', 'The body must be a JSON object');
  }
  return { ...(body as Record<string, unknown>), ...params };
}

/**
 * Query values are strings; a repeated key becomes an array (which the schema then rejects where
 * it expects one value). An empty value is no value (SPEC part two: forms and proxies send unset
 * filters as `?status=`), so `?status=&limit=` is the default first page. Fields the schema types
 * as numbers are read as numbers when they are plain decimal integers, fields it types as booleans
 * as booleans when they are `true` or `false`; anything else stays text so the schema names the problem.
 */
export function readQuery(c: Context<AppEnv>, fields: Pick<RestProcedure, 'numericFields' | 'booleanFields'>): Record<string, unknown> {
  const query: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, values] of Object.entries(c.req.queries())) {
    const read = values.filter((value) => value !== '').map((value) => typed(key, value, fields));
    if (read.length > 0) query[key] = read.length === 1 ? read[0] : read;
  }
  return query;
}

function typed(key: string, value: string, fields: Pick<RestProcedure, 'numericFields' | 'booleanFields'>): unknown {
  if (fields.numericFields.has(key) && /^-?\d{1,15}$/.test(value)) return Number(value);
  if (fields.booleanFields.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
