import { Hono } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { SECURE_HEADERS, secureHeaders } from './secure-headers.js';

const headersOf = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-type'));

describe('secureHeaders', () => {
  it("sends exactly the block of hono/secure-headers' defaults", async () => {
    const hono = new Hono().use('*', honoSecureHeaders()).get('/', (c) => c.text('x'));
    const ours = new Hono<AppEnv>().use('*', secureHeaders()).get('/', (c) => c.text('x'));
    const expected = headersOf(await hono.request('/'));
    expect(headersOf(await ours.request('/'))).toEqual(expected);
    expect(Object.keys(expected)).toHaveLength(SECURE_HEADERS.length);
  });

  it('adds them to a response made outside the context', async () => {
    const app = new Hono<AppEnv>().use('*', secureHeaders()).get('/', () => new Response('made elsewhere'));
    const response = await app.request('/');
    for (const [name, value] of SECURE_HEADERS) expect(response.headers.get(name)).toBe(value);
  });
});
