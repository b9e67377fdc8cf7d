// The statements the API's Kysely queries compile to (packages/router/src/*/queries.ts), written
// out by hand for the floor server. The bench checks before measuring that the floor answers the
// same rows as the API, so a drift between the two fails loudly instead of skewing the ratios.

/** A timestamp as the API selects it: wire text made by PostgreSQL (`isoTimestamp` in pagination.ts). */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column.split('.')[1]}`;

export const RUNS_PAGE = `
  select r.id, r.project_id, p.name as project_name, r.action_id, r.status, r.idempotency_key, ${iso('r.requested_at')},
         ${iso('r.started_at')}, ${iso('r.completed_at')}, ${iso('r.lease_expires_at')}, r.attempts, r.max_attempts, r.params, r.result,
         r.outcome, r.error, r.retry_of, r.requested_at::text as sort_key
  from workflow_runs as r
  inner join projects as p on p.id = r.project_id
  where r.project_id = $1
  order by r.requested_at desc, r.id desc
  limit $2`;

const EVENT_COLUMNS = `
  e.id, e.public_id, e.project_id, p.name as project_name, e.event_type, ${iso('e.occurred_at')}, ${iso('e.received_at')}, e.source,
  e.actor_type, e.actor_id, e.entity_type, e.entity_id, e.session_id, e.anonymous_id, e.correlation_id, e.payload,
  to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key`;

export const EVENTS_FIRST_PAGE = `
  select ${EVENT_COLUMNS}
  from business_events as e
  inner join projects as p on p.id = e.project_id
  where e.project_id = $1
  order by e.occurred_at desc, e.id desc
  limit $2`;

export const EVENTS_PAGE_AFTER = `
  select ${EVENT_COLUMNS}
  from business_events as e
  inner join projects as p on p.id = e.project_id
  where e.project_id = $1 and (e.occurred_at, e.id) < ($2::timestamptz, $3::bigint)
  order by e.occurred_at desc, e.id desc
  limit $4`;

export const EVENT_STATS = `
  select event_type, count(*) as count
  from business_events
  where occurred_at >= (($1::date + 0)::timestamp at time zone 'UTC')
    and occurred_at < (($2::date + 1)::timestamp at time zone 'UTC')
  group by event_type
  order by count desc, event_type collate "C"`;

// Freshness with the server's default settings: a project is stale 30 minutes (2 × the 15-minute interval) after its last rollup.
export const KPI_PROJECTS = `
  select p.id as project_id, p.name as project_name, p.currency_code, s.last_rollup_at, latest.received_at as last_event_at,
         coalesce(k.revenue_cents, 0) as today_revenue_cents, coalesce(k.leads, 0) as today_leads, coalesce(k.payments, 0) as today_payments,
         case when latest.received_at is null then 'no_data'
              when s.last_rollup_at is null or s.last_rollup_at < now() - make_interval(mins => $1) then 'stale'
              else 'healthy' end as status
  from projects as p
  left join kpi_rollup_state as s on s.project_id = p.id
  left join lateral (
    select e.received_at from business_events as e where e.project_id = p.id order by e.received_at desc limit $2
  ) as latest on true
  left join business_kpi_daily as k on k.project_id = p.id and k.date = kpi_local_date(now(), p.timezone)
  order by p.name, p.id`;

export const EVENT_BY_PUBLIC_ID = `
  select e.id, e.public_id, e.project_id, p.name as project_name, e.event_type, ${iso('e.occurred_at')}, ${iso('e.received_at')},
         e.source, e.actor_type, e.actor_id, e.entity_type, e.entity_id, e.session_id, e.anonymous_id, e.correlation_id, e.payload
  from business_events as e
  inner join projects as p on p.id = e.project_id
  where e.public_id = $1`;

export const STUCK_RUNS = `
  select r.id, r.project_id, p.name as project_name, r.action_id, ${iso('r.requested_at')}, ${iso('r.lease_expires_at')}, r.attempts
  from workflow_runs as r
  inner join projects as p on p.id = r.project_id
  where (r.project_id = $1 and (r.status = $2 and r.lease_expires_at < now()))
  order by r.lease_expires_at asc, r.id asc
  limit $3`;

// The retry (`retryRun` in packages/router/src/workflow-runs/writes.ts), statement by statement in one transaction:
// lock the run, read its retry, insert the retry run, the audit row. The prepared runs are failed, never
// stuck, so the app's update of a stuck original is not among the statements either.
export const RETRY_LOCK = `
  select r.id, r.status, coalesce((r.status = $1 and r.lease_expires_at < now()), false) as stuck,
         to_char(r.requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as requested_at
  from workflow_runs as r
  where r.id in ($2)
  order by r.requested_at, r.id
  for update`;

export const RETRY_EXISTING = 'select id, retry_of from workflow_runs where retry_of in ($1)';

export const RETRY_INSERT = `
  insert into workflow_runs (project_id, action_id, status, idempotency_key, requested_at, attempts, max_attempts, params, retry_of)
  select o.project_id, o.action_id, 'queued' as status, o.idempotency_key || ':retry:' || o.id::text as idempotency_key, now() as requested_at,
         0 as attempts, o.max_attempts, o.params, o.id as retry_of
  from workflow_runs as o
  where o.id in ($1)
  on conflict do nothing
  returning id, retry_of`;

export const AUDIT_INSERT = `
  insert into admin_audit_log (admin_id, action, target_type, target_id, reason, details, request_id)
  values ($1, $2, $3, $4, $5, $6, $7)`;
