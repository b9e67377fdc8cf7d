import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  sub: string;
  permissions: string[];
  exp: number;
}

const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies an HS256 JWT against any of `secrets` (several, so a secret can be rotated without
 * logging everyone out) and answers its claims, or null for anything else: another algorithm
 * (`none` included), a bad signature, no or past `exp`, missing `sub` or `permissions`, malformed text.
 */
export function verifySessionJwt(token: string, secrets: readonly string[], nowSeconds: number): SessionClaims | null {
  if (token.length > MAX_TOKEN_LENGTH || secrets.length === 0) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJson(headerPart);
  if (!isRecord(header) || header.alg !== 'HS256') return null;

  const signature = Buffer.from(signaturePart, 'base64url');
  const signed = `${headerPart}.${payloadPart}`;
  const valid = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(signed).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!valid) return null;

  const claims = decodeJson(payloadPart);
  if (!isRecord(claims)) return null;
  const { sub, permissions, exp } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) return null;
  if (!Array.isArray(permissions) || !permissions.every((p): p is string => typeof p === 'string')) return null;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= nowSeconds) return null;
  return { sub, permissions, exp };
}

/** Signs claims as an HS256 JWT: for tests, tools and the proxy's own use. */
export function signSessionJwt(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function decodeJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
