import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDatabase } from '@runhub/db';
import { createRollupCoordinator } from '@runhub/router';
import { boundHeapGrowth, createApp, createLogger } from '@runhub/server';
import pg from 'pg';
import { chooseEndpoints, pathsOf } from '../http/endpoints.js';
import { createFloorApp } from '../http/floor-app.js';

/**
 * `node bench/dist/profile/in-process.js --database URL [--requests N] [--rounds R] [--only TEXT]`:
 * the app (REST and /trpc) and the floor in this one process, against a database `pnpm bench --keep`
 * loaded, answering each endpoint in alternating rounds of N sequential requests; prints each one's
 * median CPU time per request and the ratio to the floor's. Alternating in one process keeps a busy
 * machine's noise out of the ratio far better than two loaded servers do; the HTTP layer
 * (`@hono/node-server`), the same for both, is left out. The app logs at `info` to a discarding writer.
 */
const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    requests: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
if (!values.database) throw new Error('--database URL is required: a database loaded by pnpm bench --keep');
boundHeapGrowth();
const client = new pg.Client({ connectionString: values.database });
await client.connect();
const { endpoints } = await chooseEndpoints(client);
await client.end();
const db = createDatabase({ url: values.database, statementTimeoutMs: 5000 });
const pool = new pg.Pool({ connectionString: values.database, max: 10 });
const token = randomBytes(24).toString('hex');
const app = createApp({
  db,
  rollup: createRollupCoordinator(db),
  auth: { adminTokens: [token], sessionSecrets: [] },
  logger: createLogger('info', () => {}),
});
const floor = createFloorApp(pool);
const headers = { 'x-sheen-admin-token': token };
const requests = Number(values.requests);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function cpuPerRequest(fetch: () => Promise<Response>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const response = await fetch();
    if (response.status !== 200) throw new Error(`answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

try {
  process.stdout.write('| endpoint | floor µs/req | REST µs/req | × floor | tRPC µs/req | × floor |\n|---|---:|---:|---:|---:|---:|\n');
  for (const endpoint of endpoints.filter((e) => !values.only || e.label.includes(values.only))) {
    const paths = pathsOf(endpoint);
    const kinds = {
      floor: () => Promise.resolve(floor.request(paths.floor)),
      REST: () => Promise.resolve(app.request(paths.rest, { headers })),
      tRPC: () => Promise.resolve(app.request(paths.trpc, { headers })),
    };
    const micros: Record<keyof typeof kinds, number[]> = { floor: [], REST: [], tRPC: [] };
    for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) await cpuPerRequest(kinds[kind]); // warm-up
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) micros[kind].push(await cpuPerRequest(kinds[kind]));
    }
    const [f, r, t] = [median(micros.floor), median(micros.REST), median(micros.tRPC)];
    process.stdout.write(`| ${endpoint.label} | ${f.toFixed(0)} | ${r.toFixed(0)} | ${(r / f).toFixed(2)} | ${t.toFixed(0)} | ${(t / f).toFixed(2)} |\n`);
  }
} finally {
  await db.destroy();
  await pool.end();
}
