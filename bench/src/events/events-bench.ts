/**
 * pnpm bench:events — what the daily counts (SPEC §7.7's exact stats, migration 2026-12-01-0020)
 * buy and cost, on a scratch database of its own:
 *
 * 1. all-projects 7-day stats (the endpoint's `eventStats`, which sums business_event_daily_counts)
 *    against a plain count of the same events (`count(*) … group by event_type`, an index-only scan
 *    of the time index: the floor the counts replace), at `--rows` events;
 * 2. the same stats call after growing the table to `--grow-to` events (it should not grow);
 * 3. ingest: one INSERT of 1,000 events with the counts trigger against the same INSERT with the
 *    trigger disabled, alternated, median of `--repeat`;
 * 4. contention: `--writers` connections each inserting one event per transaction for `--seconds`,
 *    all into one (project, day, type) (the hot counts row) or each into its own type, with and
 *    without the trigger.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:events --rows 1000000 --grow-to 5000000
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createDatabase, type Database, migrateToLatest } from '@runhub/db';
import { databaseClock } from '@runhub/router';
import { eventStats, eventStatsQuery, resolveStatsRange, ZEventStatsInput } from '@runhub/router/queries';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { createScratchDatabase } from '../scratch-database.js';

const USAGE = `Usage: pnpm bench:events [--rows N] [--grow-to N] [--repeat N] [--writers N] [--seconds S] [--keep]

  --rows N      events to load first (default 1000000)
  --grow-to N   then grow the table to N events and time stats again (default: no growth)
  --repeat N    timed runs per measurement, the median is reported (default 21)
  --writers N   concurrent single-event inserters in the contention test (default 4)
  --seconds S   length of each contention run (default 3)
  --keep        keep the scratch database

The scratch database is created on the server of BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end.`;

const PROJECT_SHARES = [30, 22, 14, 14, 10, 9, 1];
const TRIGGER = 'business_event_daily_counts_insert';
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'grow-to': { type: 'string' },
      repeat: { type: 'string', default: '21' },
      writers: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(USAGE);
    return;
  }
  const rows = Number(values.rows);
  const growTo = values['grow-to'] ? Number(values['grow-to']) : undefined;
  const repeat = Number(values.repeat);
  const writers = Number(values.writers);
  const seconds = Number(values.seconds);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(adminUrl);
  const db = createDatabase({ url: scratch.url, poolSize: 2 });
  const client = new pg.Client({ connectionString: scratch.url });
  try {
    await client.connect();
    const { rows: version } = await client.query<{ server_version: string }>('show server_version');
    log(`bench:events on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), PostgreSQL ${version[0]?.server_version}, load ${loadAverage()}`);
    await migrateToLatest(db);
    await sql`insert into projects (name) select 'Bench project ' || g from generate_series(1, ${PROJECT_SHARES.length}::int) as g`.execute(db);
    await fill(db, 0, rows, rows);

    log(`\n== stats at ${rows.toLocaleString('en')} events`);
    const first = await timeStats(db, client, repeat);

    let grown: StatsTimes | undefined;
    if (growTo && growTo > rows) {
      // The same 365 days, denser: a 7-day window then holds growTo/rows times the events.
      await fill(db, rows, growTo - rows, growTo - rows);
      log(`\n== stats at ${growTo.toLocaleString('en')} events`);
      grown = await timeStats(db, client, repeat);
    }

    log('\n== ingest: one INSERT of 1,000 events');
    const ingest = await timeIngest(client, repeat);

    log(`\n== contention: ${writers} writers, one event per transaction, ${seconds} s each`);
    const contention: Record<string, number> = {};
    for (const hot of [true, false]) {
      for (const trigger of [false, true]) {
        const label = `${hot ? 'one hot (project, day, type)' : 'a type per writer'}, trigger ${trigger ? 'on' : 'off'}`;
        contention[label] = await timeContention(scratch.url, client, { writers, seconds, hot, trigger });
        log(`  ${label.padEnd(46)} ${contention[label]?.toFixed(0).padStart(7)} inserts/s`);
      }
    }

    log('\n== summary');
    log(`  machine load average at the end: ${loadAverage()}`);
    const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    log(
      `  at ${rows.toLocaleString('en')}: plain count / stats call ${x(first.floorMs, first.statsMs)} (range given), ${x(first.floorMs, first.defaultMs)} (default range); server execution ${x(first.floorExecMs, first.statsExecMs)} (target >= 10x)`,
    );
    if (grown && growTo) {
      log(
        `  stats call at ${growTo.toLocaleString('en')} / at ${rows.toLocaleString('en')}: ${(grown.statsMs / first.statsMs).toFixed(2)}x (range given), ${(grown.defaultMs / first.defaultMs).toFixed(2)}x (default), server execution ${(grown.statsExecMs / first.statsExecMs).toFixed(2)}x (target <= 1.3x); the plain count grew ${(grown.floorMs / first.floorMs).toFixed(2)}x`,
      );
    }
    log(
      `  INSERT of 1,000 events: ${ingest.onMs.toFixed(2)} ms with the trigger, ${ingest.offMs.toFixed(2)} ms without: ${(ingest.onMs / ingest.offMs).toFixed(2)}x (target <= 1.5x)`,
    );
    const ratio = (hot: string) => (contention[`${hot}, trigger on`] ?? 0) / (contention[`${hot}, trigger off`] ?? 1);
    log(
      `  single-event transactions, trigger on/off throughput: hot row ${ratio('one hot (project, day, type)').toFixed(2)}x, a type per writer ${ratio('a type per writer').toFixed(2)}x`,
    );
  } finally {
    await client.end().catch(() => undefined);
    await db.destroy();
    if (values.keep) log(`kept ${scratch.name}`);
    else await scratch.drop();
  }
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');
}

/** `count` events spread over the last 365 days (ids rising with time), the explain script's shape; `offset` varies the generator. */
async function fill(db: Kysely<Database>, offset: number, count: number, spread: number): Promise<void> {
  const started = Date.now();
  const buckets = PROJECT_SHARES.flatMap((share, index) => Array.from({ length: share }, () => index + 1));
  // In chunks of 1,000,000, so no one statement's transition table holds more.
  for (let done = 0; done < count; done += 1_000_000) {
    const chunk = Math.min(1_000_000, count - done);
    await sql`
      insert into business_events (project_id, event_type, occurred_at, received_at, source, actor_type, actor_id, session_id, payload)
      select p.ids[(${buckets}::int[])[1 + (g + ${offset}::int) % 100]],
             (array['page_viewed', 'page_viewed', 'page_viewed', 'checkout_started', 'checkout_started',
                    'lead_created', 'lead_created', 'payment_succeeded', 'payment_failed', 'refund_issued'])[1 + ((g + ${offset}::int) / 100) % 10],
             t.at, t.at, 'generator', 'user', 'user_' || g % 5000, 'sess_' || g % 20000,
             jsonb_build_object('amount', g % 10000, 'currency', 'USD')
      from generate_series(${done + 1}::int, ${done + chunk}::int) as g
      cross join (select array_agg(id order by name) as ids from projects) as p
      cross join lateral (select now() - (${spread}::int - g) * (interval '365 days' / ${spread}::int) - random() * interval '10 minutes' as at) as t
    `.execute(db);
  }
  await sql`vacuum (analyze) business_events`.execute(db);
  await sql`vacuum (analyze) business_event_daily_counts`.execute(db);
  const { rows } = await sql<{ n: number; size: string; counts: number }>`
    select (select count(*) from business_events) as n, pg_size_pretty(pg_total_relation_size('business_events')) as size,
           (select count(*) from business_event_daily_counts) as counts`.execute(db);
  log(
    `filled ${count.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(1)} s: ${rows[0]?.n.toLocaleString('en')} events (${rows[0]?.size}), ${rows[0]?.counts.toLocaleString('en')} daily count rows`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface StatsTimes {
  /** The stats call with the range given (as `pnpm bench` sends it): one round trip. */
  statsMs: number;
  /** The stats call with no range: the default, which first reads the database's today (two round trips). */
  defaultMs: number;
  floorMs: number;
  /** Server-side execution time (EXPLAIN ANALYZE) of the stats query and of the floor. */
  statsExecMs: number;
  floorExecMs: number;
}

/** The endpoint's all-projects 7-day stats and the plain count it replaces, alternated, medians of wall time. */
async function timeStats(db: Kysely<Database>, client: pg.Client, repeat: number): Promise<StatsTimes> {
  const implied = ZEventStatsInput.parse({});
  const answer = await eventStats(db, databaseClock, implied);
  const explicit = ZEventStatsInput.parse({ startDate: answer.startDate, endDate: answer.endDate });
  const floorSql = `
    select event_type, count(*) as count from business_events
    where occurred_at >= ($1::date)::timestamp at time zone 'UTC' and occurred_at < ($2::date + 1)::timestamp at time zone 'UTC'
    group by event_type order by count desc, event_type collate "C"`;
  const floor = () => client.query<{ event_type: string; count: string }>(floorSql, [answer.startDate, answer.endDate]);
  const counted = (await floor()).rows.reduce((total, row) => total + Number(row.count), 0);
  if (counted !== answer.totalEvents) throw new Error(`stats answered ${answer.totalEvents} events, a plain count ${counted}`);
  const statsQuery = eventStatsQuery(db, await resolveStatsRange(db, databaseClock, explicit)).compile();
  const execution = async (text: string, parameters: readonly unknown[]) => {
    const { rows } = await client.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(`explain (analyze, format json) ${text}`, [...parameters]);
    return rows[0]?.['QUERY PLAN'][0]['Execution Time'] ?? Number.NaN;
  };
  const times: Record<'stats' | 'default' | 'floor' | 'statsExec' | 'floorExec', number[]> = {
    stats: [],
    default: [],
    floor: [],
    statsExec: [],
    floorExec: [],
  };
  const timed = async (into: number[], work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < repeat; i++) {
    await timed(times.stats, () => eventStats(db, databaseClock, explicit));
    await timed(times.default, () => eventStats(db, databaseClock, implied));
    await timed(times.floor, floor);
    times.statsExec.push(await execution(statsQuery.sql, statsQuery.parameters));
    times.floorExec.push(await execution(floorSql, [answer.startDate, answer.endDate]));
  }
  const result: StatsTimes = {
    statsMs: median(times.stats),
    defaultMs: median(times.default),
    floorMs: median(times.floor),
    statsExecMs: median(times.statsExec),
    floorExecMs: median(times.floorExec),
  };
  log(
    `  7 days ${answer.startDate}..${answer.endDate}, all projects, ${answer.totalEvents.toLocaleString('en')} events (medians of ${repeat}):\n` +
      `    stats call ${result.statsMs.toFixed(3)} ms (range given), ${result.defaultMs.toFixed(3)} ms (default range); plain count ${result.floorMs.toFixed(3)} ms\n` +
      `    server execution: stats ${result.statsExecMs.toFixed(3)} ms, plain count ${result.floorExecMs.toFixed(3)} ms`,
  );
  return result;
}

/** One 1,000-row INSERT (of the bench's shape, today, a mix of types and projects), with and without the trigger, alternated. */
async function timeIngest(client: pg.Client, repeat: number): Promise<{ onMs: number; offMs: number }> {
  const insert = `
    insert into business_events (project_id, event_type, occurred_at, source, session_id, payload)
    select p.ids[1 + g % array_length(p.ids, 1)], (array['page_viewed', 'lead_created', 'payment_succeeded', 'checkout_started'])[1 + g % 4],
           now() - g * interval '1 second', 'ingest', 'sess_' || g, jsonb_build_object('amount', g, 'currency', 'USD')
    from generate_series(1, 1000) as g cross join (select array_agg(id) as ids from projects) as p`;
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < repeat + 2; i++) {
    for (const trigger of i % 2 ? [true, false] : [false, true]) {
      await client.query(`alter table business_events ${trigger ? 'enable' : 'disable'} trigger ${TRIGGER}`);
      const started = performance.now();
      await client.query(insert);
      const ms = performance.now() - started;
      // The first two rounds warm the cache and the plan.
      if (i >= 2) (trigger ? on : off).push(ms);
    }
  }
  await client.query(`alter table business_events enable trigger ${TRIGGER}`);
  // The events inserted without the trigger are not counted: take them out again, so the counts stay exact.
  await client.query(`delete from business_events where source = 'ingest'`);
  await client.query(
    `delete from business_event_daily_counts; insert into business_event_daily_counts (project_id, day, event_type, n)
     select project_id, (occurred_at at time zone 'UTC')::date, event_type, count(*) from business_events group by 1, 2, 3`,
  );
  const result = { onMs: median(on), offMs: median(off) };
  log(`  with the trigger ${result.onMs.toFixed(2)} ms, without ${result.offMs.toFixed(2)} ms (medians of ${repeat}, alternated)`);
  return result;
}

/** Inserts per second of `writers` connections, each committing one event per transaction for `seconds`. */
async function timeContention(url: string, admin: pg.Client, options: { writers: number; seconds: number; hot: boolean; trigger: boolean }): Promise<number> {
  await admin.query(`alter table business_events ${options.trigger ? 'enable' : 'disable'} trigger ${TRIGGER}`);
  const { rows } = await admin.query<{ id: string }>('select id from projects order by name limit 1');
  const project = rows[0]?.id;
  const clients = await Promise.all(
    Array.from({ length: options.writers }, async () => {
      const writer = new pg.Client({ connectionString: url });
      await writer.connect();
      return writer;
    }),
  );
  let inserted = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (writer, index) => {
      const type = options.hot ? 'contended' : `contended_${index}`;
      while (performance.now() < deadline) {
        await writer.query(`insert into business_events (project_id, event_type, occurred_at, source) values ($1, $2, now(), 'contention')`, [project, type]);
        inserted++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const writer of clients) await writer.end();
  await admin.query(`alter table business_events enable trigger ${TRIGGER}`);
  await admin.query(`delete from business_events where source = 'contention'`);
  await admin.query(`delete from business_event_daily_counts where event_type like 'contended%'`);
  return inserted / elapsed;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
