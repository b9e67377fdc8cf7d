import { describe, expect, it } from 'vitest';
import { hasPermission } from './actor.js';
import { ADMIN_TOKEN_HEADER, ADMIN_USER_HEADER, authenticate, SESSION_COOKIE } from './authenticate.js';
import { signSessionJwt } from './session-jwt.js';

const TOKEN = 'unit-admin-token-0123456789';
const SECRET = 'unit-session-secret-0123456789abcdef-0123456789';
const NOW = new Date('2026-06-01T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const config = { adminTokens: ['other-token-000000000000', TOKEN], sessionSecrets: [SECRET] };
const headers = (values: Record<string, string>) => new Headers(values);
const cookie = (claims: Record<string, unknown> = {}) =>
  signSessionJwt({ sub: 'admin-7', permissions: ['inhouse.read'], exp: NOW_SECONDS + 600, ...claims }, SECRET);

describe('authenticate', () => {
  it('takes an accepted token as an admin with both permissions, named by the forwarded user', async () => {
    expect(await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN }), config, NOW)).toEqual({
      adminId: 'admin-token',
      permissions: ['inhouse.read', 'inhouse.write'],
      via: 'token',
    });
    expect((await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN, [ADMIN_USER_HEADER]: '  ops-7  ' }), config, NOW))?.adminId).toBe('ops-7');
    expect((await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN, [ADMIN_USER_HEADER]: '   ' }), config, NOW))?.adminId).toBe('admin-token');
    expect((await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN, [ADMIN_USER_HEADER]: 'u'.repeat(256) }), config, NOW))?.adminId).toBe('u'.repeat(256));
    expect((await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN, [ADMIN_USER_HEADER]: 'u'.repeat(257) }), config, NOW))?.adminId).toBe('admin-token');
  });

  it('trims the forwarded user from any headers object, and reads the cookie by its SPEC name', async () => {
    const plain = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
    expect((await authenticate(plain({ 'x-sheen-admin-token': TOKEN, 'x-sheen-admin-user-id': ' ops-8 ' }), config, NOW))?.adminId).toBe('ops-8');
    expect((await authenticate(plain({ cookie: `sheen_admin_session=${cookie()}` }), config, NOW))?.adminId).toBe('admin-7');
  });

  it('refuses a wrong token even beside a valid cookie, and an empty accepted value matches nothing', async () => {
    expect(await authenticate(headers({ [ADMIN_TOKEN_HEADER]: 'wrong', cookie: `${SESSION_COOKIE}=${cookie()}` }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ [ADMIN_TOKEN_HEADER]: `${TOKEN}x` }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ [ADMIN_TOKEN_HEADER]: '' }), { adminTokens: [''], sessionSecrets: [] }, NOW)).toBeNull();
    expect(await authenticate(headers({ [ADMIN_TOKEN_HEADER]: TOKEN }), { adminTokens: [], sessionSecrets: [SECRET] }, NOW)).toBeNull();
  });

  it('reads the session cookie among others, as its claims say', async () => {
    const jwt = cookie({ permissions: ['inhouse.read', 'inhouse.write'] });
    expect(await authenticate(headers({ cookie: `theme=dark; broken; ${SESSION_COOKIE}= ${jwt} ; x=1` }), config, NOW)).toEqual({
      adminId: 'admin-7',
      permissions: ['inhouse.read', 'inhouse.write'],
      via: 'session',
    });
    expect(await authenticate(headers({ cookie: `x${SESSION_COOKIE}=${jwt}` }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ cookie: `${SESSION_COOKIE}x=${jwt}` }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ cookie: 'theme=dark' }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ cookie: '' }), config, NOW)).toBeNull();
    expect(await authenticate(headers({}), config, NOW)).toBeNull();
    expect(await authenticate(headers({ cookie: `${SESSION_COOKIE}=${cookie({ exp: NOW_SECONDS - 1 })}` }), config, NOW)).toBeNull();
  });

  it('bounds a session by sessionMaxLifetimeSeconds, 744 hours by default', async () => {
    const far = `${SESSION_COOKIE}=${cookie({ exp: NOW_SECONDS + 743 * 3600 })}`;
    expect(await authenticate(headers({ cookie: far }), config, NOW)).not.toBeNull();
    expect(await authenticate(headers({ cookie: `${SESSION_COOKIE}=${cookie({ exp: NOW_SECONDS + 745 * 3600 })}` }), config, NOW)).toBeNull();
    expect(await authenticate(headers({ cookie: far }), { ...config, sessionMaxLifetimeSeconds: 3600 }, NOW)).toBeNull();
  });
});

describe('hasPermission', () => {
  it('grants only what the actor lists', () => {
    const reader = { adminId: 'a', permissions: ['inhouse.read', 'other'], via: 'session' as const };
    expect(hasPermission(reader, 'inhouse.read')).toBe(true);
    expect(hasPermission(reader, 'inhouse.write')).toBe(false);
  });
});

const tokenHeaders = (token: string) => new Headers({ [ADMIN_TOKEN_HEADER]: token });

describe('authenticate with an admin token', () => {
  it('accepts each of the accepted tokens and nothing else, an empty accepted value never', async () => {
    const config = { adminTokens: ['first-token-0123456789', 'second-token-0123456789', ''], sessionSecrets: [] };
    expect(await authenticate(tokenHeaders('first-token-0123456789'), config)).toMatchObject({ adminId: 'admin-token', via: 'token' });
    expect(await authenticate(tokenHeaders('second-token-0123456789'), config)).toMatchObject({ via: 'token' });
    expect(await authenticate(tokenHeaders('first-token-012345678'), config)).toBeNull();
    expect(await authenticate(tokenHeaders(''), config)).toBeNull();
  });

  it('follows a token list changed in place after its digests were computed', async () => {
    const adminTokens = ['old-token-0123456789'];
    const config = { adminTokens, sessionSecrets: [] };
    expect(await authenticate(tokenHeaders('old-token-0123456789'), config)).not.toBeNull();
    adminTokens[0] = 'new-token-0123456789';
    expect(await authenticate(tokenHeaders('old-token-0123456789'), config)).toBeNull();
    expect(await authenticate(tokenHeaders('new-token-0123456789'), config)).not.toBeNull();
    adminTokens.push('added-token-0123456789');
    expect(await authenticate(tokenHeaders('added-token-0123456789'), config)).not.toBeNull();
  });
});
