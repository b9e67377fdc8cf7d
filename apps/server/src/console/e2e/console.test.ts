import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServer, SCREENSHOTS, screenshots, signIn, startConsoleServer, watchedPage, whereTheTokenIs } from './browser.js';

/**
 * The console in Debian's Chromium against the real server on the demo data: one operator's
 * session, step by step (the steps share the tab, as a person would). After each step the page
 * must have seen no script error, no failed request, no request leaving the origin and no HTTP
 * error but the ones the step expects.
 */
let server: ConsoleServer;
let context: BrowserContext;
let page: Page;
let watch: Awaited<ReturnType<typeof watchedPage>>;

beforeAll(async () => {
  server = await startConsoleServer();
  context = await server.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Berlin' });
  watch = await watchedPage(context, server.url);
  page = watch.page;
}, 180_000);
afterAll(async () => {
  await context?.close();
  await server?.stop();
});
afterEach(() => watch.check());

const runsTable = () => page.getByRole('table', { name: 'Workflow runs' });
const cells = (table: Locator, column: string) => table.locator(`tbody td[data-label="${column}"]`);
const search = () => new URL(page.url()).searchParams;

describe('the admin console in Chromium', () => {
  it('opens at / with the sign-in form, and signs in with the admin token into session storage only', async () => {
    watch.expect(401); // the session check: no cookie yet
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/inhouse/workflows');
    await screenshots(page, 'sign-in');

    await signIn(page, server.url, server.token, 'e2e-operator');
    expect(await whereTheTokenIs(page, server.token)).toEqual({ session: ['runhub.console.credentials'], local: [], cookie: false });
    expect(page.url()).not.toContain(server.token);
    await expect.poll(() => cells(runsTable(), 'Status').count()).toBeGreaterThan(0);

    // Times in the viewer's zone (the context's Europe/Berlin), the UTC form on hover.
    const time = cells(runsTable(), 'Requested').first().locator('time');
    const iso = (await time.getAttribute('datetime')) ?? '';
    expect(await time.getAttribute('title')).toBe(`${iso.slice(0, 19).replace('T', ' ')} UTC`);
    const inBerlin = await page.evaluate(
      (value) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/Berlin' }).format(new Date(value)),
      iso,
    );
    expect(await time.textContent()).toBe(inBerlin);
  });

  it('filters runs through the URL, and back and forward walk the filters', async () => {
    await page.getByRole('navigation', { name: 'Run status' }).getByRole('link', { name: 'Failed' }).click();
    await expect.poll(() => search().get('status')).toBe('failed');
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Status').allTextContents())]).toEqual(['failed']);
    const tabs = page.getByRole('navigation', { name: 'Run status' });
    expect(await tabs.locator('[aria-current="page"]').allTextContents()).toEqual(['Failed']);

    await page.getByLabel('Project').first().selectOption({ label: 'Lumen Coffee Roasters' });
    await expect.poll(() => search().get('projectId')).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Project').allTextContents())]).toEqual(['Lumen Coffee Roasters']);

    await page.getByLabel('Action').fill('send_promo');
    await page.getByRole('button', { name: 'Apply' }).first().click();
    await expect.poll(() => search().get('actionId')).toBe('send_promo');

    await page.goBack();
    await expect.poll(() => search().get('actionId')).toBeNull();
    expect(search().get('projectId')).not.toBeNull();
    await page.goBack();
    await expect.poll(() => search().get('projectId')).toBeNull();
    await expect.poll(() => page.getByLabel('Project').first().inputValue()).toBe('');
    expect(search().get('status')).toBe('failed');
    await page.goForward();
    await expect.poll(() => search().get('projectId')).not.toBeNull();
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Project').allTextContents())]).toEqual(['Lumen Coffee Roasters']);

    // Paging: the cursor joins the URL; Back returns to the first page.
    await page.goBack();
    const firstPage = await cells(runsTable(), 'Run').allTextContents();
    await page.getByRole('navigation', { name: 'Runs pages' }).getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => search().get('cursor')).not.toBeNull();
    await expect.poll(() => cells(runsTable(), 'Run').allTextContents()).not.toEqual(firstPage);
    await page.goBack();
    await expect.poll(() => cells(runsTable(), 'Run').allTextContents()).toEqual(firstPage);
  });

  it('retries a failed run with a required reason and shows the new run; a second retry is explained by the 409', async () => {
    await page.goto(`${server.url}/admin/inhouse/workflows?status=failed`);
    const row = runsTable().locator('tbody tr').first();
    const runId = (await row.locator('td[data-label="Run"] code').first().getAttribute('title')) ?? '';
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    await row.getByRole('button', { name: `Retry run ${runId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry run' });
    await dialog.waitFor();
    expect(await dialog.evaluate((element) => element.contains(element.ownerDocument.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: `Retry run ${runId}` }).click();
    await dialog.getByRole('button', { name: 'Retry run' }).click();
    await dialog.getByText('Give a reason').waitFor();
    await dialog.getByLabel(/Reason/).fill('provider is back up (e2e)');
    await dialog.getByRole('button', { name: 'Retry run' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'retried' });
    await notice.waitFor();
    const newRunId = (await notice.locator('code').nth(1).getAttribute('title')) ?? '';
    expect(newRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newRunId).not.toBe(runId);

    await notice.getByRole('link', { name: 'Show queued runs' }).click();
    await expect.poll(() => search().get('status')).toBe('queued');
    const newest = runsTable().locator('tbody tr').first();
    await expect.poll(() => newest.locator('td[data-label="Run"] code').first().getAttribute('title')).toBe(newRunId);
    expect(await newest.locator('td[data-label="Run"]').textContent()).toContain(`retry of ${runId.slice(0, 8)}`);
    await screenshots(page, 'workflows');

    watch.expect(409);
    await page.goBack();
    await expect.poll(() => search().get('status')).toBe('failed');
    await page.getByRole('button', { name: `Retry run ${runId}` }).click();
    await dialog.getByLabel(/Reason/).fill('again, by mistake');
    await dialog.getByRole('button', { name: 'Retry run' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`CONFLICT: Run ${runId} was already retried as ${newRunId}`);
    expect(await refusal.textContent()).toContain(`Existing retry: ${newRunId.slice(0, 8)}`);
    await page.screenshot({ path: `${SCREENSHOTS}workflows-retry-conflict-1280.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('lists the sends of one recipient', async () => {
    const sends = page.getByRole('table', { name: 'Workflow sends' });
    const email = (await cells(sends, 'Recipient').first().textContent()) ?? '';
    await page.getByLabel('Recipient email').fill(email.toUpperCase());
    await page.getByRole('button', { name: 'Show sends' }).click();
    await expect.poll(() => search().get('email')).toBe(email.toUpperCase());
    await expect.poll(async () => [...new Set(await cells(sends, 'Recipient').allTextContents())]).toEqual([email]);
  });

  it('filters business events, opens one and shows its payload', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Business events' }).click();
    await page.getByRole('heading', { name: 'Business events', level: 1 }).waitFor();
    const events = page.getByRole('table', { name: 'Business events' });
    await page.getByRole('link', { name: 'payment_succeeded' }).click();
    await expect.poll(() => search().get('eventType')).toBe('payment_succeeded');
    await expect.poll(async () => [...new Set(await cells(events, 'Type').allTextContents())]).toEqual(['payment_succeeded']);

    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From (UTC day)').fill('2020-01-01');
    await page.getByLabel('To (UTC day)').fill(today);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => search().get('startDate')).toBe('2020-01-01');
    expect(search().get('eventType')).toBe('payment_succeeded');

    const link = events.locator('tbody tr').first().getByRole('link');
    const publicId = (await link.textContent()) ?? '';
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/inhouse/business-events/${publicId}`);
    const detail = page.getByRole('region', { name: `Event ${publicId}` });
    const payload = JSON.parse((await detail.locator('pre').textContent()) ?? 'null') as { amount?: unknown };
    expect(typeof payload.amount).toBe('number');
    expect(await detail.textContent()).toContain('payment_succeeded');
    await screenshots(page, 'business-events');

    await detail.getByRole('link', { name: 'Close' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/inhouse/business-events');
    expect(search().get('eventType')).toBe('payment_succeeded');
  });

  it('triggers a rollup with a reason and watches the stale project turn healthy', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'KPI health' }).click();
    const projects = page.getByRole('table', { name: 'Projects' });
    const importing = projects.locator('tbody tr').filter({ hasText: 'Fjord Outdoor (importing)' });
    await expect.poll(() => importing.locator('td[data-label="Status"]').textContent()).toBe('stale');
    // Money in each project's own currency.
    const sakura = projects.locator('tbody tr').filter({ hasText: 'Sakura Ceramics' });
    expect(await sakura.locator('td[data-label="Revenue today"]').textContent()).toMatch(/^¥[\d,]+$/);
    await screenshots(page, 'kpi-health');

    await page.getByRole('button', { name: 'Roll up all projects' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll up all projects' });
    await dialog.getByLabel(/Reason/).fill('importer finished (e2e)');
    await dialog.getByRole('button', { name: 'Start the rollup' }).click();
    await page.getByRole('status').filter({ hasText: 'Rollup of all projects started' }).waitFor();
    await expect.poll(() => importing.locator('td[data-label="Status"]').textContent(), { timeout: 30_000 }).toBe('healthy');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Rollup of all projects started' }).textContent()).toContain('Done.');
  });

  it('signs out: the token leaves the tab and the form is back', async () => {
    watch.expect(401); // the form's session check after a reload
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await whereTheTokenIs(page, server.token)).toEqual({ session: [], local: [], cookie: false });
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
  });
});

describe('the admin session cookie', () => {
  it('is used as it is, with no form; one that lacks inhouse.read gets the form and is told which permission', async () => {
    const withCookie = await server.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await withCookie.addCookies([server.sessionCookie(['inhouse.read', 'inhouse.write'])]);
    const signedIn = await watchedPage(withCookie, server.url);
    await signedIn.page.goto(`${server.url}/admin/inhouse/kpi-health`);
    await signedIn.page.getByRole('heading', { name: 'KPI health', level: 1 }).waitFor();
    await signedIn.page.getByText('Admin session').waitFor();
    expect(await signedIn.page.getByLabel('Admin token').count()).toBe(0);
    signedIn.check();
    await withCookie.close();

    const lacking = await server.browser.newContext();
    await lacking.addCookies([server.sessionCookie(['inhouse.write'])]);
    const refused = await watchedPage(lacking, server.url);
    refused.expect(403);
    await refused.page.goto(`${server.url}/admin/inhouse/workflows`);
    await refused.page.getByLabel('Admin token').waitFor();
    await refused.page.getByRole('status').filter({ hasText: 'This action needs the inhouse.read permission' }).waitFor();
    refused.check();
    await lacking.close();
  });
});
