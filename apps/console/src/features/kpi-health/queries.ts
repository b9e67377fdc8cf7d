import type { useTRPC } from '../../api/client.js';

type Trpc = ReturnType<typeof useTRPC>;

/** While a rollup runs or waits to run, the page asks again this often, so it shows the end of the run by itself. */
export const RUNNING_POLL_MS = 1_000;
const IDLE_POLL_MS = 60_000;

export const pollInterval = (running: boolean) => (running ? RUNNING_POLL_MS : IDLE_POLL_MS);

export const rollupJobQuery = (trpc: Trpc) =>
  trpc.kpiHealth.rollupJob.queryOptions(undefined, { refetchInterval: (query) => pollInterval(query.state.data?.status === 'running') });

export const summaryQuery = (trpc: Trpc, running: boolean) => trpc.kpiHealth.summary.queryOptions(undefined, { refetchInterval: pollInterval(running) });

export const projectsQuery = (trpc: Trpc, running: boolean) => trpc.kpiHealth.projects.queryOptions(undefined, { refetchInterval: pollInterval(running) });

/** Everything a rollup changes on this page. */
export const kpiHealthPathKey = (trpc: Trpc) => trpc.kpiHealth.pathKey();
