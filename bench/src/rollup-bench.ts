import { createDatabase } from '@runhub/db';
import { databaseClock, runRollupNow } from '@runhub/router';
import type pg from 'pg';
import { insertNewEvents } from './load-data.js';

export const NEW_EVENTS = 1000;

export interface RollupBenchResult {
  fullMs: number;
  incrementalMs: number;
  /** The hand-written `insert … select … group by` over the same events. */
  floorMs: number;
  /** Rows that differ between the engine's `business_kpi_daily` and the floor's table (0: same work). */
  floorDifferences: number;
}

// SPEC §3.3's totals in one statement, no state, no batches: the least PostgreSQL can do for a full rebuild.
const FLOOR = `
  insert into bench_kpi_floor (project_id, date, revenue_cents, leads, payments, currency_code, updated_at)
  select p.id, (e.occurred_at at time zone p.timezone)::date,
         coalesce(sum((e.payload ->> 'amount')::bigint) filter (
           where e.event_type = 'payment_succeeded' and upper(coalesce(e.payload ->> 'currency', p.currency_code)) = upper(p.currency_code)), 0),
         count(*) filter (where e.event_type = 'lead_created'),
         count(*) filter (where e.event_type = 'payment_succeeded'),
         p.currency_code, now()
  from business_events e
  join projects p on p.id = e.project_id
  where e.event_type in ('payment_succeeded', 'lead_created')
  group by p.id, 2`;

const KPI_COLUMNS = 'project_id, date, revenue_cents, leads, payments, currency_code';
const DIFFERENCES = `
  select count(*)::int as n from (
    (select ${KPI_COLUMNS} from business_kpi_daily except all select ${KPI_COLUMNS} from bench_kpi_floor)
    union all
    (select ${KPI_COLUMNS} from bench_kpi_floor except all select ${KPI_COLUMNS} from business_kpi_daily)
  ) d`;

/**
 * The KPI rollup through the engine the server runs (`runRollupNow`, as the scheduler does): a full
 * rebuild of every project (no watermark), then the floor into a scratch table with the same primary
 * key, `rounds` times; then `rounds` incremental runs, each after `NEW_EVENTS` new events arrive.
 * Each figure is the best of its rounds. Times are wall-clock, lock and run records included: what
 * an operator waits for.
 */
export async function benchRollup(databaseUrl: string, client: pg.Client, rounds: number, log: (line: string) => void): Promise<RollupBenchResult> {
  const db = createDatabase({ url: databaseUrl });
  try {
    let fullMs = Infinity;
    let floorMs = Infinity;
    let floorDifferences = 0;
    await client.query('create table bench_kpi_floor (like business_kpi_daily including all)');
    for (let round = 1; round <= rounds; round++) {
      // Without a watermark, the engine rebuilds every project from all of its events.
      await client.query('delete from kpi_rollup_state');
      const full = await timed(() => rollup(db));
      await client.query('truncate bench_kpi_floor');
      const floor = await timed(() => client.query(FLOOR));
      const { rows } = await client.query<{ n: number }>(DIFFERENCES);
      floorDifferences = Math.max(floorDifferences, rows[0]?.n ?? 0);
      log(`round ${round}  full rebuild ${full.toFixed(0)} ms, hand-written floor ${floor.toFixed(0)} ms`);
      fullMs = Math.min(fullMs, full);
      floorMs = Math.min(floorMs, floor);
    }
    await client.query('drop table bench_kpi_floor');

    let incrementalMs = Infinity;
    for (let round = 1; round <= rounds; round++) {
      await insertNewEvents(client, NEW_EVENTS);
      const incremental = await timed(() => rollup(db));
      log(`round ${round}  incremental after ${NEW_EVENTS} new events ${incremental.toFixed(0)} ms`);
      incrementalMs = Math.min(incrementalMs, incremental);
    }
    return { fullMs, incrementalMs, floorMs, floorDifferences };
  } finally {
    await db.destroy();
  }
}

async function rollup(db: ReturnType<typeof createDatabase>): Promise<void> {
  const outcome = await runRollupNow(db, { clock: databaseClock, reason: 'bench' });
  if (!outcome) throw new Error('the rollup lock was held by someone else: is a server running on the bench database?');
  if (outcome.status !== 'succeeded') throw new Error(`the rollup failed: ${outcome.error ?? 'no message'}`);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
