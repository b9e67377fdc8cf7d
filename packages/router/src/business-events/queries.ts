import type { Database } from '@runhub/db';
import { TRPCError } from '@trpc/server';
import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { isoTimestamp } from '../pagination.js';
import { shapedQuery } from '../statement-cache.js';
import {
  type BusinessEventDto,
  EVENTS_LIST,
  type EventFilters,
  type EventRef,
  type EventStatsInput,
  type EventStatsOutput,
  type EventTypeFilter,
  type ListEventsInput,
  type ListEventsOutput,
  MAX_BY_DAY_DATES,
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

/** `LIKE` text that matches exactly `text`: the escape character and both wildcards escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * SPEC §7.6's event type filter matches an exact type (`= any`, an index bound) or any prefix (`LIKE
 * 'prefix%'` with `_` and `%` escaped, a range of the `text_pattern_ops` indexes).
 */
export function eventTypeCondition(column: Expression<string>, filter: EventTypeFilter): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [];
  if (filter.exact.length === 1) parts.push(sql<SqlBool>`${column} = ${filter.exact[0]}`);
  else if (filter.exact.length > 1) parts.push(sql<SqlBool>`${column} = any(${filter.exact}::text[])`);
  for (const prefix of filter.prefixes) parts.push(sql<SqlBool>`${column} like ${`${escapeLike(prefix)}%`}`);
  return parts.length === 1 ? (parts[0] as RawBuilder<SqlBool>) : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The exact-match filters of SPEC §7.6: input field and column. */
const EXACT_FILTERS = [
  ['source', 'source'],
  ['actorType', 'actor_type'],
  ['actorId', 'actor_id'],
  ['entityType', 'entity_type'],
  ['entityId', 'entity_id'],
  ['sessionId', 'session_id'],
  ['anonymousId', 'anonymous_id'],
  ['correlationId', 'correlation_id'],
] as const satisfies readonly (readonly [keyof EventFilters, string])[];

/**
 * Every filter of list, stats and export as conditions on `business_events as e`. One function, so
 * the list, its export and stats's fallback select exactly the same events.
 */
export function eventConditions(eb: ExpressionBuilder<Database & { e: Database['business_events'] }, 'e'>, filters: EventFilters): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.projectId) conditions.push(eb('e.project_id', '=', filters.projectId));
  if (filters.eventType) conditions.push(eventTypeCondition(sql.ref('e.event_type'), filters.eventType));
  for (const [field, column] of EXACT_FILTERS) {
    const value = filters[field];
    if (value !== undefined) conditions.push(eb(`e.${column}`, '=', value));
  }
  if (filters.payload !== undefined) conditions.push(sql<SqlBool>`e.payload @> ${filters.payload}::jsonb`);
  if (filters.startDate) conditions.push(eb('e.occurred_at', '>=', utcMidnight(filters.startDate)));
  if (filters.endDate) conditions.push(eb('e.occurred_at', '<', utcMidnight(filters.endDate, 1)));
  return eb.and(conditions);
}

/**
 * One page of events as a query, newest `occurred_at` first, then id. Every filter combination
 * of part one has an index that starts with its equality columns and then `(occurred_at desc, id
 * desc)`, as do the entity, session, anonymous id and correlation id lookups (SPEC §7.6), so the
 * keyset condition is an index bound and page 1,000 reads as few rows as page 1. Exported so the
 * plan script explains exactly what the endpoint runs.
 */
export function listEventsQuery(db: Kysely<Database>, input: ListEventsInput) {
  const query = selectEvents(db).where((eb) => eventConditions(eb, input));
  return EVENTS_LIST.paginate(query, input);
}

/**
 * The list's statement, compiled once per shape (which filters are set, how many event type entries
 * of each kind, whether there is a cursor). `parametersOf` lists the values in the order
 * `eventConditions` and `paginate` bind them; `list.test.ts` checks it against a fresh compile for every shape.
 */
export const EVENTS_PAGE = shapedQuery({
  shapeOf: (input: ListEventsInput) => {
    const type = input.eventType;
    let shape = type ? `t${type.exact.length > 1 ? 'n' : type.exact.length}p${type.prefixes.length}` : '';
    if (input.projectId) shape += 'P';
    for (const [field] of EXACT_FILTERS) shape += input[field] === undefined ? '-' : '+';
    if (input.payload !== undefined) shape += 'J';
    if (input.startDate) shape += 'S';
    if (input.endDate) shape += 'E';
    if (input.cursor) shape += 'C';
    return shape;
  },
  build: listEventsQuery,
  parametersOf: (input: ListEventsInput) => {
    const parameters: unknown[] = [];
    if (input.projectId) parameters.push(input.projectId);
    const type = input.eventType;
    if (type) {
      if (type.exact.length === 1) parameters.push(type.exact[0]);
      else if (type.exact.length > 1) parameters.push(type.exact);
      for (const prefix of type.prefixes) parameters.push(`${escapeLike(prefix)}%`);
    }
    for (const [field] of EXACT_FILTERS) {
      const value = input[field];
      if (value !== undefined) parameters.push(value);
    }
    if (input.payload !== undefined) parameters.push(input.payload);
    if (input.startDate) parameters.push(input.startDate, 0);
    if (input.endDate) parameters.push(input.endDate, 1);
    if (input.cursor) parameters.push(input.cursor[0], input.cursor[1]);
    parameters.push(input.limit + 1);
    return parameters;
  },
});

export async function listEvents(db: Kysely<Database>, input: ListEventsInput): Promise<ListEventsOutput> {
  const rows = await EVENTS_PAGE.execute(db, input);
  const { page, nextCursor } = EVENTS_LIST.toPage(rows, input.limit);
  return { events: page.map(toEventDto), nextCursor };
}

/** The lookup of one event, by numeric id or public id: compiled once per kind of id. */
export function eventByRefQuery(db: Kysely<Database>, ref: EventRef) {
  const query = selectEvents(db);
  return ref.by === 'id' ? query.where(sql<boolean>`e.id = ${ref.id}::bigint`) : query.where('e.public_id', '=', ref.publicId);
}

export const EVENT_BY_REF = shapedQuery({
  shapeOf: (ref: EventRef) => ref.by,
  build: eventByRefQuery,
  parametersOf: (ref: EventRef) => [ref.by === 'id' ? ref.id : ref.publicId],
});

/** An event by numeric id or public id; NOT_FOUND when neither matches. */
export async function getEvent(db: Kysely<Database>, ref: EventRef): Promise<BusinessEventDto> {
  const [row] = await EVENT_BY_REF.execute(db, ref);
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No business event ${ref.by === 'id' ? ref.id : ref.publicId}` });
  return toEventDto(row);
}

export interface StatsRange {
  startDate: string;
  endDate: string;
}

/** Stats's input with its range resolved. */
export type StatsQueryInput = Omit<EventStatsInput, 'startDate' | 'endDate'> & StatsRange;

/**
 * The range a stats call covers (SPEC §3.1): the end defaults to today in UTC by `clock`, the
 * start to 7 days before the end. A start after the end is a 400 even when the end was implied;
 * with `groupBy=day`, so is a range of more than 366 dates (SPEC §7.7).
 */
export async function resolveStatsRange(db: Kysely<Database>, clock: Clock, input: EventStatsInput): Promise<StatsQueryInput> {
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
  if (startDate > endDate) badRange('startDate', `startDate ${startDate} is after endDate ${endDate}`);
  if (input.groupBy === 'day' && daysBetween(startDate, endDate) >= MAX_BY_DAY_DATES) {
    badRange(
      'startDate',
      `with groupBy=day the range holds at most ${MAX_BY_DAY_DATES} dates; ${startDate}..${endDate} holds ${daysBetween(startDate, endDate) + 1}`,
    );
  }
  return { ...input, startDate, endDate };
}

function badRange(path: string, message: string): never {
  throw new AppError({ code: 'BAD_REQUEST', message: `${path}: ${message}`, details: { issues: [{ path, message }] } });
}

/** Whole days from `start` to `end` (both `YYYY-MM-DD`, years 1000–9999, proleptic Gregorian in UTC). */
function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

/** The fields stats can answer from `business_event_daily_counts`; any other filter counts events. */
const COUNTS_FIELDS = new Set<string>(['projectId', 'eventType', 'startDate', 'endDate', 'groupBy']);

/** Whether the daily counts answer these filters (project, event types, range, groupBy only). */
export function statsFromCounts(input: StatsQueryInput): boolean {
  return Object.entries(input).every(([field, value]) => value === undefined || COUNTS_FIELDS.has(field));
}

/**
 * Counts per event type over a range, as a query: a sum of `business_event_daily_counts` when
 * the filters allow (its rows grow with projects × days × types, not with events), else a count of
 * the events themselves. Types sort by count, then by code point (`collate "C"`), the same on every
 * database whatever its default collation.
 */
export function eventStatsQuery(db: Kysely<Database>, input: StatsQueryInput) {
  if (statsFromCounts(input)) {
    let query = db
      .selectFrom('business_event_daily_counts as c')
      .select(['c.event_type', sql<number>`sum(c.n)::bigint`.as('count')])
      .where('c.day', '>=', sql<string>`${input.startDate}::date`)
      .where('c.day', '<=', sql<string>`${input.endDate}::date`);
    if (input.projectId) query = query.where('c.project_id', '=', input.projectId);
    if (input.eventType) query = query.where(eventTypeCondition(sql.ref('c.event_type'), input.eventType));
    return query.groupBy('c.event_type').having(sql<SqlBool>`sum(c.n) <> 0`).orderBy('count', 'desc').orderBy(sql`c.event_type collate "C"`);
  }
  return db
    .selectFrom('business_events as e')
    .select((eb) => ['e.event_type', eb.fn.countAll<number>().as('count')])
    .where((eb) => eventConditions(eb, input))
    .groupBy('e.event_type')
    .orderBy('count', 'desc')
    .orderBy(sql`e.event_type collate "C"`);
}

/** Events per UTC date of the range, every date present, ascending (SPEC §7.7). */
export function eventsByDayQuery(db: Kysely<Database>, input: StatsQueryInput) {
  const perDayQuery = statsFromCounts(input)
    ? db
        .selectFrom('business_event_daily_counts as c')
        .select(['c.day', sql<number>`sum(c.n)`.as('n')])
        .where('c.day', '>=', sql<string>`${input.startDate}::date`)
        .where('c.day', '<=', sql<string>`${input.endDate}::date`)
        .$if(Boolean(input.projectId), (query) => query.where('c.project_id', '=', input.projectId as string))
        .$if(Boolean(input.eventType), (query) => query.where(eventTypeCondition(sql.ref('c.event_type'), input.eventType as EventTypeFilter)))
        .groupBy('c.day')
    : db
        .selectFrom('business_events as e')
        .select([sql<string>`(e.occurred_at at time zone 'UTC')::date`.as('day'), sql<number>`count(*)`.as('n')])
        .where((eb) => eventConditions(eb, input))
        .groupBy(sql`(e.occurred_at at time zone 'UTC')::date`);
  return sql<{ date: string; count: number }>`
    select to_char(d.day, 'YYYY-MM-DD') as date, coalesce(x.n, 0)::bigint as count
    from generate_series(${input.startDate}::date, ${input.endDate}::date, interval '1 day') as d(day)
    left join (${perDayQuery}) as x on x.day = d.day::date
    order by d.day`;
}

/**
 * SPEC §3.1 and §7.7's stats. With `groupBy=day` both queries read one snapshot (a repeatable-read
 * transaction), so `byDay` always sums to `totalEvents` even while events commit.
 */
export async function eventStats(db: Kysely<Database>, clock: Clock, input: EventStatsInput): Promise<EventStatsOutput> {
  const resolved = await resolveStatsRange(db, clock, input);
  const answer = async (reader: Kysely<Database>): Promise<EventStatsOutput> => {
    const rows = await eventStatsQuery(reader, resolved).execute();
    const stats: EventStatsOutput = {
      totalEvents: rows.reduce((total, row) => total + row.count, 0),
      startDate: resolved.startDate,
      endDate: resolved.endDate,
      byType: rows.map((row) => ({ eventType: row.event_type, count: row.count })),
    };
    if (resolved.groupBy === 'day') stats.byDay = (await eventsByDayQuery(reader, resolved).execute(reader)).rows;
    return stats;
  };
  if (resolved.groupBy !== 'day') return answer(db);
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(answer);
}
