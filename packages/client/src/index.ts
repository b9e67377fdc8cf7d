import type { AppRouter } from '@runhub/router';
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import { type AdminClientOptions, DEFAULT_MAX_BATCH_SIZE, requestHeaders } from './options.js';

export type { AppRouter, RouterInputs, RouterOutputs } from '@runhub/router';
export { type AdminApiError, type AdminErrorCode, getAdminErrorCode, isAdminApiError } from './errors.js';
export { AdminExportError, EXPORT_PATHS, type ExportableList, type ExportFilters, type ExportRow, type ExportRowOf, exportRows } from './exports.js';
export { type AdminClientOptions, DEFAULT_MAX_BATCH_SIZE } from './options.js';
export { type CursorList, listPages } from './pages.js';

/** The typed client: `admin.<domain>.<procedure>.query(input)` for reads, `.mutate(input)` for writes. */
export type AdminClient = TRPCClient<AppRouter>;

/**
 * The typed admin SDK: every procedure with its input and output types.
 *
 * @example
 * const admin = createAdminClient({ baseUrl: 'http://localhost:8787', token: process.env.ADMIN_TOKEN });
 * const { runs, nextCursor } = await admin.workflowRuns.list.query({ status: 'failed', limit: 20 });
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/+$/, '')}/trpc`,
        headers: () => requestHeaders(options),
        maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export { TRPCClientError };
