import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../ui/url-state.js';
import { rangeProblem } from './runs-filters.js';
import {
  allowedWrites,
  bulkFilter,
  countsInput,
  exportQuery,
  looksStuck,
  RUN_STATUSES,
  RUNS_PAGE_SIZE,
  runsInput,
  sendsInput,
  withRunFilters,
  ZWorkflowsSearch,
} from './search.js';

const PROJECT = '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21';
const now = new Date('2026-01-30T10:00:00Z');

describe('the workflows page URL', () => {
  it('reads its filters, page and sends filter from the URL, dropping what the API would refuse', () => {
    const search = ZWorkflowsSearch.parse(parseSearch(`?projectId=${PROJECT}&status=failed&actionId=send_promo&cursor=abc_-1&email=a%40x.test&limit=5`));
    expect(search).toEqual({
      projectId: PROJECT,
      status: 'failed',
      actionId: 'send_promo',
      requestedFrom: undefined,
      requestedTo: undefined,
      stuck: undefined,
      cursor: 'abc_-1',
      email: 'a@x.test',
      sendsCursor: undefined,
    });
    expect(ZWorkflowsSearch.parse(parseSearch('?projectId=42&status=paused'))).toEqual(ZWorkflowsSearch.parse({}));
  });

  it('writes back the same URL it read', () => {
    const text = `?projectId=${PROJECT}&actionId=send_promo&status=failed`;
    expect(stringifySearch(ZWorkflowsSearch.parse(parseSearch(text)))).toBe(text);
  });

  it('asks the API for exactly the filters in the URL', () => {
    const search = ZWorkflowsSearch.parse({ projectId: PROJECT, status: 'failed', cursor: 'c1', email: 'a@x.test', sendsCursor: 's1' });
    expect(runsInput(search)).toEqual({
      projectId: PROJECT,
      actionId: undefined,
      status: 'failed',
      requestedFrom: undefined,
      requestedTo: undefined,
      stuck: undefined,
      cursor: 'c1',
      limit: RUNS_PAGE_SIZE,
    });
    expect(sendsInput(search)).toMatchObject({ projectId: PROJECT, email: 'a@x.test', cursor: 's1' });
  });

  it('starts a new filter from the first page, and the sends from theirs when the project changes', () => {
    const search = ZWorkflowsSearch.parse({ projectId: PROJECT, cursor: 'c1', sendsCursor: 's1', status: 'failed' });
    expect(withRunFilters(search, { projectId: PROJECT, actionId: 'send_promo' })).toMatchObject({ cursor: undefined, sendsCursor: 's1', status: 'failed' });
    expect(withRunFilters(search, { projectId: undefined, actionId: undefined })).toMatchObject({ cursor: undefined, sendsCursor: undefined });
  });

  it('reads the time range as instants and stuck as true or false, and hands the API a boolean', () => {
    const search = ZWorkflowsSearch.parse(
      parseSearch('?requestedFrom=2026-01-30T09:00:00.000Z&requestedTo=2026-01-30T11:00:00%2B01:00&stuck=true&status=running'),
    );
    expect(search).toMatchObject({ requestedFrom: '2026-01-30T09:00:00.000Z', requestedTo: '2026-01-30T11:00:00+01:00', stuck: 'true' });
    expect(runsInput(search)).toMatchObject({ requestedFrom: '2026-01-30T09:00:00.000Z', requestedTo: '2026-01-30T11:00:00+01:00', stuck: true });
    expect(runsInput(ZWorkflowsSearch.parse({ stuck: 'false' })).stuck).toBe(false);
    // Not an instant, a day without a time, a stuck that is neither: dropped.
    expect(ZWorkflowsSearch.parse(parseSearch('?requestedFrom=yesterday&requestedTo=2026-01-30&stuck=yes'))).toMatchObject({
      requestedFrom: undefined,
      requestedTo: undefined,
      stuck: undefined,
    });
  });

  it('counts the tabs under every filter but the status and stuck', () => {
    const search = ZWorkflowsSearch.parse({
      projectId: PROJECT,
      status: 'failed',
      stuck: 'true',
      actionId: 'a',
      requestedFrom: '2026-01-30T09:00:00Z',
      cursor: 'c1',
    });
    expect(countsInput(search)).toEqual({ projectId: PROJECT, actionId: 'a', requestedFrom: '2026-01-30T09:00:00Z', requestedTo: undefined });
  });

  it('gives a bulk operation the set filters only, and none when nothing is set (the API refuses an empty filter)', () => {
    expect(bulkFilter(ZWorkflowsSearch.parse({ cursor: 'c1', email: 'a@x.test' }))).toBeNull();
    expect(bulkFilter(ZWorkflowsSearch.parse({ status: 'queued', projectId: PROJECT, stuck: 'false', cursor: 'c1' }))).toEqual({
      status: 'queued',
      projectId: PROJECT,
      stuck: false,
    });
  });

  it('builds the export query from the URL filters, never a cursor', () => {
    const search = ZWorkflowsSearch.parse({ status: 'failed', requestedFrom: '2026-01-30T09:00:00Z', cursor: 'c1' });
    expect(exportQuery(search, 'ndjson')).toBe('?status=failed&requestedFrom=2026-01-30T09%3A00%3A00Z');
    expect(exportQuery(search, 'csv')).toBe('?status=failed&requestedFrom=2026-01-30T09%3A00%3A00Z&format=csv');
    expect(exportQuery(ZWorkflowsSearch.parse({}), 'ndjson')).toBe('');
  });

  it('drops a status tab that cannot hold stuck runs when only stuck runs are asked for', () => {
    const failed = ZWorkflowsSearch.parse({ status: 'failed' });
    expect(withRunFilters(failed, { stuck: 'true' }).status).toBeUndefined();
    expect(withRunFilters(failed, { stuck: 'false' }).status).toBe('failed');
    expect(withRunFilters(ZWorkflowsSearch.parse({ status: 'running' }), { stuck: 'true' }).status).toBe('running');
  });

  it('refuses a time range that does not end after it starts', () => {
    expect(rangeProblem('2026-01-30T10:00:00.000Z', '2026-01-30T10:00:00.000Z')).toMatch(/later/);
    expect(rangeProblem('2026-01-30T10:00:00.000Z', '2026-01-30T10:01:00.000Z')).toBeNull();
    expect(rangeProblem(undefined, '2026-01-30T10:01:00.000Z')).toBeNull();
  });

  it('has a tab for each of the five statuses, in order', () => {
    expect(RUN_STATUSES).toEqual(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
  });
});

describe('the writes a run offers', () => {
  it('offers retry for failed and stuck runs, cancel for queued and running ones', () => {
    const expired = '2026-01-30T09:00:00Z';
    const live = '2026-01-30T11:00:00Z';
    expect(allowedWrites({ status: 'failed', leaseExpiresAt: null }, now)).toEqual({ retry: true, cancel: false });
    expect(allowedWrites({ status: 'running', leaseExpiresAt: expired }, now)).toEqual({ retry: true, cancel: true });
    expect(allowedWrites({ status: 'running', leaseExpiresAt: live }, now)).toEqual({ retry: false, cancel: true });
    expect(allowedWrites({ status: 'queued', leaseExpiresAt: null }, now)).toEqual({ retry: false, cancel: true });
    expect(allowedWrites({ status: 'succeeded', leaseExpiresAt: null }, now)).toEqual({ retry: false, cancel: false });
    expect(allowedWrites({ status: 'cancelled', leaseExpiresAt: null }, now)).toEqual({ retry: false, cancel: false });
    expect(looksStuck({ status: 'queued', leaseExpiresAt: expired }, now)).toBe(false);
  });
});
