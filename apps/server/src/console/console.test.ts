import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, harnessApp } from '../test/harness.js';
import { ConsoleBuildMissingError, loadConsoleFiles, resolveConsoleDir } from './files.js';
import { CONSOLE_CONTENT_SECURITY_POLICY, CONSOLE_HOME } from './mount.js';

let h: Harness;
let fixture: string;

beforeAll(async () => {
  h = await createHarness();
  // A build of our own making, with files the allow-list must never serve beside the one it must.
  fixture = mkdtempSync(join(tmpdir(), 'runhub-console-'));
  mkdirSync(join(fixture, 'assets'));
  mkdirSync(join(fixture, '.vite'));
  writeFileSync(join(fixture, 'index.html'), '<!doctype html><script type="module" src="/admin/inhouse/assets/app-1a2b.js"></script>');
  writeFileSync(join(fixture, 'assets/app-1a2b.js'), `export const app = ${JSON.stringify('x'.repeat(2000))};`);
  writeFileSync(join(fixture, 'assets/notes.txt'), 'not a built asset kind');
  writeFileSync(join(fixture, 'secret.txt'), 'outside assets/');
  writeFileSync(join(fixture, '.vite/manifest.json'), '{}');
});
afterAll(async () => {
  rmSync(fixture, { recursive: true, force: true });
  await h?.testDb.destroy();
});

describe('the console, served from its real build', () => {
  it('answers the app for each page and its sub-paths, uncached, under a same-origin CSP, with no credentials', async () => {
    const app = harnessApp(h, { consoleFiles: loadConsoleFiles(resolveConsoleDir()) });
    for (const path of ['/admin/inhouse/workflows', '/admin/inhouse/business-events', '/admin/inhouse/business-events/evt_abc', '/admin/inhouse/kpi-health']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it('serves every script, style and icon the page names, cached for a year, gzipped when asked', async () => {
    const app = harnessApp(h, { consoleFiles: loadConsoleFiles(resolveConsoleDir()) });
    const html = await (await app.request(CONSOLE_HOME)).text();
    const urls = [...html.matchAll(/(?:src|href)="(\/admin\/inhouse\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(urls.some((url) => url.endsWith('.js'))).toBe(true);
    expect(urls.some((url) => url.endsWith('.css'))).toBe(true);
    for (const url of urls) {
      const plain = await app.request(url);
      expect(plain.status, url).toBe(200);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = new Uint8Array(await plain.arrayBuffer());
      const zipped = await app.request(url, { headers: { 'accept-encoding': 'gzip, br' } });
      if (zipped.headers.get('content-encoding') === 'gzip') expect(gunzipSync(new Uint8Array(await zipped.arrayBuffer()))).toEqual(Buffer.from(body));
      else expect(new Uint8Array(await zipped.arrayBuffer())).toEqual(body);
    }
    // The API behind it still asks for credentials.
    expect((await app.request('/v1/admin/inhouse/workflow-runs')).status).toBe(401);
  });

  it('redirects / and /admin/inhouse to the workflows page', async () => {
    const app = harnessApp(h, { consoleFiles: loadConsoleFiles(fixture) });
    for (const path of ['/', '/admin/inhouse', '/admin/inhouse/']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location')).toBe(CONSOLE_HOME);
    }
  });
});

describe('the console allow-list', () => {
  it('serves a built asset by name and nothing else the folder holds', async () => {
    const app = harnessApp(h, { consoleFiles: loadConsoleFiles(fixture) });
    const asset = await app.request('/admin/inhouse/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of [
      '/admin/inhouse/assets/notes.txt',
      '/admin/inhouse/assets/..%2Fsecret.txt',
      '/admin/inhouse/assets/%2e%2e%2fsecret.txt',
      '/admin/inhouse/assets/..%5Csecret.txt',
      '/admin/inhouse/assets/../secret.txt',
      '/admin/inhouse/secret.txt',
      '/admin/inhouse/index.html',
      '/admin/inhouse/.vite/manifest.json',
      '/admin/inhouse/assets/',
      '/admin/inhouse/assets/constructor',
      '/admin/inhouse/elsewhere',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toMatch(/outside assets|not a built asset/);
    }
  });

  it('is off with CONSOLE_ENABLED=false: every console path is a 404', async () => {
    const app = harnessApp(h, {});
    for (const path of ['/', '/admin/inhouse', CONSOLE_HOME, '/admin/inhouse/kpi-health', '/admin/inhouse/assets/app-1a2b.js']) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it('refuses to start without a build, saying how to fix it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'runhub-console-empty-'));
    try {
      expect(() => loadConsoleFiles(empty)).toThrowError(ConsoleBuildMissingError);
      expect(() => loadConsoleFiles(empty)).toThrowError(/pnpm build, or set CONSOLE_ENABLED=false/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
