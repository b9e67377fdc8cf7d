import { type AdminClient, type AppRouter, createAdminClient, getAdminErrorCode } from '@runhub/client';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type Credentials, credentialHeaders } from './credentials.js';

/** `useTRPC()` in a component gives the typed query and mutation options of every procedure. */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/**
 * The one SDK client of the console, on this origin's `/trpc`. The headers are made per request
 * from the current credentials, so signing in or out needs no new client; with none, the browser
 * sends the admin's `sheen_admin_session` cookie by itself (same origin).
 */
export function createConsoleClient(currentCredentials: () => Credentials | null): AdminClient {
  return createAdminClient({ baseUrl: '', headers: () => credentialHeaders(currentCredentials()) });
}

/**
 * Server state lives here. A 401 anywhere signs the console out (the token was rotated, the
 * session expired); other errors stay with the view that asked. Only failures that may pass by
 * themselves (no answer, 503) are retried: a 4xx would answer the same again.
 */
export function createConsoleQueryClient(onUnauthorized: (error: unknown) => void): QueryClient {
  const onError = (error: unknown) => {
    if (getAdminErrorCode(error) === 'UNAUTHORIZED') onUnauthorized(error);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failures, error) => failures < 2 && isTransient(error),
      },
    },
  });
}

function isTransient(error: unknown): boolean {
  const code = getAdminErrorCode(error);
  return code === null || code === 'SERVICE_UNAVAILABLE';
}
