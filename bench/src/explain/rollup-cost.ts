/**
 * Prints what the KPI rollup costs on real PostgreSQL: a full rebuild over 1,000,000 business
 * events, then incremental all-projects runs after 1,000 new events each, and checks that the
 * incremental result equals a from-scratch count of every bucket.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm rollup:cost
 *
 * It creates a fresh database beside the one DATABASE_URL names, migrates it, fills it with
 * `insert … select … from generate_series`, runs the engine itself (`runRollupNow`), and drops the
 * database at the end.
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, type Database, migrateToLatest } from '@runhub/db';
import { databaseClock, runRollupNow } from '@runhub/router';
import { type Kysely, sql } from 'kysely';

const EVENTS = Number(process.env.ROLLUP_COST_EVENTS ?? 1_000_000);
const NEW_EVENTS = Number(process.env.ROLLUP_COST_NEW_EVENTS ?? 1_000);
const ROUNDS = 3;
const PROJECTS: readonly [string, string][] = [
  ['America/New_York', 'USD'],
  ['Europe/Berlin', 'EUR'],
  ['Asia/Tokyo', 'JPY'],
  ['Europe/London', 'GBP'],
  ['Africa/Cairo', 'EGP'],
  ['Pacific/Auckland', 'NZD'],
  ['America/Toronto', 'CAD'],
  ['Australia/Sydney', 'AUD'],
  ['Asia/Kolkata', 'INR'],
  ['America/Sao_Paulo', 'BRL'],
];

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server (a database is created beside it and dropped at the end).');
  const name = `runhub_rollup_cost_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ url, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = createDatabase({ url: target.toString(), poolSize: 4 });
  try {
    await migrateToLatest(db);
    await fill(db);
    await report(db);
  } finally {
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

async function fill(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('projects')
    .values(PROJECTS.map(([timezone, currency_code], i) => ({ name: `Bench ${i + 1}`, timezone, currency_code, created_at: '2024-01-01T00:00:00Z' })))
    .execute();
  const started = performance.now();
  // A year of events over ten projects, received seconds after they occurred and at least an hour
  // ago; a third are payments or leads, one payment in twenty in a foreign currency.
  await sql`
    with p as (select array_agg(id order by id) as ids, array_agg(currency_code order by id) as currencies from projects)
    insert into business_events (project_id, event_type, occurred_at, received_at, source, payload)
    select p.ids[1 + i % 10],
           (array['page_viewed', 'page_viewed', 'checkout_started', 'lead_created', 'payment_succeeded', 'payment_failed'])[1 + (i * 31) % 6],
           now() - interval '1 hour' - make_interval(secs => (i::bigint * 7919) % (365 * 86400)),
           now() - interval '1 hour' - make_interval(secs => (i::bigint * 7919) % (365 * 86400)) + make_interval(secs => i % 30),
           'bench',
           jsonb_build_object('amount', 100 + (i * 37) % 20000, 'currency', case when i % 20 = 0 then 'XTS' else p.currencies[1 + i % 10] end)
    from generate_series(1, ${EVENTS}) as i, p`.execute(db);
  await sql`analyze`.execute(db);
  console.log(`filled ${EVENTS.toLocaleString('en')} events in ${seconds(performance.now() - started)}`);
}

/** New events, received now: most from the last hour, one in twenty up to three days late. */
async function addNewEvents(db: Kysely<Database>, round: number): Promise<void> {
  await sql`
    with p as (select array_agg(id order by id) as ids, array_agg(currency_code order by id) as currencies from projects)
    insert into business_events (project_id, event_type, occurred_at, source, payload)
    select p.ids[1 + i % 10],
           (array['lead_created', 'payment_succeeded', 'page_viewed'])[1 + i % 3],
           now() - case when i % 20 = 0 then make_interval(hours => (i * 7 + ${round}) % 72) else make_interval(secs => (i * 13) % 3600) end,
           'bench',
           jsonb_build_object('amount', 100 + i, 'currency', p.currencies[1 + i % 10])
    from generate_series(1, ${NEW_EVENTS}) as i, p`.execute(db);
}

async function timedRun(db: Kysely<Database>): Promise<number> {
  const started = performance.now();
  const outcome = await runRollupNow(db, { clock: databaseClock, trigger: 'manual', reason: 'rollup cost' });
  if (outcome?.status !== 'succeeded') throw new Error(`rollup did not succeed: ${JSON.stringify(outcome)}`);
  return performance.now() - started;
}

async function report(db: Kysely<Database>): Promise<void> {
  const full: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await db.deleteFrom('kpi_rollup_state').execute(); // no watermark: every project is rebuilt in full
    full.push(await timedRun(db));
  }
  const buckets = await db
    .selectFrom('business_kpi_daily')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`full rebuild, ${EVENTS.toLocaleString('en')} events, ${PROJECTS.length} projects -> ${buckets.n} daily buckets: ${summary(full)}`);

  const incremental: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await addNewEvents(db, round);
    incremental.push(await timedRun(db));
  }
  console.log(`incremental all-projects run after ${NEW_EVENTS.toLocaleString('en')} new events: ${summary(incremental)}`);
  console.log(`incremental / full (medians): ${((100 * median(incremental)) / median(full)).toFixed(1)} %`);

  const wrong = await sql<{ n: number }>`
    with expected as (
      select e.project_id, (e.occurred_at at time zone p.timezone)::date as date,
             count(*) filter (where e.event_type = 'payment_succeeded') as payments,
             count(*) filter (where e.event_type = 'lead_created') as leads,
             coalesce(sum((e.payload ->> 'amount')::bigint) filter (
               where e.event_type = 'payment_succeeded' and upper(e.payload ->> 'currency') = upper(p.currency_code)), 0) as revenue_cents
      from business_events e join projects p on p.id = e.project_id
      where e.event_type in ('payment_succeeded', 'lead_created')
      group by 1, 2
    )
    select count(*)::int as n from expected x
    full join business_kpi_daily k on k.project_id = x.project_id and k.date = x.date
    where k.project_id is null or x.project_id is null
       or (k.payments, k.leads, k.revenue_cents) is distinct from (x.payments, x.leads, x.revenue_cents)`.execute(db);
  console.log(`buckets that differ from a from-scratch count: ${wrong.rows[0]?.n}`);
  if (wrong.rows[0]?.n !== 0) process.exitCode = 1;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const summary = (values: number[]) => `median ${seconds(median(values))} (runs: ${values.map(seconds).join(', ')})`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
