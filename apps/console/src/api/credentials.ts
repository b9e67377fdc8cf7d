/**
 * The admin token typed into the sign-in form, kept in the tab's session storage only: it goes
 * when the tab closes, another tab never sees it, and it is never written to local storage, a
 * cookie or a URL (SPEC §9).
 */
export interface Credentials {
  token: string;
  /** Sent as `x-sheen-admin-user-id`, so audit rows name the operator rather than `admin-token`. */
  adminUserId?: string;
}

export const CREDENTIALS_KEY = 'runhub.console.credentials';

export function loadCredentials(storage: Storage = sessionStorage): Credentials | null {
  const text = storage.getItem(CREDENTIALS_KEY);
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { token, adminUserId } = value as Record<string, unknown>;
    if (typeof token !== 'string' || token === '') return null;
    return typeof adminUserId === 'string' && adminUserId !== '' ? { token, adminUserId } : { token };
  } catch {
    return null;
  }
}

export function saveCredentials(credentials: Credentials, storage: Storage = sessionStorage): void {
  storage.setItem(CREDENTIALS_KEY, JSON.stringify(credentials));
}

export function clearCredentials(storage: Storage = sessionStorage): void {
  storage.removeItem(CREDENTIALS_KEY);
}

/** The headers the SDK sends: the token and the operator's id when signed in with the form; none with the session cookie. */
export function credentialHeaders(credentials: Credentials | null): Record<string, string> {
  if (!credentials) return {};
  const headers: Record<string, string> = { 'x-sheen-admin-token': credentials.token };
  if (credentials.adminUserId) headers['x-sheen-admin-user-id'] = credentials.adminUserId;
  return headers;
}
