import type { RouterOutputs } from '@runhub/client';
import { formatDay, formatDuration, formatNumber } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';

export type RollupRun = RouterOutputs['kpiHealth']['rollupRuns']['runs'][number];

/** A run's scope in words: all projects or one, incremental or a rebuild of a range of dates. */
export function rollupScope(run: Pick<RollupRun, 'projectName' | 'projectId' | 'startDate' | 'endDate'>): string {
  const who = run.projectId === null ? 'All projects' : (run.projectName ?? run.projectId);
  if (run.startDate === null || run.endDate === null) return `${who}, incremental`;
  return `${who}, rebuild ${formatDay(run.startDate)} – ${formatDay(run.endDate)}`;
}

const columns: Column<RollupRun>[] = [
  { header: 'Requested', cell: (run) => <Time iso={run.requestedAt} relative /> },
  { header: 'Trigger', cell: (run) => run.trigger },
  { header: 'Scope', kind: 'wide', cell: (run) => rollupScope(run) },
  { header: 'Status', cell: (run) => <StatusBadge status={run.status} /> },
  { header: 'Duration', kind: 'num', cell: (run) => (run.durationMs === null ? '—' : formatDuration(run.durationMs)) },
  { header: 'Projects', kind: 'num', cell: (run) => (run.projectsChecked === null ? '—' : formatNumber(run.projectsChecked)) },
  { header: 'By', cell: (run) => (run.requestedBy ? <code>{run.requestedBy}</code> : <span className="muted">schedule</span>) },
  {
    header: 'Reason or error',
    kind: 'wide',
    cell: (run) => (run.error ? <span className="error">{run.error}</span> : (run.reason ?? <span className="muted">—</span>)),
  },
];

/** The rollup's history, newest first, a page at a time (SPEC §8.3); the page's cursor is in the URL. */
export function RollupHistory({ data, onPage }: { data: RouterOutputs['kpiHealth']['rollupRuns']; onPage: (cursor: string | undefined) => void }) {
  return (
    <>
      <Table caption="Rollup history" columns={columns} rows={data.runs} rowKey={(run) => String(run.id)} />
      <Pager label="Rollup history" nextCursor={data.nextCursor} onPage={onPage} />
    </>
  );
}
