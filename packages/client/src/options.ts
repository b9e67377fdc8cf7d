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
  /**
   * The most calls the client puts in one `/trpc` batch request (default 10, the server's default
   * `TRPC_MAX_BATCH_SIZE`): more calls at once go out as several requests, so the server's bound is
   * never met. Set it to the server's bound if that is lower.
   */
  maxBatchSize?: number;
}

/** The server's default `TRPC_MAX_BATCH_SIZE`, and so the client's default batch. */
export const DEFAULT_MAX_BATCH_SIZE = 10;

/** The headers of every request: the caller's own, then the credentials (which win). */
export async function requestHeaders(options: AdminClientOptions): Promise<Record<string, string>> {
  const extra = typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
  const fixed: Record<string, string> = {};
  if (options.token) fixed['x-sheen-admin-token'] = options.token;
  if (options.adminUserId) fixed['x-sheen-admin-user-id'] = options.adminUserId;
  return { ...extra, ...fixed };
}
