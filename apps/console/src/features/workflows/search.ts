import type { RouterInputs, RouterOutputs } from '@runhub/client';
import { z } from 'zod/mini';
import { searchField } from '../../ui/url-state.js';

export type WorkflowRun = RouterOutputs['workflowRuns']['list']['runs'][number];
export type RunStatus = WorkflowRun['status'];

/** The tabs, in this order; a Record so the compiler checks it against the API's statuses both ways. */
export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
export const RUN_STATUSES = Object.keys(RUN_STATUS_LABELS) as [RunStatus, ...RunStatus[]];

/**
 * The workflows page's URL: the runs filters and cursor, and the sends list's email and cursor.
 * A filter added later (time range, stuck) is one more field here and in `runsInput`.
 */
export const ZWorkflowsSearch = z.object({
  projectId: searchField.uuid(),
  actionId: searchField.text(200),
  status: searchField.oneOf(RUN_STATUSES),
  cursor: searchField.cursor(),
  email: searchField.text(320),
  sendsCursor: searchField.cursor(),
});
export type WorkflowsSearch = z.output<typeof ZWorkflowsSearch>;

export const RUNS_PAGE_SIZE = 50;
export const SENDS_PAGE_SIZE = 20;

export function runsInput(search: WorkflowsSearch): RouterInputs['workflowRuns']['list'] {
  return { projectId: search.projectId, actionId: search.actionId, status: search.status, cursor: search.cursor, limit: RUNS_PAGE_SIZE };
}

export function sendsInput(search: WorkflowsSearch): RouterInputs['workflowSends']['list'] {
  return { projectId: search.projectId, email: search.email, cursor: search.sendsCursor, limit: SENDS_PAGE_SIZE };
}

/** A new filter starts from the first page of runs; the sends list keeps its own place unless its email or project changes. */
export function withRunFilters(search: WorkflowsSearch, filters: Pick<WorkflowsSearch, 'projectId' | 'actionId'>): WorkflowsSearch {
  const projectChanged = filters.projectId !== search.projectId;
  return { ...search, ...filters, cursor: undefined, sendsCursor: projectChanged ? undefined : search.sendsCursor };
}

/** What the client knows without asking: running with a lease that has expired (the stuck panel asks the API). */
export function looksStuck(run: Pick<WorkflowRun, 'status' | 'leaseExpiresAt'>, now: Date): boolean {
  return run.status === 'running' && run.leaseExpiresAt !== null && new Date(run.leaseExpiresAt) < now;
}

/** SPEC §3.2: retry is for failed and stuck runs, cancel for queued and running ones. The API has the last word. */
export function allowedWrites(run: Pick<WorkflowRun, 'status' | 'leaseExpiresAt'>, now: Date): { retry: boolean; cancel: boolean } {
  return { retry: run.status === 'failed' || looksStuck(run, now), cancel: run.status === 'queued' || run.status === 'running' };
}
