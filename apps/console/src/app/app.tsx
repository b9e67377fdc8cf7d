import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useCallback, useRef, useState } from 'react';
import { type Auth, AuthProvider, refusedNotice, useAuthState } from '../api/auth.js';
import { createConsoleClient, createConsoleQueryClient, TRPCProvider } from '../api/client.js';
import { SignInPage } from '../api/sign-in-page.js';
import { Loading } from '../ui/states.js';
import { createConsoleRouter } from './router.js';

/** The console: the SDK client, the query cache and the router, created once per page load. */
export function App() {
  const auth = useRef<Auth | null>(null);
  const [queryClient] = useState(() =>
    createConsoleQueryClient((error) => {
      const state = auth.current?.state;
      if (state?.status === 'signed-in') auth.current?.signOut(refusedNotice(error, state.via));
    }),
  );
  auth.current = useAuthState(useCallback(() => queryClient.clear(), [queryClient]));
  const [client] = useState(() => createConsoleClient(() => auth.current?.current() ?? null));
  const [router] = useState(() => createConsoleRouter());
  const { state } = auth.current;

  return (
    <AuthProvider auth={auth.current}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={client} queryClient={queryClient}>
          {state.status === 'signed-in' ? (
            <RouterProvider router={router} />
          ) : state.status === 'checking' ? (
            <main className="sign-in">
              <Loading label="Checking your admin session…" />
            </main>
          ) : (
            <SignInPage notice={state.notice} />
          )}
        </TRPCProvider>
      </QueryClientProvider>
    </AuthProvider>
  );
}
