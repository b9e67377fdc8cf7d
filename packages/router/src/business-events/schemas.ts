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

export const ZListEventsInput = z
  .object({
    projectId: z.guid().optional(),
    eventType: z.string().min(1).max(100).optional(),
    startDate: zDay.optional(),
    endDate: zDay.optional(),
    limit: zLimit,
    cursor: EVENTS_LIST.cursor.optional(),
  })
  .superRefine(checkRange);

export const ZEventStatsInput = z
  .object({
    projectId: z.guid().optional(),
    startDate: zDay.optional(),
    endDate: zDay.optional(),
  })
  .superRefine(checkRange);

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
});

export type ListEventsInput = z.output<typeof ZListEventsInput>;
export type EventStatsInput = z.output<typeof ZEventStatsInput>;
export type BusinessEventDto = z.output<typeof ZBusinessEvent>;
export type ListEventsOutput = z.output<typeof ZListEventsOutput>;
export type EventStatsOutput = z.output<typeof ZEventStatsOutput>;
