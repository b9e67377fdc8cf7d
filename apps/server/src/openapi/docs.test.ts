import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { appRouter } from '@runhub/router';
import { createProject, createRun } from '@runhub/router/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRestProcedures } from '../rest/routes.js';
import { CHROMIUM_ARGS } from '../test/chromium.js';
import { createHarness, type Harness, sessionCookie } from '../test/harness.js';

const OUTPUT = fileURLToPath(new URL('../../../../test-output/', import.meta.url));

let h: Harness;
let server: ServerType;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  h = await createHarness();
  const project = await createProject(h.testDb.db, { name: 'Failed project' });
  await createRun(h.testDb.db, project.id, { status: 'failed' });
  origin = await new Promise<string>((resolve) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.testDb.destroy();
});

describe('GET /docs in headless Chromium', () => {
  it('lists every endpoint using nothing but this server, and calls the API with the session cookie', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    const cookie = sessionCookie()
      .cookie.split('; ')
      .find((part) => part.startsWith('sheen_admin_session='));
    await context.addCookies([{ name: 'sheen_admin_session', value: cookie?.split('=')[1] ?? '', url: origin }]);
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${origin}/docs`);
    expect(response?.status()).toBe(200);
    await page.locator('[data-path="/v1/admin/inhouse/workflow-runs"]').first().waitFor({ state: 'visible', timeout: 15_000 });

    const routes = listRestProcedures(appRouter);
    for (const { route } of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      await expect
        .poll(() => page.locator(`.opblock-${route.method.toLowerCase()} [data-path="${path}"]`).count(), { message: `${route.method} ${path}` })
        .toBe(1);
    }
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}docs.png`, fullPage: true });

    // Open the runs list and run it: the browser sends the admin's session cookie on its own.
    const list = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/v1/admin/inhouse/workflow-runs"]') });
    await list.locator('.opblock-summary').click();
    await list.getByRole('button', { name: 'Try it out' }).click();
    await list.getByRole('button', { name: 'Execute' }).click();
    const status = list.locator('.live-responses-table tr.response .response-col_status');
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    await list.getByText('Failed project').first().waitFor();

    await page.screenshot({ path: `${OUTPUT}docs-try-it-out.png` });

    const local = new URL(origin);
    const elsewhere = requests.filter((url) => {
      const { protocol, host } = new URL(url);
      return !(protocol === 'data:' || protocol === 'blob:' || host === local.host);
    });
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${origin}/openapi.json`);
    expect(requests.some((url) => url.startsWith(`${origin}/v1/admin/inhouse/workflow-runs?`))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
