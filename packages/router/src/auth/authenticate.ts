import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from './actor.js';
import { DEFAULT_SESSION_MAX_LIFETIME_HOURS, verifySessionJwt } from './session-jwt.js';

export interface AuthConfig {
  /** Accepted values of `x-sheen-admin-token`; several at once during a rotation. */
  adminTokens: readonly string[];
  /** Secrets that verify the session cookie; several at once during a rotation. */
  sessionSecrets: readonly string[];
  /** The furthest ahead a session's `exp` may lie; `DEFAULT_SESSION_MAX_LIFETIME_HOURS` when unset. */
  sessionMaxLifetimeSeconds?: number;
}

export const ADMIN_TOKEN_HEADER = 'x-sheen-admin-token';
export const ADMIN_USER_HEADER = 'x-sheen-admin-user-id';
export const SESSION_COOKIE = 'sheen_admin_session';

/** The headers authentication reads; a `Headers` object or a plain lower-cased record both fit. */
export interface CredentialHeaders {
  get(name: string): string | null;
}

/**
 * Proves who is calling, by SPEC §4: the admin token header, when present, alone decides (a wrong
 * token is rejected even beside a valid cookie); otherwise the session cookie. Answers null for
 * no or bad credentials. Never logs or echoes what it was given.
 *
 * @example
 * const actor = await authenticate(c.req.raw.headers, { adminTokens: ['…'], sessionSecrets: ['…'] });
 */
export async function authenticate(headers: CredentialHeaders, config: AuthConfig, now: Date = new Date()): Promise<Actor | null> {
  const token = headers.get(ADMIN_TOKEN_HEADER);
  if (token !== null) {
    if (!acceptsToken(token, config.adminTokens)) return null;
    const adminUser = headers.get(ADMIN_USER_HEADER)?.trim();
    return {
      adminId: adminUser && adminUser.length <= 256 ? adminUser : 'admin-token',
      permissions: ['inhouse.read', 'inhouse.write'],
      via: 'token',
    };
  }
  const session = readCookie(headers.get('cookie'), SESSION_COOKIE);
  if (session === null) return null;
  const claims = await verifySessionJwt(session, {
    secrets: config.sessionSecrets,
    maxLifetimeSeconds: config.sessionMaxLifetimeSeconds ?? DEFAULT_SESSION_MAX_LIFETIME_HOURS * 3600,
    now,
  });
  return claims ? { adminId: claims.sub, permissions: claims.permissions, via: 'session' } : null;
}

/**
 * The SHA-256 of each accepted token, computed once per token list (the config lives as long as the
 * app), with the tokens it was computed from: a list changed in place is hashed again.
 */
const acceptedDigests = new WeakMap<readonly string[], { tokens: readonly string[]; digests: readonly Buffer[] }>();

/**
 * Whether `given` is one of `accepted`, in equal time: the digests of both sides are compared with
 * `timingSafeEqual`, which also hides the accepted values' lengths. Only the given token is hashed per
 * request; every accepted digest is compared, so the answer's timing does not say which one matched.
 */
function acceptsToken(given: string, accepted: readonly string[]): boolean {
  let cached = acceptedDigests.get(accepted);
  if (!cached || cached.tokens.length !== accepted.length || cached.tokens.some((token, i) => token !== accepted[i])) {
    const digests = accepted.filter((token) => token.length > 0).map((token) => createHash('sha256').update(token).digest());
    cached = { tokens: [...accepted], digests };
    acceptedDigests.set(accepted, cached);
  }
  const digest = createHash('sha256').update(given).digest();
  let matched = false;
  for (const candidate of cached.digests) matched = timingSafeEqual(digest, candidate) || matched;
  return matched;
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index === -1) continue;
    if (pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return null;
}
