import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../ui/url-state.js';
import { EVENTS_PAGE_SIZE, eventsInput, exportQuery, payloadAmount, statsInput, withEventFilters, ZEventsSearch } from './search.js';

describe('the business-events page URL', () => {
  it('builds the export query from the URL filters, never a cursor', () => {
    const search = ZEventsSearch.parse({ eventType: 'payment_succeeded', startDate: '2026-01-01', cursor: 'c' });
    expect(exportQuery(search, 'ndjson')).toBe('?eventType=payment_succeeded&startDate=2026-01-01');
    expect(exportQuery(search, 'csv')).toBe('?eventType=payment_succeeded&startDate=2026-01-01&format=csv');
    expect(exportQuery(ZEventsSearch.parse({}), 'csv')).toBe('?format=csv');
  });

  it('reads project, type, days and cursor; drops a day that does not exist', () => {
    const search = ZEventsSearch.parse(parseSearch('?eventType=payment_succeeded&startDate=2026-01-01&endDate=2026-02-30&cursor=xyz'));
    expect(search).toEqual({ projectId: undefined, eventType: 'payment_succeeded', startDate: '2026-01-01', endDate: undefined, cursor: 'xyz' });
    expect(stringifySearch(search)).toBe('?eventType=payment_succeeded&startDate=2026-01-01&cursor=xyz');
  });

  it('asks for the list with every filter and for the counts by type of the same project and range', () => {
    const search = ZEventsSearch.parse({ eventType: 'lead_created', startDate: '2026-01-01', endDate: '2026-01-07', cursor: 'c' });
    expect(eventsInput(search)).toEqual({
      projectId: undefined,
      eventType: 'lead_created',
      startDate: '2026-01-01',
      endDate: '2026-01-07',
      cursor: 'c',
      limit: EVENTS_PAGE_SIZE,
    });
    expect(statsInput(search)).toEqual({ projectId: undefined, startDate: '2026-01-01', endDate: '2026-01-07' });
    expect(withEventFilters(search, { eventType: undefined, startDate: '2026-01-02' }).cursor).toBeUndefined();
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
