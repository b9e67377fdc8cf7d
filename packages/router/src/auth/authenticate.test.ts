import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_HEADER, authenticate } from './authenticate.js';

const headers = (token: string) => new Headers({ [ADMIN_TOKEN_HEADER]: token });

describe('authenticate with an admin token', () => {
  it('accepts each of the accepted tokens and nothing else, an empty accepted value never', async () => {
    const config = { adminTokens: ['first-token-0123456789', 'second-token-0123456789', ''], sessionSecrets: [] };
    expect(await authenticate(headers('first-token-0123456789'), config)).toMatchObject({ adminId: 'admin-token', via: 'token' });
    expect(await authenticate(headers('second-token-0123456789'), config)).toMatchObject({ via: 'token' });
    expect(await authenticate(headers('first-token-012345678'), config)).toBeNull();
    expect(await authenticate(headers(''), config)).toBeNull();
  });

  it('follows a token list changed in place after its digests were computed', async () => {
    const adminTokens = ['old-token-0123456789'];
    const config = { adminTokens, sessionSecrets: [] };
    expect(await authenticate(headers('old-token-0123456789'), config)).not.toBeNull();
    adminTokens[0] = 'new-token-0123456789';
    expect(await authenticate(headers('old-token-0123456789'), config)).toBeNull();
    expect(await authenticate(headers('new-token-0123456789'), config)).not.toBeNull();
    adminTokens.push('added-token-0123456789');
    expect(await authenticate(headers('added-token-0123456789'), config)).not.toBeNull();
  });
});
