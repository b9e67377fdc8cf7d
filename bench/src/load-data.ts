import type pg from 'pg';

export const PROJECT_COUNT = 50;
/** Rows per insert statement: big enough to be set-based, small enough to show progress. */
const BATCH = 100_000;

export interface DataShape {
  events: number;
  runs: number;
  sends: number;
}

export function dataShape(rows: number): DataShape {
  const scaled = Math.max(1, Math.round(rows / 5));
  return { events: rows, runs: scaled, sends: scaled };
}

/**
 * The id of the k-th bench project (0 is the largest). Ids are derived, not random, so every
 * statement can name a project without a lookup.
 */
export function projectIdSql(k: string): string {
  return `md5('bench-project-' || ${k})::uuid`;
}

/**
 * A project index 0–49 with a Zipf-like skew (project k gets about 1/(k+1.5) of the rows), so the
 * largest project holds about a fifth of everything: deep pages exist, as they do in production.
 */
const SKEWED_PROJECT = `least(${PROJECT_COUNT - 1}, floor(exp(random() * ln(${PROJECT_COUNT + 1})))::int - 1)`;

const CURRENCIES = `array['USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'AUD']`;
const TIMEZONES = `array['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Sao_Paulo', 'Asia/Kolkata', 'Australia/Sydney', 'America/Los_Angeles']`;
const currencyOf = (k: string) => `(${CURRENCIES})[1 + ${k} % 7]`;

const PROJECTS = `
  insert into projects (id, name, currency_code, timezone, created_at)
  select ${projectIdSql('k')}, 'Bench Store ' || lpad(k::text, 2, '0'), ${currencyOf('k')}, (${TIMEZONES})[1 + k % 8], $1::timestamptz - interval '120 days'
  from generate_series(0, ${PROJECT_COUNT - 1}) k`;

/**
 * Events over the 90 days before the anchor. Most arrive within ten minutes of happening; one in
 * fifty arrives up to three days late (SPEC §3.3's late events). Payments carry the project's
 * currency, sometimes in lower case, sometimes none, sometimes another one.
 */
const EVENTS = `
  with src as (
    select g, ${SKEWED_PROJECT} as k, random() as u,
           $3::timestamptz - interval '1 hour' - random() * interval '90 days' as occurred_at
    from generate_series($1::bigint, $2::bigint) g
  ), typed as (
    select src.*,
           case when u < 0.15 then 'payment_succeeded' when u < 0.35 then 'lead_created' when u < 0.50 then 'checkout_started'
                when u < 0.55 then 'refund_issued' when u < 0.60 then 'signup_completed' else 'page_viewed' end as event_type
    from src
  )
  insert into business_events (project_id, event_type, occurred_at, received_at, source, actor_type, actor_id,
                               entity_type, entity_id, session_id, anonymous_id, correlation_id, payload)
  select ${projectIdSql('k')}, event_type, occurred_at,
         least(occurred_at + case when g % 50 = 0 then random() * interval '3 days' else random() * interval '10 minutes' end,
               $3::timestamptz - interval '1 hour'),
         case when event_type in ('payment_succeeded', 'refund_issued') then 'stripe' when event_type = 'lead_created' then 'web_form' else 'web' end,
         case when event_type = 'page_viewed' and g % 3 = 0 then null else 'user' end,
         case when event_type = 'page_viewed' and g % 3 = 0 then null else 'user_' || g % 20000 end,
         case when event_type = 'payment_succeeded' then 'payment' when event_type = 'lead_created' then 'lead' end,
         case when event_type = 'payment_succeeded' then 'pi_' || g when event_type = 'lead_created' then 'lead_' || g end,
         'sess_' || g / 7,
         case when event_type = 'page_viewed' and g % 3 = 0 then 'anon_' || g % 30000 end,
         case when g % 4 = 0 then 'corr_' || g end,
         case event_type
           when 'payment_succeeded' then jsonb_strip_nulls(jsonb_build_object(
             'amount', 500 + (random() * 20000)::int,
             'currency', case g % 20 when 0 then null when 1 then ${currencyOf('(k + 1)')} when 2 then lower(${currencyOf('k')}) else ${currencyOf('k')} end,
             'customer_email', 'user' || g % 20000 || '@example.com'))
           when 'lead_created' then jsonb_build_object('email', 'lead' || g || '@example.com', 'form', 'newsletter')
           else jsonb_build_object('path', '/products/' || g % 500)
         end
  from typed`;

/**
 * Runs of the last 90 days, every status: 72% succeeded, 8% failed (one in eight of them a retry
 * of the failed run before it), 5% cancelled, 5% queued, 10% running, of which 3 in 10 are stuck.
 */
const RUNS = `
  with src as (
    select g, ${SKEWED_PROJECT} as k,
           case when g % 100 < 8 then 'failed' when g % 100 < 13 then 'cancelled' when g % 100 < 18 then 'queued'
                when g % 100 < 28 then 'running' else 'succeeded' end as status
    from generate_series($1::bigint, $2::bigint) g
  ), timed as (
    select src.*,
           $3::timestamptz - case when status in ('queued', 'running') then random() * interval '2 hours'
                                  else interval '2 hours' + random() * interval '90 days' end as requested_at
    from src
  )
  insert into workflow_runs (id, project_id, action_id, status, idempotency_key, requested_at, started_at, completed_at,
                             lease_expires_at, attempts, max_attempts, params, result, outcome, error, retry_of)
  select md5('bench-run-' || g)::uuid, ${projectIdSql('k')},
         (array['recover_abandoned', 'send_promo', 'winback', 'welcome_series', 'review_request'])[1 + g % 5],
         status, 'bench-' || g, requested_at,
         case when status <> 'queued' then requested_at + interval '1 second' end,
         case when status in ('succeeded', 'failed', 'cancelled') then requested_at + interval '1 second' + random() * interval '10 minutes' end,
         case when status = 'running' and g % 100 < 21 then least(requested_at + interval '5 minutes', $3::timestamptz - interval '1 minute')
              when status = 'running' then $3::timestamptz + interval '1 day' end,
         case status when 'queued' then 0 when 'failed' then 3 when 'running' then 1 + g % 2 else 1 end,
         3,
         jsonb_build_object('locale', (array['en', 'de', 'fr', 'ja'])[1 + g % 4]),
         case when status = 'succeeded' then jsonb_build_object('totalRecipients', 25 + g % 10, 'successful', 24 + g % 10, 'failed', 1) end,
         case when status = 'succeeded' and g % 3 = 0 then jsonb_build_object(
           'model', 'email_exact', 'windowHours', 48, 'conversions', g % 5, 'revenueCents', (g % 5) * 4999,
           'currency', ${currencyOf('k')}, 'confidence', 'high', 'matchedBy', 'email_exact') end,
         case status when 'failed' then jsonb_build_object('code', 'SMTP_TIMEOUT', 'message', 'the mail relay did not answer within 30 s')
                     when 'cancelled' then jsonb_build_object('code', 'CANCELLED', 'message', 'cancelled by an operator') end,
         case when g % 100 = 1 and g > 100 then md5('bench-run-' || (g - 1))::uuid end
  from timed`;

/** One send per run, for the first `sends` runs, with the run's project and action. */
const SENDS = `
  insert into workflow_sends (project_id, run_id, action_id, recipient_email, status, sent_at, error, created_at)
  select r.project_id, r.id, r.action_id, 'user' || g % 20000 || '@example.com', s.status,
         case when s.status = 'sent' then r.requested_at + interval '5 seconds' end,
         case when s.status = 'failed' then 'mailbox unavailable' end,
         r.requested_at + interval '2 seconds'
  from generate_series($1::bigint, $2::bigint) g
  join workflow_runs r on r.id = md5('bench-run-' || (1 + (g - 1) % $3::bigint))::uuid
  cross join lateral (
    select case when g % 20 = 0 then 'failed' when g % 20 = 1 then 'suppressed' when g % 10 = 2 then 'queued' else 'sent' end as status
  ) s`;

type Progress = (line: string) => void;

/**
 * Fills a migrated, empty database: 50 projects, then events, runs and sends in batches of set-based
 * `insert … select … from generate_series`, reporting each batch; then VACUUM ANALYZE, so the
 * planner has statistics and index-only scans see an all-visible table, as in a settled production table.
 * `anchor` is "now" for the data: the newest event is an hour before it.
 */
export async function loadData(client: pg.Client, shape: DataShape, anchor: Date, progress: Progress): Promise<void> {
  await client.query('select setseed(0.42)');
  await client.query(PROJECTS, [anchor]);
  await inBatches(client, 'business events', EVENTS, shape.events, [anchor], progress);
  await inBatches(client, 'workflow runs', RUNS, shape.runs, [anchor], progress);
  await inBatches(client, 'workflow sends', SENDS, shape.sends, [shape.runs], progress);
  const started = performance.now();
  await client.query('vacuum (analyze) projects, business_events, business_event_daily_counts, workflow_runs, workflow_sends');
  progress(`vacuum analyze                      (${seconds(started)})`);
}

async function inBatches(client: pg.Client, label: string, statement: string, total: number, extra: unknown[], progress: Progress): Promise<void> {
  const started = performance.now();
  for (let from = 1; from <= total; from += BATCH) {
    const to = Math.min(total, from + BATCH - 1);
    await client.query(statement, [from, to, ...extra]);
    progress(`${label.padEnd(16)} ${to.toLocaleString('en-US').padStart(10)} / ${total.toLocaleString('en-US')}  (${seconds(started)})`);
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * `count` events arriving now, as the incremental rollup will find them: most happened in the last
 * hour, one in twenty up to three days earlier (late arrivals, which reopen past days). The same mix
 * as the engine's own `rollup:cost` script, so the two measurements can be compared.
 */
export async function insertNewEvents(client: pg.Client, count: number): Promise<void> {
  await client.query(
    `with src as (
       select g, ${SKEWED_PROJECT} as k, case when g % 3 = 0 then 'payment_succeeded' when g % 3 = 1 then 'lead_created' else 'page_viewed' end as event_type
       from generate_series(1, $1::int) g
     )
     insert into business_events (project_id, event_type, occurred_at, source, payload)
     select ${projectIdSql('k')}, event_type,
            now() - case when g % 20 = 0 then random() * interval '3 days' else random() * interval '1 hour' end,
            'web',
            case when event_type = 'payment_succeeded' then jsonb_build_object('amount', 1000 + g, 'currency', ${currencyOf('k')}) else '{}'::jsonb end
     from src`,
    [count],
  );
}
