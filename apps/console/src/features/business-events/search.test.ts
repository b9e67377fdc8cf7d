import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../ui/url-state.js';
import { filterProblems } from './events-filters.js';
import {
  type BusinessEvent,
  byDayInput,
  EVENTS_PAGE_SIZE,
  eventsInput,
  exportQuery,
  isEventTypeFilter,
  isPayloadFilter,
  payloadAmount,
  relatedFilters,
  statsInput,
  withEventFilters,
  ZEventsSearch,
} from './search.js';

const PROJECT = '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21';
const none = {
  source: undefined,
  actorType: undefined,
  actorId: undefined,
  entityType: undefined,
  entityId: undefined,
  sessionId: undefined,
  anonymousId: undefined,
  correlationId: undefined,
  payload: undefined,
};

describe('the business-events page URL', () => {
  it('builds the export query from the URL filters, never a cursor', () => {
    const search = ZEventsSearch.parse({ eventType: 'payment_succeeded', startDate: '2026-01-01', cursor: 'c' });
    expect(exportQuery(search, 'ndjson')).toBe('?eventType=payment_succeeded&startDate=2026-01-01');
    expect(exportQuery(search, 'csv')).toBe('?eventType=payment_succeeded&startDate=2026-01-01&format=csv');
    expect(exportQuery(ZEventsSearch.parse({}), 'csv')).toBe('?format=csv');
    const payload = ZEventsSearch.parse({ payload: '{"currency":"USD"}', sessionId: 'sess_1' });
    expect(exportQuery(payload, 'ndjson')).toBe('?sessionId=sess_1&payload=%7B%22currency%22%3A%22USD%22%7D');
  });

  it('reads project, type, days and cursor; drops a day that does not exist', () => {
    const search = ZEventsSearch.parse(parseSearch('?eventType=payment_succeeded&startDate=2026-01-01&endDate=2026-02-30&cursor=xyz'));
    expect(search).toEqual({ projectId: undefined, eventType: 'payment_succeeded', startDate: '2026-01-01', endDate: undefined, ...none, cursor: 'xyz' });
    expect(stringifySearch(search)).toBe('?eventType=payment_succeeded&startDate=2026-01-01&cursor=xyz');
  });

  it('reads every explorer filter (SPEC §7.6), dropping a type list or payload the API would refuse', () => {
    const text =
      '?eventType=payment_*,lead_created&source=stripe&actorType=user&actorId=user_1&entityType=payment&entityId=pi_1&sessionId=s&anonymousId=a&correlationId=c&payload=%7B%22customer%22%3A%7B%22tier%22%3A%22gold%22%7D%7D';
    const search = ZEventsSearch.parse(parseSearch(text));
    expect(search).toMatchObject({ eventType: 'payment_*,lead_created', source: 'stripe', entityId: 'pi_1', payload: '{"customer":{"tier":"gold"}}' });
    expect(ZEventsSearch.parse(parseSearch(stringifySearch(search)))).toEqual(search);
    const refused = ZEventsSearch.parse(parseSearch(`?eventType=payment%20succeeded&payload=%5B1%5D&source=${'x'.repeat(201)}`));
    expect(refused).toMatchObject({ eventType: undefined, payload: undefined, source: undefined });
  });

  it('tells the type filters and payloads the API takes from the ones it refuses', () => {
    expect(isEventTypeFilter('payment_*')).toBe(true);
    expect(isEventTypeFilter('a.b:c-d,e_*')).toBe(true);
    expect(isEventTypeFilter('pay*ment')).toBe(false);
    expect(isEventTypeFilter('payment_succeeded,')).toBe(false);
    expect(isEventTypeFilter(Array.from({ length: 21 }, (_, i) => `t${i}`).join(','))).toBe(false);
    expect(isEventTypeFilter(Array.from({ length: 20 }, (_, i) => `t${i}`).join(','))).toBe(true);
    expect(isPayloadFilter('{"currency":"USD"}')).toBe(true);
    expect(isPayloadFilter('{}')).toBe(true);
    expect(isPayloadFilter('[1]')).toBe(false);
    expect(isPayloadFilter('null')).toBe(false);
    expect(isPayloadFilter('{nope')).toBe(false);
    expect(isPayloadFilter(`{"a":"${'x'.repeat(2_000)}"}`)).toBe(false);
    expect(filterProblems({ eventType: 'payment_*', payload: '{"a":1}' })).toEqual({});
    expect(Object.keys(filterProblems({ eventType: 'pay ment', payload: '{nope' }))).toEqual(['eventType', 'payload']);
  });

  it('asks for the list with every filter, the counts by type without the type, and the chart with it', () => {
    const search = ZEventsSearch.parse({ eventType: 'lead_*', startDate: '2026-01-01', endDate: '2026-01-07', sessionId: 's', cursor: 'c' });
    expect(eventsInput(search)).toEqual({
      projectId: undefined,
      eventType: 'lead_*',
      startDate: '2026-01-01',
      endDate: '2026-01-07',
      ...none,
      sessionId: 's',
      cursor: 'c',
      limit: EVENTS_PAGE_SIZE,
    });
    expect(statsInput(search)).toMatchObject({ eventType: undefined, sessionId: 's', startDate: '2026-01-01' });
    expect(byDayInput(search, '2026-01-30')).toMatchObject({ eventType: 'lead_*', sessionId: 's', groupBy: 'day' });
    expect(withEventFilters(search, { eventType: undefined, startDate: '2026-01-02' }).cursor).toBeUndefined();
  });

  it('asks for no chart by day over more than 366 dates, resolving the range as the API does', () => {
    expect(byDayInput(ZEventsSearch.parse({}), '2026-01-30')).not.toBeNull();
    expect(byDayInput(ZEventsSearch.parse({ startDate: '2025-01-30' }), '2026-01-30')).not.toBeNull();
    expect(byDayInput(ZEventsSearch.parse({ startDate: '2025-01-29' }), '2026-01-30')).toBeNull();
    expect(byDayInput(ZEventsSearch.parse({ startDate: '2020-01-01', endDate: '2020-12-31' }), '2026-01-30')).not.toBeNull();
    expect(byDayInput(ZEventsSearch.parse({ endDate: '2020-12-31' }), '2026-01-30')).not.toBeNull();
  });
});

describe('related events', () => {
  const event = {
    projectId: PROJECT,
    correlationId: 'corr_1',
    sessionId: 'sess_1',
    entityType: 'payment',
    entityId: 'pi_1',
  } as BusinessEvent;

  it('relates by correlation, session and entity within the project, when the event has them', () => {
    expect(relatedFilters(event).map((group) => group.filter)).toEqual([
      { projectId: PROJECT, correlationId: 'corr_1' },
      { projectId: PROJECT, sessionId: 'sess_1' },
      { projectId: PROJECT, entityType: 'payment', entityId: 'pi_1' },
    ]);
    expect(relatedFilters({ ...event, correlationId: null, sessionId: null, entityId: null })).toEqual([]);
    expect(relatedFilters({ ...event, correlationId: null, sessionId: null, entityType: null }).map((group) => group.filter)).toEqual([
      { projectId: PROJECT, entityId: 'pi_1' },
    ]);
  });
});

describe('an event amount', () => {
  it('is the payload amount in its currency, or its project currency when it has none', () => {
    expect(payloadAmount({ amount: 5000, currency: 'usd' }, 'EUR')).toEqual({ minorUnits: 5000, currency: 'USD' });
    expect(payloadAmount({ amount: 5000 }, 'EUR')).toEqual({ minorUnits: 5000, currency: 'EUR' });
    expect(payloadAmount({ amount: '5000' }, 'EUR')).toBeNull();
    expect(payloadAmount({ amount: 5000 }, undefined)).toBeNull();
    expect(payloadAmount([1, 2], 'EUR')).toBeNull();
  });
});
