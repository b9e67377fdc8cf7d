import { readFileSync } from 'node:fs';
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

/** The Workflows page's Failed tab, reached in the app (a new document would abort the page's requests still in flight). */
async function openFailedRuns(): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Workflows' }).click();
  await page
    .getByRole('navigation', { name: 'Run status' })
    .getByRole('link', { name: /^Failed/ })
    .click();
  await expect.poll(() => search().get('status')).toBe('failed');
  await expect.poll(async () => [...new Set(await cells(runsTable(), 'Status').allTextContents())]).toEqual(['failed']);
}

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
    // Each tab carries its exact count (SPEC §7.2), and the counts add up to All's.
    const tabs = page.getByRole('navigation', { name: 'Run status' });
    const tabCount = async (name: string) =>
      Number(
        (
          (await tabs
            .getByRole('link', { name: new RegExp(`^${name}`) })
            .locator('.count')
            .textContent()) ?? ''
        ).replace(/\D/g, ''),
      );
    await tabs.locator('.count').first().waitFor();
    const byStatus = await Promise.all(['Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled'].map(tabCount));
    expect(byStatus.reduce((sum, count) => sum + count, 0)).toBe(await tabCount('All'));
    expect(await tabCount('Failed')).toBeGreaterThan(0);

    await tabs.getByRole('link', { name: /^Failed/ }).click();
    await expect.poll(() => search().get('status')).toBe('failed');
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Status').allTextContents())]).toEqual(['failed']);
    expect(await tabs.locator('[aria-current="page"]').allTextContents()).toEqual([expect.stringMatching(/^Failed \d/)]);

    // The Actions column is in view at 1280 px: the row's Retry is inside the table's visible box.
    const scroller = page.getByRole('region', { name: 'Workflow runs' });
    const retryButton = runsTable()
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /^Retry run/ });
    const [box, area] = await Promise.all([retryButton.boundingBox(), scroller.boundingBox()]);
    expect(box && area && box.x >= area.x && box.x + box.width <= area.x + area.width).toBe(true);

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

    // The time range, in the viewer's zone (Europe/Berlin, UTC+1 in winter), is written to the URL in UTC.
    await page.getByLabel('Requested from').fill('2020-01-01T00:00');
    const newest = (await cells(runsTable(), 'Requested').first().locator('time').getAttribute('datetime')) ?? '';
    const before = await page.evaluate((iso) => {
      const date = new Date(iso);
      const pad = (value: number) => String(value).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    }, newest);
    await page.getByLabel('Requested before').fill(before);
    await page.getByRole('button', { name: 'Apply' }).first().click();
    await expect.poll(() => search().get('requestedFrom')).toBe('2019-12-31T23:00:00.000Z');
    const requestedTo = search().get('requestedTo') ?? '';
    expect(requestedTo).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    await expect
      .poll(async () =>
        (
          await cells(runsTable(), 'Requested')
            .locator('time')
            .evaluateAll((times) => times.map((time) => time.getAttribute('datetime') ?? ''))
        ).every((iso) => iso < requestedTo),
      )
      .toBe(true);
    await page.goBack();
    await expect.poll(() => search().get('requestedFrom')).toBeNull();

    // Stuck: only running runs whose lease expired, and the Stuck tab's count is their number.
    await page.getByLabel('Stuck', { exact: true }).selectOption({ label: 'Only stuck runs' });
    await expect.poll(() => search().get('stuck')).toBe('true');
    expect(search().get('status')).toBeNull();
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Status').allTextContents())]).toEqual(['running stuck']);
    expect(await cells(runsTable(), 'Status').count()).toBe(Math.min(await tabCount('Stuck'), 50));
    expect(await tabs.locator('[aria-current="page"]').allTextContents()).toEqual([expect.stringMatching(/^Stuck \d/)]);
    await page.goBack();
    await expect.poll(() => search().get('stuck')).toBeNull();
    expect(search().get('status')).toBe('failed');

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
    await openFailedRuns();
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

    // The run's detail: its chain from the root to the new retry, and the audit trail says who and why.
    await runsTable()
      .getByRole('link', { name: `Open run ${runId}` })
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/inhouse/workflows/runs/${runId}`);
    expect(search().get('status')).toBe('failed');
    const detail = page.getByRole('region', { name: `Run ${runId.slice(0, 8)}` });
    const chain = detail.getByRole('list', { name: 'Retry chain' }).getByRole('listitem');
    await expect.poll(() => chain.count()).toBe(2);
    expect(await chain.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await chain.nth(1).textContent()).toContain('queued');
    const audit = detail.getByRole('table', { name: 'Audit trail' }).locator('tbody tr');
    expect(await audit.count()).toBe(1);
    expect(await audit.first().locator('td[data-label="Who"]').textContent()).toBe('e2e-operator');
    expect(await audit.first().locator('td[data-label="What"]').textContent()).toBe('workflow_run.retry');
    expect(await audit.first().locator('td[data-label="Why"]').textContent()).toBe('provider is back up (e2e)');
    expect(await detail.locator('dl[aria-label="Sends by status"] dd').first().textContent()).toMatch(/^\d[\d,]*$/);
    await screenshots(page, 'workflows-run-detail');

    // The chain links to the newest retry, whose detail marks it as the current one.
    await chain
      .nth(1)
      .getByRole('link', { name: `Open run ${newRunId}` })
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/inhouse/workflows/runs/${newRunId}`);
    const retried = page
      .getByRole('region', { name: `Run ${newRunId.slice(0, 8)}` })
      .getByRole('list', { name: 'Retry chain' })
      .getByRole('listitem');
    await expect.poll(() => retried.nth(1).getAttribute('aria-current')).toBe('true');

    // Writes from the detail: cancel the queued retry; its chain and audit trail show it at once.
    const retriedDetail = page.getByRole('region', { name: `Run ${newRunId.slice(0, 8)}` });
    await retriedDetail.getByRole('button', { name: `Cancel run ${newRunId}` }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel run' });
    await cancel.getByLabel(/Reason/).fill('retried by mistake (e2e)');
    await cancel.getByRole('button', { name: 'Cancel run' }).click();
    await cancel.waitFor({ state: 'hidden' });
    await expect.poll(() => retried.nth(1).locator('.badge').first().textContent()).toBe('cancelled');
    const retriedAudit = retriedDetail.getByRole('table', { name: 'Audit trail' }).locator('tbody tr');
    await expect.poll(() => retriedAudit.first().locator('td[data-label="Why"]').textContent()).toBe('retried by mistake (e2e)');
    expect(await retriedAudit.first().locator('td[data-label="What"]').textContent()).toBe('workflow_run.cancel');
    await page
      .getByRole('region', { name: `Run ${newRunId.slice(0, 8)}` })
      .getByRole('link', { name: 'Close' })
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/inhouse/workflows');
    expect(search().get('status')).toBe('failed');
  });

  it('exports the runs of the filters with the credential header, as NDJSON and CSV', async () => {
    const tabs = page.getByRole('navigation', { name: 'Run status' });
    const failed = Number(
      (
        (await tabs
          .getByRole('link', { name: /^Failed/ })
          .locator('.count')
          .textContent()) ?? ''
      ).replace(/\D/g, ''),
    );
    const exports = page.getByRole('group', { name: 'Export the runs of these filters' });
    const [ndjson] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Export NDJSON' }).click()]);
    expect(ndjson.suggestedFilename()).toMatch(/^workflow-runs-.*\.ndjson$/);
    const lines = readFileSync((await ndjson.path()) ?? '', 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(failed);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { status: string }).status))).toEqual(new Set(['failed']));

    const [csv] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^workflow-runs-.*\.csv$/);
    const text = readFileSync((await csv.path()) ?? '', 'utf8');
    expect(text.split('\n')[0]).toMatch(/^id,projectId,projectName,actionId,status,/);
  });

  it('bulk-cancels the queued runs of a filter, showing the dry run preview first, then the result', async () => {
    await page
      .getByRole('navigation', { name: 'Run status' })
      .getByRole('link', { name: /^Queued/ })
      .click();
    await page.getByLabel('Project').first().selectOption({ label: 'Lumen Coffee Roasters' });
    await expect.poll(() => search().get('projectId')).toMatch(/^[0-9a-f-]{36}$/);
    const tabs = page.getByRole('navigation', { name: 'Run status' });
    const queuedTab = tabs.getByRole('link', { name: /^Queued/ }).locator('.count');
    await expect.poll(async () => [...new Set(await cells(runsTable(), 'Project').allTextContents())]).toEqual(['Lumen Coffee Roasters']);
    const queued = Number(((await queuedTab.textContent()) ?? '').replace(/\D/g, ''));
    expect(queued).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Cancel all matching' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel runs in bulk' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByText('Give a reason').waitFor();
    await dialog.getByLabel(/Reason/).fill('campaign withdrawn (e2e)');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Dry run' });
    await preview.waitFor();
    const figure = async (name: string) =>
      Number(((await preview.locator('.card').filter({ hasText: name }).locator('dd').textContent()) ?? '').replace(/\D/g, ''));
    expect(await figure('Matched')).toBe(queued);
    expect(await figure('Eligible')).toBe(queued);
    expect(await figure('Would cancel')).toBe(queued);
    expect(await figure('Remaining')).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}workflows-bulk-preview-1280.png` });
    // Nothing changed yet: the dry run wrote nothing.
    expect(Number(((await queuedTab.textContent()) ?? '').replace(/\D/g, ''))).toBe(queued);

    await dialog.getByRole('button', { name: `Cancel ${queued} ${queued === 1 ? 'run' : 'runs'}` }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Bulk cancel done' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`${queued} ${queued === 1 ? 'run' : 'runs'} cancelled`);
    await expect.poll(() => queuedTab.textContent()).toBe('0');
    await page.getByText('No runs match these filters.').waitFor();
  });

  it('bulk-retries a selection: the preview names what it skips and why', async () => {
    await openFailedRuns();
    expect(search().get('projectId')).toBeNull();
    const boxes = runsTable().locator('tbody td[data-label="Select"] input');
    await boxes.first().waitFor();
    // The first failed run was retried above: it is skipped as already retried.
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Retry selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry runs in bulk' });
    await dialog.getByLabel(/Reason/).fill('provider is back up, in bulk (e2e)');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Dry run' });
    await preview.waitFor();
    const figure = async (name: string) =>
      Number(((await preview.locator('.card').filter({ hasText: name }).locator('dd').textContent()) ?? '').replace(/\D/g, ''));
    expect(await figure('Matched')).toBe(3);
    // The demo retried some failed runs itself: whatever is not retried now is named with its reason.
    const retrying = await figure('Would retry');
    expect(retrying).toBeGreaterThan(0);
    expect(retrying).toBeLessThan(3);
    expect(await figure('Eligible')).toBe(retrying);
    expect(await preview.textContent()).toContain(`Skipped: ${3 - retrying} already retried.`);
    await dialog.getByRole('button', { name: `Retry ${retrying} ${retrying === 1 ? 'run' : 'runs'}` }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Bulk retry done' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`${retrying} ${retrying === 1 ? 'run' : 'runs'} retried, ${3 - retrying} skipped`);
    expect(await notice.getByRole('link', { name: /^Open run/ }).count()).toBe(retrying);
    await page.getByText('0 selected').waitFor();
    await screenshots(page, 'workflows-bulk-done');
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

    // The export holds what the filters select: only this type, every one of them.
    const exports = page.getByRole('group', { name: 'Export the events of these filters' });
    const [download] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Export NDJSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^business-events-.*\.ndjson$/);
    const exported = readFileSync((await download.path()) ?? '', 'utf8')
      .trim()
      .split('\n');
    expect(exported.length).toBeGreaterThan(0);
    expect(new Set(exported.map((line) => (JSON.parse(line) as { eventType: string }).eventType))).toEqual(new Set(['payment_succeeded']));

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

  it('explores events: filters by type prefix and a payload value, charts them by day, opens one and its related events', async () => {
    // In the app rather than page.goto: a new document would abort the page's requests still in flight.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Business events' }).click();
    await expect.poll(() => search().get('eventType')).toBeNull();
    const events = page.getByRole('table', { name: 'Business events' });
    // The chart by day of the default range (the last 7 days and today).
    const byDay = page.getByRole('region', { name: 'By day' });
    await byDay
      .getByRole('img', { name: /^Events per day from / })
      .locator('canvas')
      .waitFor();

    // A payload that is not a JSON object is refused in the form, before any request.
    const filters = page.getByRole('form', { name: 'Event filters' });
    await filters.getByText('More filters').click();
    await filters.getByLabel(/^Payload contains/).fill('{"form":');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await filters.getByRole('alert').filter({ hasText: 'A JSON object' }).waitFor();
    expect(search().get('payload')).toBeNull();

    await filters.getByLabel(/^Event type/).fill('lead_*');
    await filters.getByLabel(/^Payload contains/).fill('{"form":"waitlist"}');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => search().get('payload')).toBe('{"form":"waitlist"}');
    expect(search().get('eventType')).toBe('lead_*');
    await expect.poll(async () => [...new Set(await cells(events, 'Type').allTextContents())]).toEqual(['lead_created']);
    await byDay
      .getByRole('img', { name: /^Events per day from / })
      .locator('canvas')
      .waitFor();
    await screenshots(page, 'business-events-explorer');

    const link = events.locator('tbody tr').first().getByRole('link');
    const publicId = (await link.textContent()) ?? '';
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/inhouse/business-events/${publicId}`);
    expect(search().get('payload')).toBe('{"form":"waitlist"}');
    const detail = page.getByRole('region', { name: `Event ${publicId}` });
    const payload = JSON.parse((await detail.locator('pre').textContent()) ?? 'null') as { form?: unknown };
    expect(payload.form).toBe('waitlist');

    // Every demo event has a session: its group lists the others of that session, and links to all of them.
    const session = detail.getByRole('region', { name: /^Same session / });
    await session.waitFor();
    const sessionId = /\(([^)]+)\)/.exec((await session.getAttribute('aria-label')) ?? '')?.[1] ?? '';
    expect(sessionId).toMatch(/^sess_\d+$/);
    await session.getByRole('link', { name: 'List every one' }).click();
    await expect.poll(() => search().get('sessionId')).toBe(sessionId);
    expect(search().get('payload')).toBeNull();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/inhouse/business-events');
    await expect.poll(async () => (await cells(events, 'Event').allTextContents()).includes(publicId)).toBe(true);
    expect(await filters.getByLabel('Session id').inputValue()).toBe(sessionId);
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

    // The history's newest row is this run: manual, all projects, by the operator, with the reason.
    const history = page.getByRole('table', { name: 'Rollup history' }).locator('tbody tr');
    const newest = history.first();
    await expect.poll(() => newest.locator('td[data-label="Status"]').textContent()).toBe('succeeded');
    expect(await newest.locator('td[data-label="Trigger"]').textContent()).toBe('manual');
    expect(await newest.locator('td[data-label="Scope"]').textContent()).toBe('All projects, incremental');
    expect(await newest.locator('td[data-label="By"]').textContent()).toBe('e2e-operator');
    expect(await newest.locator('td[data-label="Reason or error"]').textContent()).toBe('importer finished (e2e)');
  });

  it("opens a project's 30 days as a chart, and rebuilds a date range of it from the dialog", async () => {
    const projects = page.getByRole('table', { name: 'Projects' });
    await projects.getByRole('link', { name: 'Lumen Coffee Roasters' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/admin\/inhouse\/kpi-health\/[0-9a-f-]{36}$/);
    const view = page.getByRole('region', { name: 'Lumen Coffee Roasters: last 30 days' });
    const chart = view.getByRole('img', { name: /^Revenue, payments and leads of Lumen Coffee Roasters per day/ });
    await chart.locator('canvas').waitFor();
    const box = await chart.locator('canvas').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    await view.getByText('The days as a table').click();
    const days = view.getByRole('table', { name: 'Days of Lumen Coffee Roasters' }).locator('tbody tr');
    expect(await days.count()).toBe(30);
    expect(await days.first().locator('td[data-label="Revenue"]').textContent()).toMatch(/^\$[\d,]+\.\d{2}$/);
    await screenshots(page, 'kpi-health-project');

    // A rebuild of the last two days of this project: the range is validated first, then the history shows it.
    await projects.getByRole('button', { name: 'Trigger a rollup of Lumen Coffee Roasters' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll up Lumen Coffee Roasters' });
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel('First day').fill(today);
    await dialog.getByLabel(/Reason/).fill('late payments imported (e2e)');
    await dialog.getByRole('button', { name: 'Start the rollup' }).click();
    await dialog.getByText('Give both days of the range').waitFor();
    await dialog.getByLabel('First day').fill(yesterday);
    await dialog.getByLabel('Last day').fill(today);
    await dialog.getByRole('button', { name: 'Start the rollup' }).click();
    await page.getByRole('status').filter({ hasText: 'Rebuild of Lumen Coffee Roasters started' }).waitFor();
    const newest = page.getByRole('table', { name: 'Rollup history' }).locator('tbody tr').first();
    await expect.poll(() => newest.locator('td[data-label="Scope"]').textContent()).toMatch(/^Lumen Coffee Roasters, rebuild /);
    await expect.poll(() => newest.locator('td[data-label="Status"]').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(await newest.locator('td[data-label="Reason or error"]').textContent()).toBe('late payments imported (e2e)');
    await screenshots(page, 'kpi-health-history');

    await view.getByRole('link', { name: 'Close' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/inhouse/kpi-health');
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
