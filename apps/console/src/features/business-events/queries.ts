import { keepPreviousData } from '@tanstack/react-query';
import type { useTRPC } from '../../api/client.js';
import { type EventsSearch, eventsInput, statsInput } from './search.js';

type Trpc = ReturnType<typeof useTRPC>;

export const eventsQuery = (trpc: Trpc, search: EventsSearch) =>
  trpc.businessEvents.list.queryOptions(eventsInput(search), { placeholderData: keepPreviousData });

export const eventStatsQuery = (trpc: Trpc, search: EventsSearch) =>
  trpc.businessEvents.stats.queryOptions(statsInput(search), { placeholderData: keepPreviousData });

/** `id` is the public id (`evt_…`) the list links with, or the numeric id. */
export const eventQuery = (trpc: Trpc, id: string) => trpc.businessEvents.get.queryOptions({ id }, { staleTime: Number.POSITIVE_INFINITY });
