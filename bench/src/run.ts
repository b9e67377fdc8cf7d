import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, migrateToLatest } from '@runhub/db';
import pg from 'pg';
import { chooseEndpoints } from './http/endpoints.js';
import { benchHttp } from './http/http-bench.js';
import { measureMetricsCost } from './http/metrics-cost.js';
import { type DataShape, dataShape, loadData } from './load-data.js';
import { describeMachine } from './machine.js';
import { readOptions, USAGE, UsageError } from './options.js';
import { renderReport } from './report.js';
import { benchRollup } from './rollup-bench.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(benchDir, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `pnpm bench`: fills a scratch database, measures the rollup, then the HTTP endpoints on the API
 * and on the floor, and writes `bench/RESULTS.md`. Exits non-zero when something fails (a server,
 * a query, an answer that differs from the floor's), never because a target was missed.
 */
async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env, resolve(benchDir, 'RESULTS.md'));
  if (options === 'help') {
    log(USAGE);
    return;
  }
  const started = new Date();
  const scratch = options.database ? keptDatabase(options.database) : await createScratchDatabase(options.adminUrl);
  log(`== ${options.database ? 'kept' : 'scratch'} database ${scratch.name}`);
  const client = new pg.Client({ connectionString: scratch.url });
  try {
    const db = createDatabase({ url: scratch.url });
    await migrateToLatest(db).finally(() => db.destroy());
    await client.connect();

    let shape = dataShape(options.rows);
    let loadSeconds = 0;
    if (options.database) {
      shape = await shapeOf(client);
      log(
        `== measuring the kept ${shape.events.toLocaleString('en-US')} events, ${shape.runs.toLocaleString('en-US')} runs, ${shape.sends.toLocaleString('en-US')} sends`,
      );
    } else {
      log(
        `== loading ${shape.events.toLocaleString('en-US')} events, ${shape.runs.toLocaleString('en-US')} runs, ${shape.sends.toLocaleString('en-US')} sends`,
      );
      const loadStarted = performance.now();
      await loadData(client, shape, new Date(), log);
      loadSeconds = (performance.now() - loadStarted) / 1000;
    }

    log(`== KPI rollup, best of ${options.rounds} rounds`);
    const rollup = await benchRollup(scratch.url, client, options.rounds, log);
    // The rollup wrote rows and 1,000 events arrived: settle the tables again before measuring reads.
    await client.query('vacuum (analyze) business_events, business_kpi_daily, kpi_rollup_state, kpi_rollup_runs');

    const load = { connections: options.connections, duration: options.duration, warmup: Math.min(2, Math.max(0.5, options.duration / 5)) };
    log(`== HTTP: ${load.connections} connections, ${load.duration} s per run after ${load.warmup} s of warm-up, best of ${options.rounds} rounds`);
    const { endpoints, firstPage, deepPage } = await chooseEndpoints(client);
    const http = await benchHttp(scratch.url, endpoints, load, options.rounds, log);
    log('== the metrics on one request, in-process');
    const metricsCost = await measureMetricsCost(scratch.url);
    for (const r of metricsCost.requests) log(`${r.label.padEnd(40)} ${r.withMicros.toFixed(1)} µs with metrics, ${r.withoutMicros.toFixed(1)} µs without`);

    const markdown = renderReport({
      date: started,
      machine: await describeMachine(client, repoRoot),
      command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
      shape,
      loadSeconds,
      load,
      rounds: options.rounds,
      firstPage,
      deepPage,
      http,
      metricsCost,
      rollup,
    });
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    writeFileSync(resolve(options.out), markdown);
    log(`\n${markdown}\n(written to ${resolve(options.out)})`);
  } finally {
    await client.end().catch(() => undefined);
    if (options.keep || options.database) log(`kept the database: ${scratch.url} (measure it again with --database)`);
    else await scratch.drop();
  }
}

/** A database a `--keep` run left, measured again: never dropped. */
function keptDatabase(url: string): ScratchDatabase {
  return { name: new URL(url).pathname.slice(1), url, drop: async () => undefined };
}

/** What a kept database holds (each run adds the rollup's 1,000 new events to it). */
async function shapeOf(client: pg.Client): Promise<DataShape> {
  const {
    rows: [counts],
  } = await client.query<{ events: number; runs: number; sends: number }>(
    `select (select count(*) from business_events)::int as events, (select count(*) from workflow_runs)::int as runs,
            (select count(*) from workflow_sends)::int as sends`,
  );
  if (!counts || counts.events === 0) throw new UsageError('--database: that database holds no business events; load one with pnpm bench --keep');
  return counts;
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof UsageError ? `${error.message}\n` : `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
