import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type Credentials, clearCredentials, loadCredentials, saveCredentials } from './credentials.js';
import { describeError } from './errors.js';
import { checkSession } from './session-check.js';

/**
 * Who the console calls the API as (SPEC §9): the token typed into the form, kept in session
 * storage, or else the admin's `sheen_admin_session` cookie, used as it is.
 */
export type AuthState =
  | { status: 'checking' }
  | { status: 'signed-in'; via: 'token'; credentials: Credentials }
  | { status: 'signed-in'; via: 'cookie' }
  | { status: 'signed-out'; notice?: string };

export interface Auth {
  state: AuthState;
  /** The credentials the SDK sends now; read per request. */
  current: () => Credentials | null;
  /** Checks the credentials with the API, then keeps them; resolves with the API's refusal, if any. */
  signIn: (credentials: Credentials) => Promise<string | null>;
  signOut: (notice?: string) => void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an <AuthProvider>');
  return auth;
}

/** Holds the sign-in state; `onSignedOut` drops what the previous credentials could read. */
export function useAuthState(onSignedOut: () => void): Auth {
  const credentials = useRef<Credentials | null>(loadCredentials());
  const [state, setState] = useState<AuthState>(() =>
    credentials.current ? { status: 'signed-in', via: 'token', credentials: credentials.current } : { status: 'checking' },
  );

  useEffect(() => {
    if (state.status !== 'checking') return;
    let live = true;
    checkSession(null).then((check) => {
      if (!live) return;
      if (check.ok) setState({ status: 'signed-in', via: 'cookie' });
      // A 401 is simply "no session": the form, with nothing to say. A 403 names what the session lacks.
      else setState(check.error.code === 'UNAUTHORIZED' ? { status: 'signed-out' } : { status: 'signed-out', notice: check.error.message });
    });
    return () => {
      live = false;
    };
  }, [state.status]);

  const signOut = useCallback(
    (notice?: string) => {
      credentials.current = null;
      clearCredentials();
      onSignedOut();
      setState(notice ? { status: 'signed-out', notice } : { status: 'signed-out' });
    },
    [onSignedOut],
  );

  const signIn = useCallback(async (next: Credentials) => {
    const check = await checkSession(next);
    if (!check.ok) return check.error.message;
    credentials.current = next;
    saveCredentials(next);
    setState({ status: 'signed-in', via: 'token', credentials: next });
    return null;
  }, []);

  return useMemo(() => ({ state, current: () => credentials.current, signIn, signOut }), [state, signIn, signOut]);
}

export function AuthProvider({ auth, children }: { auth: Auth; children: ReactNode }) {
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/** The message a 401 met while signed in leaves on the form. */
export function refusedNotice(error: unknown, via: 'token' | 'cookie'): string {
  const { message } = describeError(error);
  return via === 'token' ? `The API refused the token: ${message}. Sign in again.` : `Your admin session was refused: ${message}.`;
}
