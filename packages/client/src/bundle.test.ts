import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const SERVER_PACKAGES = ['kysely', 'pg', 'zod', 'hono', '@hono', '@runhub/router', '@runhub/db', '@electric-sql/pglite'];

/** What a Next.js client component pulls in: the built package, through its `exports`, for the browser. */
async function bundleForBrowser() {
  const result = await build({
    stdin: {
      contents: `
        import { createAdminClient, isAdminApiError, getAdminErrorCode } from '@runhub/client';
        export const admin = createAdminClient({ baseUrl: '/api', fetch: (url, init) => fetch(url, { ...init, credentials: 'include' }) });
        export { isAdminApiError, getAdminErrorCode };
      `,
      resolveDir: packageDir,
      loader: 'ts',
    },
    absWorkingDir: packageDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  return { code, inputs: Object.keys(result.metafile.inputs) };
}

describe('the browser bundle of @runhub/client', () => {
  let code: string;
  let inputs: string[];
  beforeAll(async () => {
    ({ code, inputs } = await bundleForBrowser());
  });

  it('holds the tRPC client and none of the server code', () => {
    const packagesIn = new Set(inputs.map((path) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1]).filter((name) => name !== undefined));
    expect(packagesIn).toContain('@trpc/client');
    expect(inputs).toContain('dist/index.js');
    for (const name of SERVER_PACKAGES) expect(packagesIn, `${name} is in the bundle`).not.toContain(name);
    expect(inputs.some((path) => path.includes('packages/router') || path.includes('packages/db'))).toBe(false);
    // The strings a bundled server module would bring, whatever path it came by.
    expect(code).not.toMatch(/kysely|pglite|PostgreSQL|ZodError|honojs/i);
  });

  it('stays small: under 15 KB minified and gzipped', () => {
    const gzipped = gzipSync(code).length;
    console.log(`@runhub/client browser bundle: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB minified+gzipped`);
    expect(gzipped).toBeLessThan(15 * 1024);
  });
});
