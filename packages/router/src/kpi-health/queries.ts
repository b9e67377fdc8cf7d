import type { Database } from '@runhub/db';
import { TRPCError } from '@trpc/server';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { RollupSettings } from '../context.js';
import { toIso } from '../pagination.js';
import type { KpiHealthProjects, KpiHealthSummary, ProjectHealth, ProjectHealthStatus, ProjectKpis, ProjectKpisInput, RollupJob } from './schemas.js';

const RECENT_ERRORS = 20;
const RUNS_IN_AVERAGE = 20;

/**
 * Every project with its freshness (SPEC §3.3): `no_data` without events, `stale` when never rolled
 * up or not within `staleAfterMinutes`, else `healthy`; with today's totals in its own time zone.
 * One index probe per project for each of: its latest event, its state, today's bucket.
 */
export function projectHealth(db: Kysely<Database>, clock: Clock, staleAfterMinutes: number) {
  const now = clock.now();
  return (
    db
      .selectFrom('projects as p')
      .leftJoin('kpi_rollup_state as s', 's.project_id', 'p.id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('business_events as e')
            .select('e.received_at')
            .whereRef('e.project_id', '=', 'p.id')
            .orderBy('e.received_at', 'desc')
            .limit(1)
            .as('latest'),
        (join) => join.onTrue(),
      )
      // kpi_local_date is null for a time zone PostgreSQL does not know: that project shows zeros today.
      .leftJoin('business_kpi_daily as k', (join) => join.onRef('k.project_id', '=', 'p.id').on('k.date', '=', sql<string>`kpi_local_date(${now}, p.timezone)`))
      .select([
        'p.id as project_id',
        'p.name as project_name',
        'p.currency_code',
        's.last_rollup_at',
        'latest.received_at as last_event_at',
        sql<number>`coalesce(k.revenue_cents, 0)`.as('today_revenue_cents'),
        sql<number>`coalesce(k.leads, 0)`.as('today_leads'),
        sql<number>`coalesce(k.payments, 0)`.as('today_payments'),
        sql<ProjectHealthStatus>`case
        when latest.received_at is null then 'no_data'
        when s.last_rollup_at is null or s.last_rollup_at < ${now} - make_interval(mins => ${staleAfterMinutes}) then 'stale'
        else 'healthy' end`.as('status'),
      ])
  );
}

type ProjectHealthRow = Awaited<ReturnType<ReturnType<typeof projectHealth>['execute']>>[number];

function toProjectHealth(row: ProjectHealthRow): ProjectHealth {
  return {
    projectId: row.project_id,
    projectName: row.project_name,
    lastRollupAt: toIso(row.last_rollup_at),
    lastEventAt: toIso(row.last_event_at),
    todayRevenueCents: row.today_revenue_cents,
    todayLeads: row.today_leads,
    todayPayments: row.today_payments,
    currencyCode: row.currency_code,
    status: row.status,
  };
}

export async function listProjectHealth(db: Kysely<Database>, clock: Clock, settings: RollupSettings): Promise<KpiHealthProjects> {
  const rows = await projectHealth(db, clock, settings.staleAfterMinutes).orderBy('p.name').orderBy('p.id').execute();
  return { projects: rows.map(toProjectHealth) };
}

/**
 * One project's freshness and its last `days` local dates ending with its today, ascending and
 * zero-filled (SPEC §8.1), in one statement: the health row of `/kpi-health/projects`, and a
 * series of dates joined to its buckets on the primary key. A time zone PostgreSQL does not know
 * has no local today; its series ends with today in UTC.
 */
export async function getProjectKpis(db: Kysely<Database>, clock: Clock, settings: RollupSettings, input: ProjectKpisInput): Promise<ProjectKpis> {
  const now = clock.now();
  const today = sql`coalesce(kpi_local_date(${now}, p.timezone), (${now} at time zone 'UTC')::date)`;
  const row = await projectHealth(db, clock, settings.staleAfterMinutes)
    .where('p.id', '=', input.projectId)
    .select([
      'p.timezone',
      // greatest() skips nulls: the case keeps "never rolled up" null.
      sql<number | null>`case when s.last_rollup_at is not null then greatest(0, floor(extract(epoch from (${now} - s.last_rollup_at))))::bigint end`.as(
        'last_rollup_age_seconds',
      ),
      sql<ProjectKpis['days']>`(
        select coalesce(json_agg(json_build_object(
          'date', to_char(d.day, 'YYYY-MM-DD'),
          'revenueCents', coalesce(b.revenue_cents, 0),
          'leads', coalesce(b.leads, 0),
          'payments', coalesce(b.payments, 0)
        ) order by d.day), '[]'::json)
        from generate_series(${today} - ${input.days - 1}::int, ${today}, interval '1 day') as d (day)
        left join business_kpi_daily b on b.project_id = p.id and b.date = d.day::date
      )`.as('days'),
    ])
    .executeTakeFirst();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No project ${input.projectId}` });
  return {
    project: toProjectHealth(row),
    timezone: row.timezone,
    staleAfterMinutes: settings.staleAfterMinutes,
    lastRollupAgeSeconds: row.last_rollup_age_seconds,
    days: row.days,
  };
}

export async function getHealthSummary(db: Kysely<Database>, clock: Clock, settings: RollupSettings): Promise<KpiHealthSummary> {
  const counts = await db
    .selectFrom(projectHealth(db, clock, settings.staleAfterMinutes).as('h'))
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'healthy').as('healthy'),
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'stale').as('stale'),
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'no_data').as('no_data'),
    ])
    .executeTakeFirstOrThrow();
  const lastGlobal = await db
    .selectFrom('kpi_rollup_runs')
    .select((eb) => eb.fn.max('started_at').as('started_at'))
    .where('project_id', 'is', null)
    .where('status', '=', 'succeeded')
    .executeTakeFirst();
  return {
    totalProjects: counts.total,
    healthyProjects: counts.healthy,
    staleProjects: counts.stale,
    noDataProjects: counts.no_data,
    lastGlobalRollupAt: toIso(lastGlobal?.started_at ?? null),
    rollupJobStatus: await rollupJobStatus(db),
    rollupIntervalMinutes: settings.intervalMinutes,
    avgRollupDurationMs: await averageRunDurationMs(db),
  };
}

export async function getRollupJob(db: Kysely<Database>, clock: Clock, settings: RollupSettings): Promise<RollupJob> {
  const now = clock.now();
  const lastRun = await db
    .selectFrom('kpi_rollup_runs')
    .select(['started_at', 'duration_ms'])
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // The same rule the scheduler applies (one interval after the last all-projects run began), never in the past.
  const next = await db
    .selectFrom('kpi_rollup_runs')
    .select(sql<Date>`greatest(coalesce(max(started_at) + make_interval(mins => ${settings.intervalMinutes}), ${now}), ${now})`.as('next_at'))
    .where('project_id', 'is', null)
    .where('started_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const errors = await db
    .selectFrom('kpi_rollup_errors as r')
    .leftJoin('projects as p', 'p.id', 'r.project_id')
    .select(['r.occurred_at', 'r.message', 'r.project_id', 'p.name as project_name'])
    .orderBy('r.occurred_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(RECENT_ERRORS)
    .execute();
  return {
    status: await rollupJobStatus(db),
    lastRunAt: toIso(lastRun?.started_at ?? null),
    lastDurationMs: lastRun?.duration_ms ?? null,
    nextScheduledAt: next.next_at.toISOString(),
    recentErrors: errors.map((e) => ({
      occurredAt: e.occurred_at.toISOString(),
      message: e.message,
      projectId: e.project_id,
      projectName: e.project_name,
    })),
  };
}

async function rollupJobStatus(db: Kysely<Database>): Promise<'running' | 'idle'> {
  const active = await db.selectFrom('kpi_rollup_runs').select('id').where('status', 'in', ['queued', 'running']).limit(1).executeTakeFirst();
  return active ? 'running' : 'idle';
}

/** Over the last successful runs (SPEC: 20); null before the first. */
export async function averageRunDurationMs(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('kpi_rollup_runs')
        .select('duration_ms')
        .where('status', '=', 'succeeded')
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(RUNS_IN_AVERAGE)
        .as('recent'),
    )
    .select(sql<number | null>`round(avg(recent.duration_ms))`.as('average'))
    .executeTakeFirst();
  return row?.average ?? null;
}
