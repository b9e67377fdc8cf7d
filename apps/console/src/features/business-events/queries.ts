import { keepPreviousData, skipToken } from '@tanstack/react-query';
import type { useTRPC } from '../../api/client.js';
import { byDayInput, type EventFilterFields, type EventsSearch, eventsInput, statsInput } from './search.js';

type Trpc = ReturnType<typeof useTRPC>;

export const eventsQuery = (trpc: Trpc, search: EventsSearch) =>
  trpc.businessEvents.list.queryOptions(eventsInput(search), { placeholderData: keepPreviousData });

export const eventStatsQuery = (trpc: Trpc, search: EventsSearch) =>
  trpc.businessEvents.stats.queryOptions(statsInput(search), { placeholderData: keepPreviousData });

/** The chart by day (SPEC §7.7); not asked when the range holds more dates than the API allows. */
export const eventsByDayQuery = (trpc: Trpc, search: EventsSearch, today: string) =>
  trpc.businessEvents.stats.queryOptions(byDayInput(search, today) ?? skipToken, { placeholderData: keepPreviousData });

/** `id` is the public id (`evt_…`) the list links with, or the numeric id. */
export const eventQuery = (trpc: Trpc, id: string) => trpc.businessEvents.get.queryOptions({ id }, { staleTime: Number.POSITIVE_INFINITY });

/** The first related events of one (same correlation, session or entity), the event itself among them. */
export const RELATED_LIMIT = 6;
export const relatedEventsQuery = (trpc: Trpc, filter: Partial<EventFilterFields>) =>
  trpc.businessEvents.list.queryOptions({ ...filter, limit: RELATED_LIMIT });
