import { z } from 'zod';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

/** Events, newest `occurred_at` first, then id. */
export const EVENTS_LIST = keysetList({ name: 'business-events', time: 'e.occurred_at', id: 'e.id', idType: 'bigint' });

/**
 * A calendar day, `YYYY-MM-DD`, that exists (2026-02-30 does not). Years stop at 1000–9999 so
 * every date, and a default range start 7 days before it, keeps four digits. A malformed date
 * aborts, so the range check below never compares it and it gets exactly one issue.
 */
export const zDay = z.iso
  .date({ error: 'must be a real date as YYYY-MM-DD', abort: true })
  .refine((day) => day >= '1000-01-01', 'must be a date from 1000-01-01 on');

/** Range checks need both ends; SPEC §3.1: start after end is a 400, named on `startDate`. */
function checkRange(input: { startDate?: string | undefined; endDate?: string | undefined }, ctx: z.RefinementCtx): void {
  if (input.startDate && input.endDate && input.startDate > input.endDate) {
    ctx.addIssue({ code: 'custom', path: ['startDate'], message: `startDate ${input.startDate} is after endDate ${input.endDate}` });
  }
}

/** SPEC §7.6: an event type entry is these characters, optionally ending in `*` (a prefix). */
const EVENT_TYPE_ENTRY = /^([A-Za-z0-9_.:-]{1,100})(\*?)$/;
const MAX_EVENT_TYPE_ENTRIES = 20;

/** What `eventType` selects: exact types and type prefixes (an event matches any of them). */
export interface EventTypeFilter {
  exact: string[];
  prefixes: string[];
}

/**
 * `eventType`: up to 20 comma-separated entries, each an exact type or a prefix ending in `*`
 * (`payment_*`), of `[A-Za-z0-9_.:-]` (1–100 of them) before the `*`. The same text on REST and `/trpc`.
 */
export const zEventTypeFilter = z
  .string()
  .max(2_100)
  .transform((text, ctx): EventTypeFilter => {
    const entries = text.split(',');
    if (entries.length > MAX_EVENT_TYPE_ENTRIES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_EVENT_TYPE_ENTRIES} comma-separated entries, got ${entries.length}` });
      return z.NEVER;
    }
    const filter: EventTypeFilter = { exact: [], prefixes: [] };
    for (const entry of entries) {
      const match = EVENT_TYPE_ENTRY.exec(entry);
      if (!match?.[1]) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${JSON.stringify(entry.slice(0, 120))} must be 1–100 of [A-Za-z0-9_.:-], optionally followed by * for a prefix`,
        });
        return z.NEVER;
      }
      (match[2] ? filter.prefixes : filter.exact).push(match[1]);
    }
    return filter;
  })
  .meta({
    description: 'Up to 20 comma-separated entries, each an exact event type or a prefix ending in `*` (`payment_*`), of `[A-Za-z0-9_.:-]` before the `*`.',
  });

/** SPEC §7.6: the payload filter's JSON text holds at most this many characters. */
export const MAX_PAYLOAD_FILTER_CHARS = 2_000;

/**
 * `payload`: a JSON object an event's payload must contain (`payload @> $1`). REST sends its JSON
 * text (query strings are text); `/trpc` and the SDK may send the object itself or the same text.
 * Either way the limit of 2,000 characters applies to the JSON text, and the result is that text.
 */
export const zPayloadFilter = z
  .union([z.string(), z.record(z.string(), z.json())])
  .transform((value, ctx): string => {
    let parsed: unknown = value;
    if (typeof value === 'string') {
      if (value.length > MAX_PAYLOAD_FILTER_CHARS) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_PAYLOAD_FILTER_CHARS} characters of JSON` });
        return z.NEVER;
      }
      try {
        parsed = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"currency":"USD"}; this is not JSON' });
        return z.NEVER;
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"currency":"USD"}' });
      return z.NEVER;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(parsed);
    if (text.length > MAX_PAYLOAD_FILTER_CHARS) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_PAYLOAD_FILTER_CHARS} characters of JSON` });
      return z.NEVER;
    }
    return text;
  })
  .meta({ description: 'A JSON object the payload must contain, as JSON text (URL-encoded on REST; the SDK may pass the object); at most 2,000 characters.' });

/** An exact-match text filter of SPEC §7.6. */
const zExact = z.string().min(1).max(200);

/** The filters list, stats and export share (SPEC §3.1, §7.6), besides the date range. */
const eventFilters = {
  projectId: z.guid().optional(),
  eventType: zEventTypeFilter.optional(),
  source: zExact.optional(),
  actorType: zExact.optional(),
  actorId: zExact.optional(),
  entityType: zExact.optional(),
  entityId: zExact.optional(),
  sessionId: zExact.optional(),
  anonymousId: zExact.optional(),
  correlationId: zExact.optional(),
  payload: zPayloadFilter.optional(),
  startDate: zDay.optional(),
  endDate: zDay.optional(),
};

export const ZListEventsInput = z
  .object({
    ...eventFilters,
    limit: zLimit,
    cursor: EVENTS_LIST.cursor.optional(),
  })
  .superRefine(checkRange);

/** SPEC §7.7: with `groupBy=day` a range holds at most this many dates. */
export const MAX_BY_DAY_DATES = 366;

export const ZEventStatsInput = z
  .object({
    ...eventFilters,
    groupBy: z.enum(['day']).optional().meta({ description: '`day` adds `byDay`: every UTC date of the range (at most 366), ascending, zero-filled.' }),
  })
  .superRefine(checkRange);

/** The filters of an event query, as list, stats and export pass them on. */
export type EventFilters = Omit<z.output<typeof ZListEventsInput>, 'limit' | 'cursor'>;

const MAX_BIGINT = 9223372036854775807n;
const NUMERIC_ID = /^[1-9]\d{0,18}$/;
const PUBLIC_ID = /^evt_[A-Za-z0-9_-]{1,124}$/;

/** How `:id` names an event: its numeric id (kept as text, it is a bigint) or its public id. */
export type EventRef = { by: 'id'; id: string } | { by: 'publicId'; publicId: string };

/**
 * `:id` is a path segment, so text; the typed client may also pass the numeric `id` it was given.
 * Anything that cannot be an id (negative, fractional, past bigint, free text) is a 400 here
 * rather than a failed cast in SQL.
 */
export const ZEventRef = z.union([z.string().max(128), z.int()]).transform((value, ctx): EventRef => {
  const text = String(value);
  if (NUMERIC_ID.test(text) && BigInt(text) <= MAX_BIGINT) return { by: 'id', id: text };
  if (PUBLIC_ID.test(text)) return { by: 'publicId', publicId: text };
  ctx.addIssue({ code: 'custom', message: 'must be a positive integer id or a public id (evt_…)' });
  return z.NEVER;
});

export const ZGetEventInput = z.object({ id: ZEventRef });

export const ZBusinessEvent = z.object({
  id: z.int(),
  publicId: z.string(),
  projectId: z.guid(),
  projectName: z.string(),
  eventType: z.string(),
  occurredAt: zIsoTimestamp,
  receivedAt: zIsoTimestamp,
  source: z.string(),
  actorType: z.string().nullable(),
  actorId: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  sessionId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  correlationId: z.string().nullable(),
  payload: z.json(),
});

export const ZListEventsOutput = z.object({
  events: z.array(ZBusinessEvent),
  nextCursor: z.string().nullable(),
});

export const ZEventStatsOutput = z.object({
  totalEvents: z.int(),
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  byType: z.array(z.object({ eventType: z.string(), count: z.int() })),
  /** Only with `groupBy=day`: every UTC date of the range, ascending, zero-filled (SPEC §7.7). */
  byDay: z.array(z.object({ date: z.iso.date(), count: z.int() })).optional(),
});

export type ListEventsInput = z.output<typeof ZListEventsInput>;
export type EventStatsInput = z.output<typeof ZEventStatsInput>;
export type BusinessEventDto = z.output<typeof ZBusinessEvent>;
export type ListEventsOutput = z.output<typeof ZListEventsOutput>;
export type EventStatsOutput = z.output<typeof ZEventStatsOutput>;
