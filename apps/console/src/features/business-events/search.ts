import type { RouterInputs, RouterOutputs } from '@runhub/client';
import { z } from 'zod/mini';
import { searchField } from '../../ui/url-state.js';

export type BusinessEvent = RouterOutputs['businessEvents']['list']['events'][number];

/** The business-events page's URL. The explorer's filters (source, actor, entity, payload, …) join here later. */
export const ZEventsSearch = z.object({
  projectId: searchField.uuid(),
  eventType: searchField.text(100),
  startDate: searchField.day(),
  endDate: searchField.day(),
  cursor: searchField.cursor(),
});
export type EventsSearch = z.output<typeof ZEventsSearch>;

export const EVENTS_PAGE_SIZE = 50;

export function eventsInput(search: EventsSearch): RouterInputs['businessEvents']['list'] {
  return {
    projectId: search.projectId,
    eventType: search.eventType,
    startDate: search.startDate,
    endDate: search.endDate,
    cursor: search.cursor,
    limit: EVENTS_PAGE_SIZE,
  };
}

/** The export's query string (SPEC §7.5): the list's filters from the URL, never a cursor or limit, and the format. */
export function exportQuery(search: EventsSearch, format: 'ndjson' | 'csv'): string {
  const params = new URLSearchParams();
  const { cursor: _cursor, limit: _limit, ...filters } = eventsInput(search);
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) params.set(name, String(value));
  if (format === 'csv') params.set('format', 'csv');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The counts by type cover the list's project and range (the API's stats take no type). */
export function statsInput(search: EventsSearch): RouterInputs['businessEvents']['stats'] {
  return { projectId: search.projectId, startDate: search.startDate, endDate: search.endDate };
}

/** Any filter change starts again from the newest events. */
export function withEventFilters(search: EventsSearch, filters: Omit<EventsSearch, 'cursor'>): EventsSearch {
  return { ...search, ...filters, cursor: undefined };
}

/** An event's amount, when its payload has one (integer minor units) and a currency or its project's. */
export function payloadAmount(payload: BusinessEvent['payload'], projectCurrency: string | undefined): { minorUnits: number; currency: string } | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const { amount, currency } = payload;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
  const code = typeof currency === 'string' && currency !== '' ? currency.toUpperCase() : projectCurrency;
  return code ? { minorUnits: amount, currency: code } : null;
}
