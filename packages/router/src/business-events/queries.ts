import type { Database } from '@runhub/db';
import { TRPCError } from '@trpc/server';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { isoTimestamp } from '../pagination.js';
import {
  type BusinessEventDto,
  EVENTS_LIST,
  type EventRef,
  type EventStatsInput,
  type EventStatsOutput,
  type ListEventsInput,
  type ListEventsOutput,
} from './schemas.js';

/** SPEC §3.1: a stats range without a start covers the 7 days before its end (and the end itself). */
const DEFAULT_STATS_DAYS = 7;

/**
 * Midnight UTC starting `day`, shifted by `plusDays`. The calendar math runs in SQL so that the
 * bound after 9999-12-31 is still a valid timestamp, and the result is a constant to the planner.
 */
function utcMidnight(day: string, plusDays = 0): RawBuilder<Date> {
  return sql<Date>`((${day}::date + ${plusDays}::int)::timestamp at time zone 'UTC')`;
}

/**
 * The event columns every answer shows, joined with the project's name, timestamps already as wire
 * text (`isoTimestamp`). Explicit: nothing else leaks.
 */
function selectEvents(db: Kysely<Database>) {
  return db
    .selectFrom('business_events as e')
    .innerJoin('projects as p', 'p.id', 'e.project_id')
    .select([
      'e.id',
      'e.public_id',
      'e.project_id',
      'p.name as project_name',
      'e.event_type',
      isoTimestamp('e.occurred_at').as('occurred_at'),
      isoTimestamp('e.received_at').as('received_at'),
      'e.source',
      'e.actor_type',
      'e.actor_id',
      'e.entity_type',
      'e.entity_id',
      'e.session_id',
      'e.anonymous_id',
      'e.correlation_id',
      'e.payload',
    ]);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>['execute']>>[number];

function toEventDto(row: EventRow): BusinessEventDto {
  return {
    id: row.id,
    publicId: row.public_id,
    projectId: row.project_id,
    projectName: row.project_name,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    source: row.source,
    actorType: row.actor_type,
    actorId: row.actor_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    sessionId: row.session_id,
    anonymousId: row.anonymous_id,
    correlationId: row.correlation_id,
    payload: row.payload,
  };
}

/**
 * One page of events as a query, newest `occurred_at` first, then id. Every filter combination
 * has an index that starts with its equality columns and then `(occurred_at desc, id desc)`, so
 * the keyset condition is an index bound and page 1,000 reads as few rows as page 1. Exported so
 * the plan script explains exactly what the endpoint runs.
 */
export function listEventsQuery(db: Kysely<Database>, input: ListEventsInput) {
  let query = selectEvents(db);
  if (input.projectId) query = query.where('e.project_id', '=', input.projectId);
  if (input.eventType) query = query.where('e.event_type', '=', input.eventType);
  if (input.startDate) query = query.where('e.occurred_at', '>=', utcMidnight(input.startDate));
  if (input.endDate) query = query.where('e.occurred_at', '<', utcMidnight(input.endDate, 1));
  return EVENTS_LIST.paginate(query, input);
}

export async function listEvents(db: Kysely<Database>, input: ListEventsInput): Promise<ListEventsOutput> {
  const rows = await listEventsQuery(db, input).execute();
  const { page, nextCursor } = EVENTS_LIST.toPage(rows, input.limit);
  return { events: page.map(toEventDto), nextCursor };
}

/** An event by numeric id or public id; NOT_FOUND when neither matches. */
export async function getEvent(db: Kysely<Database>, ref: EventRef): Promise<BusinessEventDto> {
  const query = selectEvents(db);
  const row = await (ref.by === 'id' ? query.where(sql<boolean>`e.id = ${ref.id}::bigint`) : query.where('e.public_id', '=', ref.publicId)).executeTakeFirst();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No business event ${ref.by === 'id' ? ref.id : ref.publicId}` });
  return toEventDto(row);
}

export interface StatsRange {
  projectId?: string | undefined;
  startDate: string;
  endDate: string;
}

/**
 * The range a stats call covers (SPEC §3.1): the end defaults to today in UTC by `clock`, the
 * start to 7 days before the end. A start after the end is a 400 even when the end was implied.
 */
export async function resolveStatsRange(db: Kysely<Database>, clock: Clock, input: EventStatsInput): Promise<StatsRange> {
  let { startDate, endDate } = input;
  if (!startDate || !endDate) {
    const end = sql<string>`coalesce(${endDate ?? null}::date, (${clock.now()} at time zone 'UTC')::date)`;
    ({ startDate, endDate } = await db
      .selectNoFrom([
        sql<string>`to_char(coalesce(${startDate ?? null}::date, ${end} - ${DEFAULT_STATS_DAYS}::int), 'YYYY-MM-DD')`.as('startDate'),
        sql<string>`to_char(${end}, 'YYYY-MM-DD')`.as('endDate'),
      ])
      .executeTakeFirstOrThrow());
  }
  if (startDate > endDate) {
    const message = `startDate ${startDate} is after endDate ${endDate}`;
    throw new AppError({ code: 'BAD_REQUEST', message: `startDate: ${message}`, details: { issues: [{ path: 'startDate', message }] } });
  }
  return { projectId: input.projectId, startDate, endDate };
}

/**
 * Counts per event type over a range, as a query. The covering indexes carry `event_type`, so a
 * 7-day range is an index-only scan of that range, with or without a project. Types sort by count,
 * then by code point (`collate "C"`), the same on every database whatever its default collation.
 */
export function eventStatsQuery(db: Kysely<Database>, range: StatsRange) {
  let query = db
    .selectFrom('business_events')
    .select((eb) => ['event_type', eb.fn.countAll<number>().as('count')])
    .where('occurred_at', '>=', utcMidnight(range.startDate))
    .where('occurred_at', '<', utcMidnight(range.endDate, 1));
  if (range.projectId) query = query.where('project_id', '=', range.projectId);
  return query.groupBy('event_type').orderBy('count', 'desc').orderBy(sql`event_type collate "C"`);
}

export async function eventStats(db: Kysely<Database>, clock: Clock, input: EventStatsInput): Promise<EventStatsOutput> {
  const range = await resolveStatsRange(db, clock, input);
  const rows = await eventStatsQuery(db, range).execute();
  return {
    totalEvents: rows.reduce((total, row) => total + row.count, 0),
    startDate: range.startDate,
    endDate: range.endDate,
    byType: rows.map((row) => ({ eventType: row.event_type, count: row.count })),
  };
}
