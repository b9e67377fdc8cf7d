import { createAdminClient } from '@runhub/client';
import { type Credentials, credentialHeaders } from './credentials.js';
import { describeError, type ErrorDescription } from './errors.js';

export type SessionCheck = { ok: true } | { ok: false; error: ErrorDescription };

/**
 * Whether these credentials (or, with none, the browser's session cookie) may read: one
 * one-row read that every admin with `inhouse.read` may make. A 401 means "sign in"; a 403 names
 * the permission the session lacks.
 */
export async function checkSession(credentials: Credentials | null): Promise<SessionCheck> {
  const admin = createAdminClient({ baseUrl: '', headers: credentialHeaders(credentials) });
  try {
    await admin.auditLog.list.query({ limit: 1 });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}
