import type { Database } from '@runhub/db';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Clock } from '../clock.js';

/** SPEC §3.3: how far behind its watermark each project's scan starts again. */
export const DEFAULT_OVERLAP_MS = 5 * 60_000;
/**
 * Bound on each project's rollup statements. The server's per-query bound (a few seconds, for
 * requests) would make a first full rebuild of a large project fail forever; this one is the
 * rollup's own, still finite so a stuck statement cannot hold the rollup lock for good.
 */
export const DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS = 10 * 60_000;
/** Sums stay exact as JS numbers. */
const MAX_SAFE_CENTS = '9007199254740991';

export interface RollupEngineOptions {
  clock: Clock;
  overlapMs?: number;
  statementTimeoutMs?: number;
  /** Asked between projects: true ends the run early (the server is shutting down). */
  shouldStop?: () => boolean;
}

export interface RollupProject {
  id: string;
  timezone: string;
  currency_code: string;
}

/**
 * Brings one project's `business_kpi_daily` up to date, in one transaction with its state, so a
 * failure anywhere leaves the previous buckets and watermark untouched (no half-written day).
 *
 * Incremental: only the project-local dates of events received since the watermark (less the
 * overlap) are recomputed, each from all of its events, so recomputing is idempotent. A project
 * without a watermark is rebuilt in full. Events received after "now" wait for the next run, which
 * also makes a rollup at a past moment (a fixed clock) count exactly what had arrived by then.
 */
export async function rollupProject(db: Kysely<Database>, project: RollupProject, runId: number, options: RollupEngineOptions): Promise<void> {
  // One snapshot for the buckets and the watermark: nothing can slip in between the two.
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const timeout = options.statementTimeoutMs ?? DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS;
      await sql`set local statement_timeout = ${sql.lit(Math.round(timeout))}`.execute(trx);
      const now = options.clock.now();
      // As text, so microseconds survive; passed back as a value the planner can estimate from statistics.
      const state = await trx
        .selectFrom('kpi_rollup_state')
        .select(sql<string | null>`watermark::text`.as('watermark'))
        .where('project_id', '=', project.id)
        .executeTakeFirst();
      if (state?.watermark) {
        await recomputeTouchedDays(trx, project, now, state.watermark, options.overlapMs ?? DEFAULT_OVERLAP_MS);
      } else {
        await recomputeAllDays(trx, project, now);
      }
      await sql`
        insert into kpi_rollup_state (project_id, last_rollup_at, watermark)
        select ${project.id}::uuid,
               (select started_at from kpi_rollup_runs where id = ${runId}),
               (select max(e.received_at) from business_events e where e.project_id = ${project.id}::uuid and e.received_at <= ${now})
        on conflict (project_id) do update
          set last_rollup_at = excluded.last_rollup_at,
              watermark = greatest(kpi_rollup_state.watermark, excluded.watermark)`.execute(trx);
    });
}

/** SPEC §3.3's three numbers, over the events `e` of one project-local date, in the project's currency. */
function dailyTotals(project: RollupProject) {
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
        and upper(coalesce(e.payload ->> 'currency', ${project.currency_code})) = upper(${project.currency_code})
    ), 0), ${MAX_SAFE_CENTS}::numeric)::bigint as revenue_cents`;
}

const COUNTED_TYPES = sql`('payment_succeeded', 'lead_created')`;

function upsertTotals(project: RollupProject, now: RawBuilder<Date>) {
  return sql`
    insert into business_kpi_daily (project_id, date, revenue_cents, leads, payments, currency_code, updated_at)
    select ${project.id}::uuid, t.date, t.revenue_cents, t.leads, t.payments, ${project.currency_code}, ${now}
    from totals t
    on conflict (project_id, date) do update
      set revenue_cents = excluded.revenue_cents,
          leads = excluded.leads,
          payments = excluded.payments,
          currency_code = excluded.currency_code,
          updated_at = excluded.updated_at`;
}

async function recomputeAllDays(trx: Transaction<Database>, project: RollupProject, now: RawBuilder<Date>): Promise<void> {
  // Rows of dates that no longer have events (the project's time zone changed) must not survive a rebuild.
  await trx.deleteFrom('business_kpi_daily').where('project_id', '=', project.id).execute();
  await sql`
    with totals as (
      select (e.occurred_at at time zone ${project.timezone})::date as date, ${dailyTotals(project)}
      from business_events e
      where e.project_id = ${project.id}::uuid and e.received_at <= ${now} and e.event_type in ${COUNTED_TYPES}
      group by 1
    )
    ${upsertTotals(project, now)}`.execute(trx);
}

async function recomputeTouchedDays(
  trx: Transaction<Database>,
  project: RollupProject,
  now: RawBuilder<Date>,
  watermark: string,
  overlapMs: number,
): Promise<void> {
  // Touched dates come from the (project_id, received_at) index; each is then re-read whole through
  // an occurred_at range scan. LATERAL keeps it a per-day range scan: as a plain join, the planner
  // hashes on the date expression and reads every event of the project. The range is widened by two
  // hours and the date checked exactly, so a day that does not start at local midnight (a DST jump
  // at 00:00) still gets exactly its events.
  await sql`
    with touched as (
      select distinct (e.occurred_at at time zone ${project.timezone})::date as date
      from business_events e
      where e.project_id = ${project.id}::uuid
        and e.received_at > ${watermark}::timestamptz - make_interval(secs => ${overlapMs / 1000})
        and e.received_at <= ${now}
        and e.event_type in ${COUNTED_TYPES}
    ),
    totals as (
      select t.date, day.payments, day.leads, day.revenue_cents
      from touched t
      cross join lateral (
        select ${dailyTotals(project)}
        from business_events e
        where e.project_id = ${project.id}::uuid
          and e.occurred_at >= (t.date::timestamp at time zone ${project.timezone}) - interval '2 hours'
          and e.occurred_at < ((t.date + 1)::timestamp at time zone ${project.timezone}) + interval '2 hours'
          and (e.occurred_at at time zone ${project.timezone})::date = t.date
          and e.received_at <= ${now}
          and e.event_type in ${COUNTED_TYPES}
      ) as day
    )
    ${upsertTotals(project, now)}`.execute(trx);
}
