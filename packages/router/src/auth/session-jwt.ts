import { createHmac } from 'node:crypto';
import { type JWTPayload, jwtVerify } from 'jose';

export interface SessionClaims {
  sub: string;
  permissions: string[];
  exp: number;
}

export interface SessionVerification {
  /** Any of them verifies, so a secret can be rotated without logging everyone out. */
  secrets: readonly string[];
  /** The furthest ahead `exp` may lie; a longer-lived session is refused. */
  maxLifetimeSeconds: number;
  now: Date;
}

/** SPEC part two §10's bound on a session's `exp`: 31 days. */
export const DEFAULT_SESSION_MAX_LIFETIME_HOURS = 744;

const MAX_TOKEN_LENGTH = 8192;
const MAX_SUB_LENGTH = 256;
const encoder = new TextEncoder();

/**
 * Verifies an HS256 JWT against any of `secrets` and answers its claims, or null for anything else:
 * another algorithm (`none` included), a bad or non-canonical signature, no or past `exp`, an `exp`
 * further ahead than `maxLifetimeSeconds`, an `nbf` in the future, a missing or overlong `sub`,
 * `permissions` that are not a string array, malformed text.
 *
 * @example
 * const claims = await verifySessionJwt(cookie, { secrets: ['…'], maxLifetimeSeconds: 744 * 3600, now: new Date() });
 */
export async function verifySessionJwt(token: string, verification: SessionVerification): Promise<SessionClaims | null> {
  const { secrets, maxLifetimeSeconds, now } = verification;
  if (token.length > MAX_TOKEN_LENGTH || secrets.length === 0) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !isCanonicalBase64url(parts[2] ?? '')) return null;

  const payload = await verifyWithAnySecret(token, secrets, now);
  if (!payload) return null;
  const { sub, permissions, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return null;
  if (!Array.isArray(permissions) || !permissions.every((p): p is string => typeof p === 'string')) return null;
  // jose has checked that `exp` is a number in the future; a bound on how far ahead keeps a token
  // minted with `exp` in milliseconds (or a forgotten "never expires") from living for ages.
  if (typeof exp !== 'number' || exp - Math.floor(now.getTime() / 1000) > maxLifetimeSeconds) return null;
  return { sub, permissions, exp };
}

async function verifyWithAnySecret(token: string, secrets: readonly string[], now: Date): Promise<JWTPayload | null> {
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'], requiredClaims: ['exp'], currentDate: now });
      return payload;
    } catch {
      // A signature made with another secret of the rotation, or a token that is bad for every
      // secret: either way only a later secret can still prove it.
    }
  }
  return null;
}

/**
 * The signature is the one part of a JWS that is not itself signed, so a lenient decoder lets one
 * token travel under many spellings (padding, whitespace, set unused bits; jose accepts these)
 * that a deny list or a replay cache keyed on the text would see as different tokens. The header
 * and payload need no such check: the HMAC covers their exact text.
 */
function isCanonicalBase64url(text: string): boolean {
  return text.length > 0 && Buffer.from(text, 'base64url').toString('base64url') === text;
}

/** Signs claims as an HS256 JWT: for tests, tools and the proxy's own use. */
export function signSessionJwt(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
