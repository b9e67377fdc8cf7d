import type { Database } from '@runhub/db';
import { type RawBuilder, sql, type Transaction } from 'kysely';

/** Sums stay exact as JS numbers. */
const MAX_SAFE_CENTS = '9007199254740991';
const COUNTED_TYPES = sql`('payment_succeeded', 'lead_created')`;

export interface RollupProject {
  id: string;
  timezone: string;
  currency_code: string;
}

/** A project with a watermark: `watermark` as PostgreSQL text, so microseconds survive. */
export interface WatermarkedProject extends RollupProject {
  watermark: string;
}

/**
 * The projects of a batch as the relation `b (id, timezone, currency_code)`, or with `watermark`
 * added, with the time zone and currency read when the run started, so every statement of the batch
 * sees the same ones.
 */
function batchRelation(projects: readonly RollupProject[]) {
  const rows = projects.map((p) => sql`(${p.id}::uuid, ${p.timezone}::text, ${p.currency_code}::text)`);
  return sql`(values ${sql.join(rows)}) as b (id, timezone, currency_code)`;
}

function watermarkedRelation(projects: readonly WatermarkedProject[]) {
  const rows = projects.map((p) => sql`(${p.id}::uuid, ${p.timezone}::text, ${p.currency_code}::text, ${p.watermark}::timestamptz)`);
  return sql`(values ${sql.join(rows)}) as b (id, timezone, currency_code, watermark)`;
}

/** The project-local date of the event `e`. */
const localDate = (timezone: RawBuilder<unknown>) => sql`(e.occurred_at at time zone ${timezone})::date`;

/** SPEC §3.3's three numbers, over the events `e` of one project-local date, in the project's currency. */
function dailyTotals(currency: RawBuilder<unknown>) {
  // A payment's amount counts when it is a JSON integer; anything else (a string, a fraction, garbage
  // from a buggy producer) is still a payment but adds no revenue, instead of failing the whole rollup.
  return sql`
    count(*) filter (where e.event_type = 'payment_succeeded') as payments,
    count(*) filter (where e.event_type = 'lead_created') as leads,
    least(coalesce(sum(
      case when jsonb_typeof(e.payload -> 'amount') = 'number' and (e.payload ->> 'amount') ~ '^[0-9]{1,15}$'
           then (e.payload ->> 'amount')::bigint else 0 end
    ) filter (
      where e.event_type = 'payment_succeeded'
        and upper(coalesce(e.payload ->> 'currency', ${currency})) = upper(${currency})
    ), 0), ${MAX_SAFE_CENTS}::numeric)::bigint as revenue_cents`;
}

/** Writes the CTE `totals (project_id, currency_code, date, payments, leads, revenue_cents)`. */
function upsertTotals(now: RawBuilder<Date>) {
  return sql`
    insert into business_kpi_daily (project_id, date, revenue_cents, leads, payments, currency_code, updated_at)
    select t.project_id, t.date, t.revenue_cents, t.leads, t.payments, t.currency_code, ${now}
    from totals t
    on conflict (project_id, date) do update
      set revenue_cents = excluded.revenue_cents,
          leads = excluded.leads,
          payments = excluded.payments,
          currency_code = excluded.currency_code,
          updated_at = excluded.updated_at`;
}

/**
 * Rebuilds every bucket of projects without a watermark: one pass over their events, grouped by
 * project and local date, like a hand-written `insert … select … group by`.
 */
export async function recomputeAllDays(trx: Transaction<Database>, projects: readonly RollupProject[], now: RawBuilder<Date>): Promise<void> {
  // Rows of dates that no longer have events (the project's time zone changed) must not survive a rebuild.
  await trx
    .deleteFrom('business_kpi_daily')
    .where(
      'project_id',
      'in',
      projects.map((p) => p.id),
    )
    .execute();
  await sql`
    with totals as (
      select b.id as project_id, b.currency_code, ${localDate(sql`b.timezone`)} as date, ${dailyTotals(sql`b.currency_code`)}
      from business_events e
      join ${batchRelation(projects)} on b.id = e.project_id
      where e.received_at <= ${now} and e.event_type in ${COUNTED_TYPES}
      group by b.id, b.currency_code, 3
    )
    ${upsertTotals(now)}`.execute(trx);
}

/**
 * Recomputes, whole, the local dates of events received since each project's watermark less the
 * overlap, for all the projects at once.
 */
export async function recomputeTouchedDays(
  trx: Transaction<Database>,
  projects: readonly WatermarkedProject[],
  now: RawBuilder<Date>,
  overlapMs: number,
): Promise<void> {
  // Touched dates come from the (project_id, received_at) index, per project: DISTINCT keeps the
  // LATERAL subquery from being flattened into a hash join that reads every event of the batch. Each
  // date is then re-read whole through an occurred_at range scan, LATERAL again so it stays a per-day
  // range scan. The range is widened by two hours and the date checked exactly, so a day that does
  // not start at local midnight (a DST jump at 00:00) still gets exactly its events.
  await sql`
    with touched as (
      select b.id as project_id, b.timezone, b.currency_code, n.date
      from ${watermarkedRelation(projects)}
      cross join lateral (
        select distinct ${localDate(sql`b.timezone`)} as date
        from business_events e
        where e.project_id = b.id
          and e.received_at > b.watermark - make_interval(secs => ${overlapMs / 1000})
          and e.received_at <= ${now}
          and e.event_type in ${COUNTED_TYPES}
      ) as n
    ),
    totals as (
      select t.project_id, t.currency_code, t.date, day.payments, day.leads, day.revenue_cents
      from touched t
      cross join lateral (
        select ${dailyTotals(sql`t.currency_code`)}
        from business_events e
        where e.project_id = t.project_id
          and e.occurred_at >= (t.date::timestamp at time zone t.timezone) - interval '2 hours'
          and e.occurred_at < ((t.date + 1)::timestamp at time zone t.timezone) + interval '2 hours'
          and ${localDate(sql`t.timezone`)} = t.date
          and e.received_at <= ${now}
          and e.event_type in ${COUNTED_TYPES}
      ) as day
    )
    ${upsertTotals(now)}`.execute(trx);
}

/** A rebuild's range of the projects' local dates, `YYYY-MM-DD`, both ends included. */
export interface LocalDateRange {
  startDate: string;
  endDate: string;
}

/**
 * Rebuilds every bucket of the range for the batch's projects from all of their events, whatever
 * the watermarks: the range's buckets are deleted, then written again from the events of each
 * project's local dates, so a bucket whose events are gone stays deleted and a bucket changed by
 * hand is repaired. Each project's range is read through one `occurred_at` range scan, widened by
 * two hours and the date then checked exactly, for days that do not start at local midnight.
 */
export async function recomputeDateRange(
  trx: Transaction<Database>,
  projects: readonly RollupProject[],
  range: LocalDateRange,
  now: RawBuilder<Date>,
): Promise<void> {
  await trx
    .deleteFrom('business_kpi_daily')
    .where(
      'project_id',
      'in',
      projects.map((p) => p.id),
    )
    .where('date', '>=', range.startDate)
    .where('date', '<=', range.endDate)
    .execute();
  const start = sql`${range.startDate}::date`;
  const end = sql`${range.endDate}::date`;
  await sql`
    with totals as (
      select b.id as project_id, b.currency_code, day.date, day.payments, day.leads, day.revenue_cents
      from ${batchRelation(projects)}
      cross join lateral (
        select ${localDate(sql`b.timezone`)} as date, ${dailyTotals(sql`b.currency_code`)}
        from business_events e
        where e.project_id = b.id
          and e.occurred_at >= (${start}::timestamp at time zone b.timezone) - interval '2 hours'
          and e.occurred_at < ((${end} + 1)::timestamp at time zone b.timezone) + interval '2 hours'
          and ${localDate(sql`b.timezone`)} between ${start} and ${end}
          and e.received_at <= ${now}
          and e.event_type in ${COUNTED_TYPES}
        group by 1
      ) as day
    )
    ${upsertTotals(now)}`.execute(trx);
}

/** Marks every project of the batch checked by the run and moves its watermark to its newest event by `now`. */
export async function advanceState(trx: Transaction<Database>, projects: readonly RollupProject[], runId: number, now: RawBuilder<Date>): Promise<void> {
  // The newest event per project is one backward step on (project_id, received_at).
  await sql`
    insert into kpi_rollup_state (project_id, last_rollup_at, watermark)
    select b.id,
           (select started_at from kpi_rollup_runs where id = ${runId}),
           (select max(e.received_at) from business_events e where e.project_id = b.id and e.received_at <= ${now})
    from ${batchRelation(projects)}
    on conflict (project_id) do update
      set last_rollup_at = excluded.last_rollup_at,
          watermark = greatest(kpi_rollup_state.watermark, excluded.watermark)`.execute(trx);
}
