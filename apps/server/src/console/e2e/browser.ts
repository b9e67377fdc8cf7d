import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from '@runhub/demo';
import { signSessionJwt } from '@runhub/router';
import { createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_ARGS } from '../../test/chromium.js';
import { type ServerProcess, startServer } from '../../test/server-process.js';

export const SCREENSHOTS = fileURLToPath(new URL('../../../../../test-output/console/', import.meta.url));
const SESSION_SECRET = 'console-e2e-session-secret-0123456789abcdef';
/** Long enough that the scheduler's next run (half an interval after the demo's last) never comes during the test. */
const ROLLUP_INTERVAL_MINUTES = '60';

export interface ConsoleServer {
  url: string;
  token: string;
  browser: Browser;
  /** A `sheen_admin_session` cookie the server accepts, with these permissions. */
  sessionCookie: (permissions: string[]) => { name: string; value: string; url: string };
  stop: () => Promise<void>;
}

/**
 * The real server process on the demo data, as `pnpm start` runs it: on a fresh embedded database
 * it seeds itself, or on a fresh PostgreSQL database seeded the same way when TEST_DATABASE_URL is set.
 */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'runhub-console-e2e-'));
  let testDb: TestDatabase | undefined;
  let server: ServerProcess;
  let token: string;
  const common = { RUNHUB_DATA_DIR: dataDir, SESSION_SECRET, ROLLUP_INTERVAL_MINUTES };
  if (process.env.TEST_DATABASE_URL) {
    testDb = await createTestDatabase();
    await seedDemo(testDb.db, { intervalMinutes: Number(ROLLUP_INTERVAL_MINUTES) });
    token = 'console-e2e-admin-token-0123456789';
    server = await startServer({ ...common, DATABASE_URL: testDb.url ?? '', ADMIN_TOKEN: token });
  } else {
    server = await startServer(common, 120_000);
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url: server.url,
    token,
    browser,
    sessionCookie: (permissions) => ({
      name: 'sheen_admin_session',
      value: signSessionJwt({ sub: 'cookie-admin', permissions, exp: Math.floor(Date.now() / 1000) + 3600 }, SESSION_SECRET),
      url: server.url,
    }),
    stop: async () => {
      await browser.close();
      await server.stop();
      await testDb?.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A page that records what must never happen: a script error, a request that failed, a request
 * that left the origin, an HTTP error other than the ones the current step expects.
 */
export async function watchedPage(context: BrowserContext, origin: string) {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const expected = new Set<number>();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:') problems.push(`request left the origin: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected.has(response.status())) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return {
    page,
    /** Allows these statuses until `check()`. */
    expect: (...statuses: number[]) => {
      for (const status of statuses) expected.add(status);
    },
    /** Fails with every problem seen since the last check, and resets. */
    check: () => {
      const seen = problems.splice(0);
      expected.clear();
      expect(seen).toEqual([]);
    },
  };
}

/** The page at both widths the console promises to be readable at; at neither is it wider than the screen (no sideways scrolling of the page). */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    const pageWidth = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    expect(pageWidth, `${name} at ${width} px is ${pageWidth} px wide`).toBeLessThanOrEqual(width);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

export async function signIn(page: Page, origin: string, token: string, adminUserId: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByLabel('Admin user id').fill(adminUserId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
}

/** What a page's storage and cookies hold of the token. (The server's type-check has no DOM library: the few globals read are typed here.) */
export function whereTheTokenIs(page: Page, token: string): Promise<{ session: string[]; local: string[]; cookie: boolean }> {
  interface StorageLike {
    getItem(key: string): string | null;
  }
  interface BrowserGlobals {
    sessionStorage: StorageLike;
    localStorage: StorageLike;
    document: { cookie: string };
  }
  return page.evaluate((secret) => {
    const browser = globalThis as unknown as BrowserGlobals;
    const holding = (storage: StorageLike) => Object.keys(storage).filter((key) => storage.getItem(key)?.includes(secret));
    return { session: holding(browser.sessionStorage), local: holding(browser.localStorage), cookie: browser.document.cookie.includes(secret) };
  }, token);
}
