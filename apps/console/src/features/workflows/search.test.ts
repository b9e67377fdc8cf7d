import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../ui/url-state.js';
import { allowedWrites, looksStuck, RUN_STATUSES, RUNS_PAGE_SIZE, runsInput, sendsInput, withRunFilters, ZWorkflowsSearch } from './search.js';

const PROJECT = '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21';
const now = new Date('2026-01-30T10:00:00Z');

describe('the workflows page URL', () => {
  it('reads its filters, page and sends filter from the URL, dropping what the API would refuse', () => {
    const search = ZWorkflowsSearch.parse(parseSearch(`?projectId=${PROJECT}&status=failed&actionId=send_promo&cursor=abc_-1&email=a%40x.test&limit=5`));
    expect(search).toEqual({ projectId: PROJECT, status: 'failed', actionId: 'send_promo', cursor: 'abc_-1', email: 'a@x.test', sendsCursor: undefined });
    expect(ZWorkflowsSearch.parse(parseSearch('?projectId=42&status=paused'))).toEqual(ZWorkflowsSearch.parse({}));
  });

  it('writes back the same URL it read', () => {
    const text = `?projectId=${PROJECT}&actionId=send_promo&status=failed`;
    expect(stringifySearch(ZWorkflowsSearch.parse(parseSearch(text)))).toBe(text);
  });

  it('asks the API for exactly the filters in the URL', () => {
    const search = ZWorkflowsSearch.parse({ projectId: PROJECT, status: 'failed', cursor: 'c1', email: 'a@x.test', sendsCursor: 's1' });
    expect(runsInput(search)).toEqual({ projectId: PROJECT, actionId: undefined, status: 'failed', cursor: 'c1', limit: RUNS_PAGE_SIZE });
    expect(sendsInput(search)).toMatchObject({ projectId: PROJECT, email: 'a@x.test', cursor: 's1' });
  });

  it('starts a new filter from the first page, and the sends from theirs when the project changes', () => {
    const search = ZWorkflowsSearch.parse({ projectId: PROJECT, cursor: 'c1', sendsCursor: 's1', status: 'failed' });
    expect(withRunFilters(search, { projectId: PROJECT, actionId: 'send_promo' })).toMatchObject({ cursor: undefined, sendsCursor: 's1', status: 'failed' });
    expect(withRunFilters(search, { projectId: undefined, actionId: undefined })).toMatchObject({ cursor: undefined, sendsCursor: undefined });
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
