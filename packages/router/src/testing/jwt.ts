import { createHmac } from 'node:crypto';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An `alg: none` JWT: the claims with an empty signature, which a verifier must refuse. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/**
 * A JWT under any header, signed over header.payload with HMAC-`hash` and the given secret: for
 * tokens whose signature is right but whose algorithm must still be refused.
 */
export function forgeJwt(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string, hash: 'sha256' | 'sha384' | 'sha512'): string {
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${createHmac(hash, secret).update(signed).digest('base64url')}`;
}
