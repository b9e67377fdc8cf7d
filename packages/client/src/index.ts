import type { AppRouter } from '@runhub/router';
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';

export type { AppRouter, RouterInputs, RouterOutputs } from '@runhub/router';
export { type AdminApiError, type AdminErrorCode, getAdminErrorCode, isAdminApiError } from './errors.js';

export interface AdminClientOptions {
  /** Where the API is served, e.g. `http://localhost:8787` (the client calls `<baseUrl>/trpc`). */
  baseUrl: string;
  /** An admin token, sent as `x-sheen-admin-token`. Omit it to rely on the session cookie. */
  token?: string;
  /** The signed-in admin, sent as `x-sheen-admin-user-id` so audit rows name them. */
  adminUserId?: string;
  /** Extra headers on every request (a forwarded cookie, say), or a function that makes them. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** The fetch to use; the global one by default. In a browser, pass one with `credentials: 'include'` to send the session cookie. */
  fetch?: typeof globalThis.fetch;
}

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
  const fixed: Record<string, string> = {};
  if (options.token) fixed['x-sheen-admin-token'] = options.token;
  if (options.adminUserId) fixed['x-sheen-admin-user-id'] = options.adminUserId;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/+$/, '')}/trpc`,
        headers: async () => {
          const extra = typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
          return { ...extra, ...fixed };
        },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export { TRPCClientError };
