import type { RouterInputs, RouterOutputs } from '@runhub/client';
import { z } from 'zod/mini';
import { searchField } from '../../ui/url-state.js';

export type BusinessEvent = RouterOutputs['businessEvents']['list']['events'][number];

/** SPEC §7.6: up to 20 comma-separated entries, each an exact type or a prefix ending in `*`. */
const EVENT_TYPE_ENTRY = /^[A-Za-z0-9_.:-]{1,100}\*?$/;
export function isEventTypeFilter(text: string): boolean {
  const entries = text.split(',');
  return entries.length <= 20 && entries.every((entry) => EVENT_TYPE_ENTRY.test(entry));
}

/** SPEC §7.6: the payload filter is a JSON object of at most 2,000 characters. */
export const PAYLOAD_FILTER_MAX = 2_000;
export function isPayloadFilter(text: string): boolean {
  if (text.length > PAYLOAD_FILTER_MAX) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The explorer's exact-match filters (SPEC §7.6), in the order the form shows them. */
export const EXACT_FILTERS = [
  { name: 'source', label: 'Source' },
  { name: 'actorType', label: 'Actor type' },
  { name: 'actorId', label: 'Actor id' },
  { name: 'entityType', label: 'Entity type' },
  { name: 'entityId', label: 'Entity id' },
  { name: 'sessionId', label: 'Session id' },
  { name: 'anonymousId', label: 'Anonymous id' },
  { name: 'correlationId', label: 'Correlation id' },
] as const;
export type ExactFilter = (typeof EXACT_FILTERS)[number]['name'];

const exact = () => searchField.text(200);

/** The business-events page's URL: every filter of the explorer (SPEC §7.6), the UTC day range, the cursor. */
export const ZEventsSearch = z.object({
  projectId: searchField.uuid(),
  eventType: z.catch(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2_100), z.refine(isEventTypeFilter))), undefined),
  startDate: searchField.day(),
  endDate: searchField.day(),
  source: exact(),
  actorType: exact(),
  actorId: exact(),
  entityType: exact(),
  entityId: exact(),
  sessionId: exact(),
  anonymousId: exact(),
  correlationId: exact(),
  payload: z.catch(z.optional(z.string().check(z.trim(), z.minLength(1), z.refine(isPayloadFilter))), undefined),
  cursor: searchField.cursor(),
});
export type EventsSearch = z.output<typeof ZEventsSearch>;
export type EventFilterFields = Omit<EventsSearch, 'cursor'>;

export const EVENTS_PAGE_SIZE = 50;

/** The filters of the URL as the API takes them (list, stats, export); the payload stays its JSON text. */
export function eventFilters(search: EventsSearch): Omit<RouterInputs['businessEvents']['list'], 'limit' | 'cursor'> {
  return {
    projectId: search.projectId,
    eventType: search.eventType,
    startDate: search.startDate,
    endDate: search.endDate,
    source: search.source,
    actorType: search.actorType,
    actorId: search.actorId,
    entityType: search.entityType,
    entityId: search.entityId,
    sessionId: search.sessionId,
    anonymousId: search.anonymousId,
    correlationId: search.correlationId,
    payload: search.payload,
  };
}

export function eventsInput(search: EventsSearch): RouterInputs['businessEvents']['list'] {
  return { ...eventFilters(search), cursor: search.cursor, limit: EVENTS_PAGE_SIZE };
}

/** The export's query string (SPEC §7.5): the list's filters from the URL, never a cursor or limit, and the format. */
export function exportQuery(search: EventsSearch, format: 'ndjson' | 'csv'): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(eventFilters(search))) if (value !== undefined) params.set(name, String(value));
  if (format === 'csv') params.set('format', 'csv');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The counts by type cover every filter but the type itself, so the type links stay a way to
 * switch between types of the same selection.
 */
export function statsInput(search: EventsSearch): RouterInputs['businessEvents']['stats'] {
  return { ...eventFilters(search), eventType: undefined };
}

/** SPEC §7.7: a range by day holds at most 366 dates. */
export const MAX_BY_DAY_DATES = 366;
const DAY_MS = 86_400_000;

/**
 * The chart by day: the list's own filters with `groupBy: 'day'`, or null when its range would
 * hold more than 366 dates (the API would refuse it). The range resolves as the API's does: the
 * end defaults to today (UTC), the start to 7 days before the end.
 */
export function byDayInput(search: EventsSearch, today: string): RouterInputs['businessEvents']['stats'] | null {
  const end = search.endDate ?? today;
  const start = search.startDate ?? new Date(Date.parse(end) - 7 * DAY_MS).toISOString().slice(0, 10);
  if ((Date.parse(end) - Date.parse(start)) / DAY_MS + 1 > MAX_BY_DAY_DATES) return null;
  return { ...eventFilters(search), groupBy: 'day' };
}

/** Any filter change starts again from the newest events. */
export function withEventFilters(search: EventsSearch, filters: EventFilterFields): EventsSearch {
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

/** The related events of one (SPEC §9): the same correlation, session or entity, each the filter that lists them. */
export function relatedFilters(event: BusinessEvent): { key: 'correlation' | 'session' | 'entity'; label: string; filter: Partial<EventFilterFields> }[] {
  const related: ReturnType<typeof relatedFilters> = [];
  const projectId = event.projectId;
  if (event.correlationId)
    related.push({ key: 'correlation', label: `Same correlation (${event.correlationId})`, filter: { projectId, correlationId: event.correlationId } });
  if (event.sessionId) related.push({ key: 'session', label: `Same session (${event.sessionId})`, filter: { projectId, sessionId: event.sessionId } });
  if (event.entityId) {
    const filter = event.entityType ? { projectId, entityType: event.entityType, entityId: event.entityId } : { projectId, entityId: event.entityId };
    related.push({ key: 'entity', label: `Same entity (${event.entityType ?? '?'} ${event.entityId})`, filter });
  }
  return related;
}
