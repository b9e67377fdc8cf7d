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

/** The stuck filter as the URL writes it: `true` only the stuck runs, `false` every run but those. */
export const STUCK_VALUES = ['true', 'false'] as const;

/**
 * The workflows page's URL: the runs filters and cursor, and the sends list's email and cursor.
 * `requestedFrom`/`requestedTo` are instants in UTC (`…Z`), from inclusive, to exclusive (SPEC §7.1).
 */
export const ZWorkflowsSearch = z.object({
  projectId: searchField.uuid(),
  actionId: searchField.text(200),
  status: searchField.oneOf(RUN_STATUSES),
  requestedFrom: searchField.instant(),
  requestedTo: searchField.instant(),
  stuck: searchField.oneOf(STUCK_VALUES),
  cursor: searchField.cursor(),
  email: searchField.text(320),
  sendsCursor: searchField.cursor(),
});
export type WorkflowsSearch = z.output<typeof ZWorkflowsSearch>;

export const RUNS_PAGE_SIZE = 50;
export const SENDS_PAGE_SIZE = 20;

/** The filters the URL holds, without paging: the list's, the export's and a bulk operation's selection (SPEC §7.1). */
export function runFilter(search: WorkflowsSearch): RunFilter {
  return {
    projectId: search.projectId,
    actionId: search.actionId,
    status: search.status,
    requestedFrom: search.requestedFrom,
    requestedTo: search.requestedTo,
    stuck: search.stuck === undefined ? undefined : search.stuck === 'true',
  };
}
export type RunFilter = Omit<RouterInputs['workflowRuns']['list'], 'cursor' | 'limit'>;

export function runsInput(search: WorkflowsSearch): RouterInputs['workflowRuns']['list'] {
  return { ...runFilter(search), cursor: search.cursor, limit: RUNS_PAGE_SIZE };
}

/** The tabs' counts: every filter but the status (each tab is a status) and stuck (counted on its own). */
export function countsInput(search: WorkflowsSearch): RouterInputs['workflowRuns']['counts'] {
  return { projectId: search.projectId, actionId: search.actionId, requestedFrom: search.requestedFrom, requestedTo: search.requestedTo };
}

/** A bulk operation's `filter`: the URL's filters with their unset fields left out; null when none is set (the API refuses an empty filter). */
export function bulkFilter(search: WorkflowsSearch): RunFilter | null {
  const filter = Object.fromEntries(Object.entries(runFilter(search)).filter(([, value]) => value !== undefined)) as RunFilter;
  return Object.keys(filter).length > 0 ? filter : null;
}

/** The export's query string (SPEC §7.5): the URL's filters, never a cursor or limit, and the format. */
export function exportQuery(search: WorkflowsSearch, format: 'ndjson' | 'csv'): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(bulkFilter(search) ?? {})) params.set(name, String(value));
  if (format === 'csv') params.set('format', 'csv');
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function sendsInput(search: WorkflowsSearch): RouterInputs['workflowSends']['list'] {
  return { projectId: search.projectId, email: search.email, cursor: search.sendsCursor, limit: SENDS_PAGE_SIZE };
}

/** A new filter starts from the first page of runs; the sends list keeps its own place unless its email or project changes. */
export type RunFilterFields = Pick<WorkflowsSearch, 'projectId' | 'actionId' | 'requestedFrom' | 'requestedTo' | 'stuck'>;

export function withRunFilters(search: WorkflowsSearch, filters: RunFilterFields): WorkflowsSearch {
  const projectChanged = filters.projectId !== search.projectId;
  // Stuck runs are running runs: with any other status tab the list would be empty by definition.
  const status = filters.stuck === 'true' && search.status !== 'running' ? undefined : search.status;
  return { ...search, ...filters, status, cursor: undefined, sendsCursor: projectChanged ? undefined : search.sendsCursor };
}

/** What the client knows without asking: running with a lease that has expired (the stuck panel asks the API). */
export function looksStuck(run: Pick<WorkflowRun, 'status' | 'leaseExpiresAt'>, now: Date): boolean {
  return run.status === 'running' && run.leaseExpiresAt !== null && new Date(run.leaseExpiresAt) < now;
}

/** SPEC §3.2: retry is for failed and stuck runs, cancel for queued and running ones. The API has the last word. */
export function allowedWrites(run: Pick<WorkflowRun, 'status' | 'leaseExpiresAt'>, now: Date): { retry: boolean; cancel: boolean } {
  return { retry: run.status === 'failed' || looksStuck(run, now), cancel: run.status === 'queued' || run.status === 'running' };
}
