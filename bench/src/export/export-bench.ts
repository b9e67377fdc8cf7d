import { parseArgs } from 'node:util';
import { createDatabase, migrateToLatest } from '@runhub/db';
import { SERVER_NODE_FLAGS } from '@runhub/server';
import pg from 'pg';
import { startChildServer } from '../http/servers.js';
import { dataShape, loadData } from '../load-data.js';
import { createScratchDatabase } from '../scratch-database.js';
import { measureGrowth } from './memory.js';

const PREFIX = '/v1/admin/inhouse';
const TOKEN = 'bench-export-token-0123456789abcdef';
const MB = 1_000_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = `Usage: pnpm bench:export [--rows N] [--pause S] [--keep] [--database URL]

  --rows N        business events to load (default 1000000); workflow runs are N/5
  --pause S       seconds the slow client stops reading after its first chunk (default 3)
  --keep          keep the scratch database runhub_bench_<ts>
  --database URL  measure on a database a kept run loaded, instead of loading a new one

Exports every run (NDJSON, CSV, and NDJSON to a client that pauses) and every event (NDJSON)
through the real app in its own process, and reports the server's RSS growth during each
(Linux: /proc/<pid>), the time to the first row, the rows per second and the server's CPU time
per row (steadier than rows per second on a shared machine). The scratch database is
created on the server of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

interface Scenario {
  label: string;
  path: string;
  /** Data rows expected: the export must send exactly these. */
  rows: number;
  csv: boolean;
  pauseMs: number;
}

interface Measured {
  rows: number;
  bytes: number;
  firstRowMs: number;
  totalMs: number;
}

/** Reads an export to its end as a client would, counting rows; optionally stops reading for a while after the first chunk. */
async function download(baseUrl: string, scenario: Scenario): Promise<Measured> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${scenario.path}`, { headers: { 'x-sheen-admin-token': TOKEN } });
  if (response.status !== 200 || !response.body) throw new Error(`${scenario.path} answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  let lines = 0;
  let bytes = 0;
  let firstRowMs = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
    if (Number.isNaN(firstRowMs) && lines > (scenario.csv ? 1 : 0)) {
      firstRowMs = performance.now() - started;
      if (scenario.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, scenario.pauseMs));
    }
  }
  return { rows: scenario.csv ? lines - 1 : lines, bytes, firstRowMs, totalMs: performance.now() - started - scenario.pauseMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      pause: { type: 'string' },
      keep: { type: 'boolean' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    log(USAGE);
    return;
  }
  const events = Number((values.rows ?? '1000000').replaceAll('_', ''));
  const pauseSeconds = Number(values.pause ?? '3');
  if (!Number.isSafeInteger(events) || events < 1000 || !(pauseSeconds >= 0)) throw new Error(`bad flags\n\n${USAGE}`);

  if (values.database) {
    await measure(values.database, pauseSeconds);
    return;
  }
  const scratch = await createScratchDatabase(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  log(`== scratch database ${scratch.name}`);
  try {
    const db = createDatabase({ url: scratch.url });
    await migrateToLatest(db).finally(() => db.destroy());
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const shape = dataShape(events);
    log(`== loading ${shape.events.toLocaleString('en-US')} events, ${shape.runs.toLocaleString('en-US')} runs`);
    await loadData(client, shape, new Date(), log).finally(() => client.end());
    await measure(scratch.url, pauseSeconds);
  } finally {
    if (values.keep) log(`kept the scratch database: ${scratch.url}`);
    else await scratch.drop();
  }
}

/** Every scenario on the loaded database `url`, through the app in its own process; prints the table. */
async function measure(url: string, pauseSeconds: number): Promise<void> {
  const counts = new pg.Client({ connectionString: url });
  await counts.connect();
  const { rows } = await counts
    .query<{ runs: number; events: number }>('select (select count(*) from workflow_runs)::int as runs, (select count(*) from business_events)::int as events')
    .finally(() => counts.end());
  const runs = rows[0]?.runs ?? 0;
  const events = rows[0]?.events ?? 0;
  const server = await startChildServer('api-server.js', { BENCH_CHILD_DATABASE_URL: url, BENCH_CHILD_ADMIN_TOKEN: TOKEN }, [...SERVER_NODE_FLAGS]);
  try {
    // Warm-up: the first export of each list loads its code paths; memory is measured after it.
    for (const list of ['workflow-runs', 'business-events']) {
      await download(server.baseUrl, {
        label: '',
        path: `${PREFIX}/${list}/export?projectId=00000000-0000-4000-8000-000000000000`,
        rows: 0,
        csv: false,
        pauseMs: 0,
      });
    }
    const label = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}`;
    const scenarios: Scenario[] = [
      { label: label(runs, 'runs, NDJSON'), path: `${PREFIX}/workflow-runs/export`, rows: runs, csv: false, pauseMs: 0 },
      { label: label(runs, 'runs, CSV'), path: `${PREFIX}/workflow-runs/export?format=csv`, rows: runs, csv: true, pauseMs: 0 },
      {
        label: label(runs, `runs, NDJSON, client pauses ${pauseSeconds} s`),
        path: `${PREFIX}/workflow-runs/export`,
        rows: runs,
        csv: false,
        pauseMs: pauseSeconds * 1000,
      },
      { label: label(events, 'events, NDJSON'), path: `${PREFIX}/business-events/export`, rows: events, csv: false, pauseMs: 0 },
    ];
    const table = [
      '| export | RSS before | peak RSS | growth | first row | total | rows/s | server CPU per row | MB sent |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const scenario of scenarios) {
      log(`== ${scenario.label}`);
      const cpuBefore = (await server.usage()).cpuMicros;
      const { result, before, peak } = await measureGrowth(server.pid, () => download(server.baseUrl, scenario));
      const cpuPerRow = ((await server.usage()).cpuMicros - cpuBefore) / Math.max(1, result.rows);
      if (result.rows !== scenario.rows) throw new Error(`${scenario.label}: exported ${result.rows} rows, expected ${scenario.rows}`);
      const row = [
        scenario.label,
        `${(before / MB).toFixed(0)} MB`,
        `${(peak / MB).toFixed(0)} MB`,
        `${((peak - before) / MB).toFixed(1)} MB`,
        `${result.firstRowMs.toFixed(0)} ms`,
        `${(result.totalMs / 1000).toFixed(1)} s`,
        Math.round(result.rows / (result.totalMs / 1000)).toLocaleString('en-US'),
        `${cpuPerRow.toFixed(1)} µs`,
        (result.bytes / MB).toFixed(0),
      ];
      log(`   ${row.join(' | ')}`);
      table.push(`| ${row.join(' | ')} |`);
    }
    log(`\n${table.join('\n')}\n`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
