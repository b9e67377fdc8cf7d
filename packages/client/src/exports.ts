import type { RouterInputs, RouterOutputs } from '@runhub/router';
import type { AdminErrorCode } from './errors.js';
import { type AdminClientOptions, requestHeaders } from './options.js';

/** The lists that have an export (SPEC §7.5), and where it is served; the server's test checks this table against its routes. */
export const EXPORT_PATHS = {
  workflowRuns: '/v1/admin/inhouse/workflow-runs/export',
  businessEvents: '/v1/admin/inhouse/business-events/export',
  auditLog: '/v1/admin/inhouse/audit-log/export',
} as const;

export type ExportableList = keyof typeof EXPORT_PATHS;

/** The export's filters: the list's own input without its paging. */
export type ExportFilters<L extends ExportableList> = Omit<RouterInputs[L]['list'], 'limit' | 'cursor'>;

/** One exported row: exactly a row of the list. */
export interface ExportRowOf {
  workflowRuns: RouterOutputs['workflowRuns']['list']['runs'][number];
  businessEvents: RouterOutputs['businessEvents']['list']['events'][number];
  auditLog: RouterOutputs['auditLog']['list']['entries'][number];
}
export type ExportRow<L extends ExportableList> = ExportRowOf[L];

/** An export the server refused before sending any row: its SPEC §5 code, status and details (`issues` of a 400). */
export class AdminExportError extends Error {
  override readonly name = 'AdminExportError';
  readonly data: { code: AdminErrorCode; httpStatus: number; details?: Record<string, unknown> };

  constructor(message: string, data: AdminExportError['data']) {
    super(message);
    this.data = data;
  }
}

/**
 * Every row a list's filters select, streamed from its export route as NDJSON and parsed line by
 * line into typed rows, in the list's order. Memory stays at a chunk; breaking out of the loop (or
 * `signal`) closes the request, and the server stops its walk. A refused export (bad filter,
 * credentials, permission) throws an `AdminExportError` before any row; a transfer broken midway
 * throws the fetch's own error, so a partial export never passes for a complete one.
 *
 * @example
 * for await (const run of exportRows({ baseUrl, token }, 'workflowRuns', { status: 'failed' })) {
 *   console.log(run.id, run.requestedAt);
 * }
 */
export async function* exportRows<L extends ExportableList>(
  options: AdminClientOptions,
  list: L,
  filters: ExportFilters<L> = {} as ExportFilters<L>,
  init: { signal?: AbortSignal } = {},
): AsyncGenerator<ExportRow<L>, void, undefined> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters as Record<string, unknown>)) {
    if (value !== undefined && value !== null) query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const search = query.toString() ? `?${query}` : '';
  const response = await (options.fetch ?? globalThis.fetch)(`${options.baseUrl.replace(/\/+$/, '')}${EXPORT_PATHS[list]}${search}`, {
    headers: await requestHeaders(options),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!response.ok || !response.body) throw await refusal(response);

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = done ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line !== '') yield JSON.parse(line) as ExportRow<L>;
      if (done) return;
    }
  } finally {
    // Stops the transfer when the loop breaks early; a no-op once the body has ended.
    await reader.cancel().catch(() => undefined);
  }
}

async function refusal(response: Response): Promise<AdminExportError> {
  const text = await response.text().catch(() => '');
  let error: { code?: unknown; message?: unknown; details?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  const code = typeof error?.code === 'string' ? (error.code as AdminErrorCode) : 'INTERNAL_SERVER_ERROR';
  const details = typeof error?.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
  const message = typeof error?.message === 'string' ? error.message : `The export answered ${response.status}`;
  return new AdminExportError(message, { code, httpStatus: response.status, ...(details ? { details } : {}) });
}
