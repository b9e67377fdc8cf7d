import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SERVER_NODE_FLAGS } from '@runhub/server';
import pg from 'pg';
import { chooseEndpoints, type Endpoint, pathsOf } from '../http/endpoints.js';
import { type LoadTarget, measureLoad } from '../http/load.js';
import { type ChildServer, startChildServer } from '../http/servers.js';
import { RETRY_LABEL, RetryPool } from '../http/write-bench.js';

/**
 * `node bench/dist/profile/cpu-probe.js --database URL [--duration S] [--rounds R] [--profile DIR]`:
 * the HTTP part of `pnpm bench` against a database the bench already loaded (`pnpm bench --keep`),
 * reporting each server's CPU time per request (the steady figure on a shared machine) as the median of
 * R rounds (the retry write last, on prepared runs removed after each load), and, with `--profile`, writing both children's `--cpu-prof` profiles to DIR (`--servers floor,REST`
 * loads only those; `--node-flags=…` starts the API child with those Node flags instead of `SERVER_NODE_FLAGS`, `--node-flags=` with none).
 */
const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    profile: { type: 'string' },
    only: { type: 'string' },
    servers: { type: 'string', default: 'floor,REST,tRPC' },
    'node-flags': { type: 'string' },
  },
});
if (!values.database) throw new Error('--database URL is required: a database loaded by pnpm bench --keep');
const settings = { connections: Number(values.connections), duration: Number(values.duration), warmup: 1 };
const client = new pg.Client({ connectionString: values.database });
await client.connect();
const { endpoints } = await chooseEndpoints(client);
const retries = new RetryPool(client);
const token = randomBytes(24).toString('hex');
const env = { BENCH_CHILD_DATABASE_URL: values.database, BENCH_CHILD_ADMIN_TOKEN: token };
const execArgv = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
const apiFlags = values['node-flags'] === undefined ? [...SERVER_NODE_FLAGS] : values['node-flags'].split(' ').filter(Boolean);
const [api, floor] = await Promise.all([
  startChildServer('api-server.js', env, [...apiFlags, ...execArgv]),
  startChildServer('floor-server.js', env, execArgv),
]);
const headers = { 'x-sheen-admin-token': token };
const servers = { floor, REST: api, tRPC: api } as const;
const urlOf = (server: keyof typeof servers, endpoint: Endpoint) => {
  const paths = pathsOf(endpoint);
  return `${servers[server].baseUrl}${server === 'floor' ? paths.floor : server === 'tRPC' ? paths.trpc : paths.rest}`;
};
const loads: { label: string; target: (server: keyof typeof servers) => LoadTarget }[] = [
  ...endpoints.map((endpoint) => ({
    label: endpoint.label,
    target: (server: keyof typeof servers) => ({ url: urlOf(server, endpoint), headers: server === 'floor' ? {} : headers }),
  })),
  {
    label: RETRY_LABEL,
    target: (server: keyof typeof servers) => ({
      url: servers[server].baseUrl,
      headers: server === 'floor' ? {} : headers,
      write: retries.requestsFor(server),
    }),
  },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
try {
  process.stdout.write(`| endpoint | floor µs/req | REST µs/req | × | tRPC µs/req | × | REST req/s × floor |\n|---|---:|---:|---:|---:|---:|---:|\n`);
  for (const endpoint of loads.filter((e) => !values.only || e.label.includes(values.only))) {
    const cpu: Record<string, number[]> = { floor: [], REST: [], tRPC: [] };
    const rps: Record<string, number[]> = { floor: [], REST: [], tRPC: [] };
    const total: Record<string, number> = {};
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const server of values.servers.split(',') as (keyof typeof servers)[]) {
        const child: ChildServer = servers[server];
        let before = 0;
        const result = await measureLoad(endpoint.target(server), settings, async () => {
          before = (await child.usage()).cpuMicros;
        }).finally(() => retries.clear());
        cpu[server]?.push(((await child.usage()).cpuMicros - before) / result.requests);
        rps[server]?.push(result.requestsPerSecond);
        total[server] = (total[server] ?? 0) + result.requests;
      }
    }
    const [f, r, t] = [median(cpu.floor ?? []), median(cpu.REST ?? []), median(cpu.tRPC ?? [])];
    const ratio = median(rps.REST ?? []) / median(rps.floor ?? []);
    process.stdout.write(
      `| ${endpoint.label} | ${f.toFixed(0)} | ${r.toFixed(0)} | ${(r / f).toFixed(2)} | ${t.toFixed(0)} | ${(t / f).toFixed(2)} | ${ratio.toFixed(2)} |\n`,
    );
    process.stderr.write(`requests measured: ${JSON.stringify(total)}\n`);
  }
  process.stdout.write(
    `API peak RSS ${((await api.usage()).peakRssBytes / 2 ** 20).toFixed(0)} MB, floor ${((await floor.usage()).peakRssBytes / 2 ** 20).toFixed(0)} MB\n`,
  );
} finally {
  await retries.clear();
  await client.end();
  await Promise.all([api.stop(), floor.stop()]);
}
