import { ADMIN_TOKEN_HEADER, ADMIN_USER_HEADER, type ErrorCode, SESSION_COOKIE, STATUS_BY_CODE } from '@runhub/router';
import { EXPORT_FORMATS } from '../exports/encode.js';
import { type ExportRoute, listExportRoutes } from '../exports/mount.js';
import type { RestProcedure } from '../rest/routes.js';
import { ComponentSchemas, type JsonSchema } from './json-schema.js';

export interface OpenApiOptions {
  /** The body limit the server enforces, for the 413 description. */
  maxBodyBytes: number;
}

/** An OpenAPI 3.1 document, as plain JSON. */
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  security: Record<string, string[]>[];
  tags: { name: string }[];
};

type Operation = { operationId: string; responses: Record<string, unknown>; [field: string]: unknown };
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; description?: string; schema: JsonSchema };

const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Invalid input (query, path or body); `error.details.issues` names each field',
  UNAUTHORIZED: 'No credentials, or invalid ones',
  FORBIDDEN: 'Valid credentials without the permission this endpoint needs',
  NOT_FOUND: 'Unknown id or project',
  METHOD_NOT_ALLOWED: 'A known path with another method',
  CONFLICT: "The target's state forbids the write",
  PAYLOAD_TOO_LARGE: 'The body is over the size limit',
  INTERNAL_SERVER_ERROR: 'A bug: a generic message; the server log has the detail',
  SERVICE_UNAVAILABLE: 'The database cannot be reached; retry shortly',
};

/**
 * The OpenAPI 3.1 document of the REST routes, built from the same procedure meta and zod
 * schemas the REST adapter serves, so the two cannot drift: a procedure that declares
 * `meta.rest` is documented with no further work.
 *
 * @example
 * const document = buildOpenApiDocument(listRestProcedures(appRouter), { maxBodyBytes: 65536 });
 */
export function buildOpenApiDocument(procedures: readonly RestProcedure[], options: OpenApiOptions): OpenApiDocument {
  const schemas = new ComponentSchemas();
  const responses = errorResponses(schemas, options);
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const procedure of procedures) {
    const path = procedure.route.path.replace(/:(\w+)/g, '{$1}');
    const tag = tagOf(procedure.procedurePath);
    tags.add(tag);
    paths[path] = { ...paths[path], [procedure.route.method.toLowerCase()]: operationOf(procedure, tag, schemas) };
  }
  // The exports are plain HTTP routes (not enveloped, not procedures), derived from the same meta.
  for (const route of listExportRoutes(procedures)) {
    paths[route.spec.path] = { get: exportOperationOf(route, tagOf(route.procedure.procedurePath), schemas) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Run Hub Admin API', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: schemas.all(),
      responses,
      securitySchemes: {
        adminToken: { type: 'apiKey', in: 'header', name: ADMIN_TOKEN_HEADER, description: 'An admin token (one of `ADMIN_TOKEN`): both permissions.' },
        adminSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The admin panel session: an HS256 JWT with `sub`, `permissions` and `exp`.',
        },
      },
    },
    security: [{ adminToken: [] }, { adminSession: [] }],
    tags: [...tags].sort().map((name) => ({ name })),
  };
}

/** SPEC §7.5's export of a list: the list's filters (no paging) and `format`, streamed as NDJSON or CSV. */
function exportOperationOf(route: ExportRoute, tag: string, schemas: ComponentSchemas): Operation {
  const { procedure, spec } = route;
  const parameters: Parameter[] = queryParameters(procedure, schemas).filter((parameter) => parameter.name !== 'limit' && parameter.name !== 'cursor');
  parameters.push({
    name: 'format',
    in: 'query',
    required: false,
    description:
      "`ndjson`: one JSON object per line, exactly as the list shows it. `csv`: a header of the field names, nested values as JSON text, null as an empty cell, cells starting with `=`, `+`, `-`, `@`, tab or carriage return prefixed with `'`.",
    schema: { type: 'string', enum: [...EXPORT_FORMATS], default: 'ndjson' },
  });
  const row = schemas.fromZod(route.row, 'output', `${procedure.procedurePath}.exportRow`);
  const responses: Record<string, unknown> = {
    '200': {
      description: "Every matching row in the list's order, streamed (not enveloped). A failure after the first row breaks the transfer.",
      headers: {
        'Content-Disposition': { description: `\`attachment; filename="${spec.fileName}-<UTC time>.<ndjson|csv>"\``, schema: { type: 'string' } },
      },
      content: {
        'application/x-ndjson': { schema: { ...row, description: 'One line per row: a JSON object of this shape.' } },
        'text/csv': { schema: { type: 'string', description: `A header row (${route.fields.join(', ')}), then one row per record.` } },
      },
    },
  };
  for (const code of ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'] as const) {
    responses[String(STATUS_BY_CODE[code])] = { $ref: `#/components/responses/${responseName(code)}` };
  }
  return {
    operationId: `${operationIdOf(procedure.procedurePath)}Export`,
    summary: spec.summary,
    description:
      `Needs the \`inhouse.read\` permission; writes no audit row. The filters of \`${procedure.route.path}\` (\`cursor\` or \`limit\` is a 400); ` +
      'a bad filter answers the JSON error envelope before any row. Rows stream from a keyset walk of the list, a page at a time.',
    tags: [tag],
    parameters,
    responses,
  };
}

/** A GET route's query parameters: its input's fields that are not path parameters. */
function queryParameters(procedure: RestProcedure, schemas: ComponentSchemas): Parameter[] {
  const pathParams = new Set([...procedure.route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string));
  const input = procedure.input ? schemas.fromZod(procedure.input, 'input', procedure.procedurePath) : undefined;
  const required = new Set((input?.required ?? []) as string[]);
  return Object.entries((input?.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([name]) => !pathParams.has(name))
    .map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

function operationOf(procedure: RestProcedure, tag: string, schemas: ComponentSchemas): Operation {
  const { method, path, summary } = procedure.route;
  const isWrite = method === 'POST';
  const pathParams = new Set([...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string));
  const input = procedure.input ? schemas.fromZod(procedure.input, 'input', procedure.procedurePath) : undefined;
  const fields = (input?.properties ?? {}) as Record<string, JsonSchema>;

  const parameters: Parameter[] = [...pathParams].map((name) => ({ name, in: 'path', required: true, schema: fields[name] ?? { type: 'string' } }));
  let requestBody: unknown;
  if (isWrite) {
    parameters.push({
      name: ADMIN_USER_HEADER,
      in: 'header',
      required: false,
      description: 'The signed-in admin a token holder acts for: the audit row names them.',
      schema: { type: 'string' },
    });
    const body = withoutFields(input ?? { type: 'object', properties: {} }, pathParams);
    const bodyRequired = Array.isArray(body.required) && body.required.length > 0;
    requestBody = { required: bodyRequired, content: { 'application/json': { schema: body } } };
  } else {
    parameters.push(...queryParameters(procedure, schemas));
  }

  const data = procedure.output ? schemas.fromZod(procedure.output, 'output', procedure.procedurePath) : {};
  const statuses: ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];
  if (procedure.input || isWrite) statuses.push('BAD_REQUEST');
  // Writes act on a target (a run, a project); reads only 404 when the path names one.
  if (pathParams.size > 0 || isWrite) statuses.push('NOT_FOUND');
  if (isWrite) statuses.push('CONFLICT', 'PAYLOAD_TOO_LARGE');
  statuses.push('INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE');

  const responses: Record<string, unknown> = {
    '200': {
      description: 'Success',
      content: {
        'application/json': {
          schema: { type: 'object', properties: { ok: { const: true }, data }, required: ['ok', 'data'], additionalProperties: false },
        },
      },
    },
  };
  for (const code of statuses.sort((a, b) => STATUS_BY_CODE[a] - STATUS_BY_CODE[b])) {
    responses[String(STATUS_BY_CODE[code])] = { $ref: `#/components/responses/${responseName(code)}` };
  }
  return {
    operationId: operationIdOf(procedure.procedurePath),
    summary,
    description: `Needs the \`${isWrite ? 'inhouse.write' : 'inhouse.read'}\` permission. tRPC: \`${procedure.procedurePath}\` at \`/trpc\`.`,
    tags: [tag],
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** One response per SPEC §5 status, with the envelope's code fixed to that status's code. */
function errorResponses(schemas: ComponentSchemas, options: OpenApiOptions): Record<string, unknown> {
  const issue = schemas.define('Issue', {
    type: 'object',
    properties: { path: { type: 'string', description: 'The input field, dotted when nested' }, message: { type: 'string' } },
    required: ['path', 'message'],
    additionalProperties: false,
  });
  const details = schemas.define('ErrorDetails', {
    type: 'object',
    description: 'Facts about the error: `issues` for invalid input, the conflicting id for a conflict (e.g. `retryRunId`).',
    properties: { issues: { type: 'array', items: issue } },
  });
  const responses: Record<string, unknown> = {};
  for (const [code, status] of Object.entries(STATUS_BY_CODE) as [ErrorCode, number][]) {
    const name = responseName(code);
    const envelope = schemas.define(`${name}Envelope`, {
      type: 'object',
      properties: {
        ok: { const: false },
        error: {
          type: 'object',
          properties: { code: { const: code }, message: { type: 'string' }, details },
          required: ['code', 'message'],
          additionalProperties: false,
        },
      },
      required: ['ok', 'error'],
      additionalProperties: false,
    });
    const description = code === 'PAYLOAD_TOO_LARGE' ? `The body is over ${options.maxBodyBytes} bytes` : ERROR_DESCRIPTIONS[code];
    responses[name] = { description: `${status}: ${description}`, content: { 'application/json': { schema: envelope } } };
  }
  return responses;
}

function withoutFields(schema: JsonSchema, names: ReadonlySet<string>): JsonSchema {
  const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, unknown>).filter(([name]) => !names.has(name)));
  const required = ((schema.required ?? []) as string[]).filter((name) => !names.has(name));
  const { required: _required, ...rest } = schema;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

/** `BAD_REQUEST` → `BadRequest`. */
function responseName(code: ErrorCode): string {
  return code.toLowerCase().replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase());
}

/** `workflowRuns.list` → `workflowRunsList`: an identifier in any language a client generator writes. */
export function operationIdOf(procedurePath: string): string {
  return procedurePath.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** `workflowRuns.list` → `workflow-runs`. */
function tagOf(procedurePath: string): string {
  return (procedurePath.split('.')[0] ?? procedurePath).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const DESCRIPTION = `The admin API behind the Run Hub admin panel. Every response under \`/v1/admin/inhouse\` is JSON in an envelope:
\`{"ok": true, "data": …}\` on success, \`{"ok": false, "error": {"code", "message", "details"?}}\` on failure.

**Authentication**: the \`${ADMIN_TOKEN_HEADER}\` header (an admin token; when present it alone decides) or the
\`${SESSION_COOKIE}\` cookie (the admin panel's session). Reads need \`inhouse.read\`, writes \`inhouse.write\`.

**Checks run in order** and the first failure answers: credentials (401), route and method (404, 405: a known path
with another method, with an \`Allow\` header), permission (403), input (400), the target (404), its state (409).

**Lists** are keyset-paged: pass the \`nextCursor\` of a page as \`cursor\` to get the next; it is \`null\` on the last page.
A query parameter sent empty (\`?status=\`) is absent. **Exports** (\`…/export\`) stream every row of a list as NDJSON or CSV.
Timestamps are ISO 8601 in UTC (\`…Z\`); absent values are \`null\`, never omitted.

The same procedures are served to the typed SDK (\`@runhub/client\`) at \`/trpc\`.

**Operations** (outside \`paths\`: neither JSON nor enveloped, and not under the admin credentials): \`GET /healthz\` (the
process is up), \`GET /readyz\` (the database answers; 503 when not), \`GET /metrics\` (Prometheus text format; open, or
\`Authorization: Bearer <METRICS_TOKEN>\` when that is set, else a plain-text 401).`;
