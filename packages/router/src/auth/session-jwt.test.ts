import { describe, expect, it } from 'vitest';
import { forgeJwt } from '../testing/jwt.js';
import { signSessionJwt, verifySessionJwt } from './session-jwt.js';

const SECRET = 'unit-session-secret-0123456789abcdef-0123456789';
const NOW = new Date('2026-06-01T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const MAX_LIFETIME_SECONDS = 744 * 3600;
const CLAIMS = { sub: 'admin-7', permissions: ['inhouse.read'], exp: NOW_SECONDS + 600 };

const verify = (token: string, secrets: readonly string[] = [SECRET]) =>
  verifySessionJwt(token, { secrets, maxLifetimeSeconds: MAX_LIFETIME_SECONDS, now: NOW });
const sign = (claims: Record<string, unknown>) => signSessionJwt(claims, SECRET);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header, signed with HMAC over header.payload by the real secret. */
const forge = (header: Record<string, unknown>, claims: Record<string, unknown>, hash: 'sha256' | 'sha384' | 'sha512') =>
  forgeJwt(header, claims, SECRET, hash);

/** A valid token and its raw signature, picked so that standard base64 spells it with both `+` and `/`. */
function tokenWithPlusAndSlash(): { signed: string; signature: Buffer } {
  for (let n = 0; ; n++) {
    const [header, payload, signature] = sign({ ...CLAIMS, n }).split('.') as [string, string, string];
    const raw = Buffer.from(signature, 'base64url');
    const standard = raw.toString('base64');
    if (standard.includes('+') && standard.includes('/')) return { signed: `${header}.${payload}`, signature: raw };
  }
}

describe('verifySessionJwt', () => {
  it('answers the claims of a valid HS256 token', async () => {
    expect(await verify(sign(CLAIMS))).toEqual(CLAIMS);
  });

  it('accepts any secret of a rotation and refuses when none matches', async () => {
    const other = 'other-session-secret-0123456789abcdef-0123456';
    expect(await verify(sign(CLAIMS), [other, SECRET])).toEqual(CLAIMS);
    expect(await verify(sign(CLAIMS), [other])).toBeNull();
    expect(await verify(sign(CLAIMS), [])).toBeNull();
  });

  describe('refuses every algorithm but HS256', () => {
    it.each(['none', 'HS384', 'HS512', 'hs256'])('alg %s over a valid HMAC-SHA256 signature', async (alg) => {
      expect(await verify(forge({ alg, typ: 'JWT' }, CLAIMS, 'sha256'))).toBeNull();
    });

    it.each([
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ] as const)('a token genuinely signed %s with the secret', async (alg, hash) => {
      expect(await verify(forge({ alg, typ: 'JWT' }, CLAIMS, hash))).toBeNull();
    });

    it('alg none with an empty signature', async () => {
      expect(await verify(`${b64url({ alg: 'none' })}.${b64url(CLAIMS)}.`)).toBeNull();
    });

    it('a header without alg', async () => {
      expect(await verify(forge({ typ: 'JWT' }, CLAIMS, 'sha256'))).toBeNull();
    });
  });

  describe('one token, one spelling: refuses a signature that is not canonical base64url', () => {
    const { signed, signature } = tokenWithPlusAndSlash();
    const canonical = signature.toString('base64url');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes fill 42 characters and 4 bits of the 43rd; its 2 low bits are unused and must be 0.
    const last = canonical.at(-1) ?? '';
    const unusedBitsSet = `${canonical.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;

    it('accepts the canonical spelling', async () => {
      expect(await verify(`${signed}.${canonical}`)).not.toBeNull();
      expect(Buffer.from(unusedBitsSet, 'base64url').equals(signature)).toBe(true);
    });

    it.each([
      ['standard base64 with padding', signature.toString('base64')],
      ['standard base64 without padding', signature.toString('base64').replace(/=+$/, '')],
      ['base64url with padding', `${canonical}=`],
      ['a space inside', `${canonical.slice(0, 20)} ${canonical.slice(20)}`],
      ['a tab inside', `${canonical.slice(0, 20)}\t${canonical.slice(20)}`],
      ['a non-canonical last character', unusedBitsSet],
    ])('%s', async (_name, spelling) => {
      expect(Buffer.from(spelling, 'base64').equals(signature)).toBe(true);
      expect(await verify(`${signed}.${spelling}`)).toBeNull();
    });
  });

  describe('exp', () => {
    it.each([
      ['missing', { ...CLAIMS, exp: undefined }],
      ['in the past', { ...CLAIMS, exp: NOW_SECONDS - 1 }],
      ['now', { ...CLAIMS, exp: NOW_SECONDS }],
      ['a string', { ...CLAIMS, exp: String(NOW_SECONDS + 600) }],
      ['in milliseconds', { ...CLAIMS, exp: NOW.getTime() + 3_600_000 }],
      ['one second beyond the maximum lifetime', { ...CLAIMS, exp: NOW_SECONDS + MAX_LIFETIME_SECONDS + 1 }],
    ])('refuses an exp %s', async (_name, claims) => {
      expect(await verify(sign(claims))).toBeNull();
    });

    it('accepts an exp at exactly the maximum lifetime', async () => {
      const claims = { ...CLAIMS, exp: NOW_SECONDS + MAX_LIFETIME_SECONDS };
      expect(await verify(sign(claims))).toEqual(claims);
    });

    it('holds the bound it is given', async () => {
      const token = sign({ ...CLAIMS, exp: NOW_SECONDS + 7200 });
      expect(await verifySessionJwt(token, { secrets: [SECRET], maxLifetimeSeconds: 3600, now: NOW })).toBeNull();
      expect(await verifySessionJwt(token, { secrets: [SECRET], maxLifetimeSeconds: 7200, now: NOW })).not.toBeNull();
    });
  });

  describe('nbf', () => {
    it('refuses a session not valid yet', async () => {
      expect(await verify(sign({ ...CLAIMS, nbf: NOW_SECONDS + 60 }))).toBeNull();
    });

    it.each([
      ['now', NOW_SECONDS],
      ['in the past', NOW_SECONDS - 60],
    ])('accepts an nbf %s', async (_name, nbf) => {
      expect(await verify(sign({ ...CLAIMS, nbf }))).toEqual(CLAIMS);
    });

    it('refuses an nbf that is not a number', async () => {
      expect(await verify(sign({ ...CLAIMS, nbf: 'soon' }))).toBeNull();
    });
  });

  it.each([
    ['no sub', { ...CLAIMS, sub: undefined }],
    ['an empty sub', { ...CLAIMS, sub: '' }],
    ['a numeric sub', { ...CLAIMS, sub: 7 }],
    ['a sub over 256 characters', { ...CLAIMS, sub: 'a'.repeat(257) }],
    ['no permissions', { ...CLAIMS, permissions: undefined }],
    ['permissions as a string', { ...CLAIMS, permissions: 'inhouse.read' }],
    ['a permission that is not a string', { ...CLAIMS, permissions: ['inhouse.read', 1] }],
  ])('refuses %s', async (_name, claims) => {
    expect(await verify(sign(claims))).toBeNull();
  });

  it('accepts a sub of 256 characters', async () => {
    const claims = { ...CLAIMS, sub: 'a'.repeat(256) };
    expect(await verify(sign(claims))).toEqual(claims);
  });

  it.each([
    ['empty', ''],
    ['not a JWT', 'not.a.jwt'],
    ['two parts', sign(CLAIMS).split('.').slice(0, 2).join('.')],
    ['four parts', `${sign(CLAIMS)}.x`],
    ['a payload that is not an object', forge({ alg: 'HS256' }, ['sub'] as unknown as Record<string, unknown>, 'sha256')],
    ['over 8 KiB', sign({ ...CLAIMS, padding: 'x'.repeat(8192) })],
  ])('refuses a malformed token: %s', async (_name, token) => {
    expect(await verify(token)).toBeNull();
  });
});

describe('the token length bound', () => {
  it('verifies a token of exactly 8192 characters and refuses a longer one', async () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => sign({ ...CLAIMS, pad: 'p'.repeat(5600 + i) }));
    const exact = tokens.find((token) => token.length === 8192);
    const longer = tokens.find((token) => token.length > 8192);
    expect(exact).toBeDefined();
    expect(longer).toBeDefined();
    expect(await verify(exact ?? '')).not.toBeNull();
    expect(await verify(longer ?? '')).toBeNull();
  });
});
