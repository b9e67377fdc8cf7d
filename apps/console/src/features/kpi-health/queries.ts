import { keepPreviousData } from '@tanstack/react-query';
import type { useTRPC } from '../../api/client.js';
import { PROJECT_DAYS, ROLLUP_RUNS_PAGE_SIZE } from './search.js';

type Trpc = ReturnType<typeof useTRPC>;

/** While a rollup runs or waits to run, the page asks again this often, so it shows the end of the run by itself. */
export const RUNNING_POLL_MS = 1_000;
const IDLE_POLL_MS = 60_000;

export const pollInterval = (running: boolean) => (running ? RUNNING_POLL_MS : IDLE_POLL_MS);

export const rollupJobQuery = (trpc: Trpc) =>
  trpc.kpiHealth.rollupJob.queryOptions(undefined, { refetchInterval: (query) => pollInterval(query.state.data?.status === 'running') });

export const summaryQuery = (trpc: Trpc, running: boolean) => trpc.kpiHealth.summary.queryOptions(undefined, { refetchInterval: pollInterval(running) });

export const projectsQuery = (trpc: Trpc, running: boolean) => trpc.kpiHealth.projects.queryOptions(undefined, { refetchInterval: pollInterval(running) });

/** The rollup's history, newest first (SPEC §8.3); polled like the job, so a run's row moves from queued to its end by itself. */
export const rollupRunsQuery = (trpc: Trpc, cursor: string | undefined, running: boolean) =>
  trpc.kpiHealth.rollupRuns.queryOptions(
    { limit: ROLLUP_RUNS_PAGE_SIZE, cursor },
    { refetchInterval: pollInterval(running), placeholderData: keepPreviousData },
  );

/** A project's last 30 local days (SPEC §8.1). */
export const projectDaysQuery = (trpc: Trpc, projectId: string, running: boolean) =>
  trpc.kpiHealth.project.queryOptions({ projectId, days: PROJECT_DAYS }, { refetchInterval: pollInterval(running) });

/** Everything a rollup changes on this page. */
export const kpiHealthPathKey = (trpc: Trpc) => trpc.kpiHealth.pathKey();
