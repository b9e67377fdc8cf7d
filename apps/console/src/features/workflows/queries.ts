import { keepPreviousData } from '@tanstack/react-query';
import type { useTRPC } from '../../api/client.js';
import { countsInput, runsInput, sendsInput, type WorkflowsSearch } from './search.js';

type Trpc = ReturnType<typeof useTRPC>;

/** The runs of the current filters and page; the previous page stays on screen while the next loads. */
export const runsQuery = (trpc: Trpc, search: WorkflowsSearch) => trpc.workflowRuns.list.queryOptions(runsInput(search), { placeholderData: keepPreviousData });

/** The tabs' counts under the current filters (SPEC §7.2); the old counts stay while new ones load. */
export const countsQuery = (trpc: Trpc, search: WorkflowsSearch) =>
  trpc.workflowRuns.counts.queryOptions(countsInput(search), { placeholderData: keepPreviousData });

/** One run with its chain, sends by status and audit trail (SPEC §7.3). */
export const runDetailQuery = (trpc: Trpc, id: string) => trpc.workflowRuns.get.queryOptions({ id });

export const STUCK_PANEL_LIMIT = 20;
export const stuckRunsQuery = (trpc: Trpc, projectId: string | undefined) =>
  trpc.workflowRuns.stuck.queryOptions({ projectId, limit: STUCK_PANEL_LIMIT }, { refetchInterval: 30_000 });

export const sendsQuery = (trpc: Trpc, search: WorkflowsSearch) =>
  trpc.workflowSends.list.queryOptions(sendsInput(search), { placeholderData: keepPreviousData });

/** What a retry or cancel changes: every runs list and the stuck panel. */
export const runsPathKey = (trpc: Trpc) => trpc.workflowRuns.pathKey();
