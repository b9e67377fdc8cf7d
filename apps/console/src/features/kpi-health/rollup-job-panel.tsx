import type { RouterOutputs } from '@runhub/client';
import { formatDuration } from '../../ui/format.js';
import { Empty } from '../../ui/states.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';

type RollupJob = RouterOutputs['kpiHealth']['rollupJob'];
type RollupError = RollupJob['recentErrors'][number];

const errorColumns: Column<RollupError>[] = [
  { header: 'When', cell: (error) => <Time iso={error.occurredAt} relative /> },
  { header: 'Project', cell: (error) => error.projectName ?? <span className="muted">the whole run</span> },
  { header: 'Message', kind: 'wide', cell: (error) => error.message },
];

/** The rollup job: running or idle, its last run and the next, and its last 20 errors. */
export function RollupJobPanel({ job }: { job: RollupJob }) {
  return (
    <>
      <dl className="fields">
        <div className="pair">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={job.status} />
          </dd>
        </div>
        <div className="pair">
          <dt>Last run</dt>
          <dd>
            <Time iso={job.lastRunAt} relative />
          </dd>
        </div>
        <div className="pair">
          <dt>Last duration</dt>
          <dd>{job.lastDurationMs === null ? '—' : formatDuration(job.lastDurationMs)}</dd>
        </div>
        <div className="pair">
          <dt>Next scheduled</dt>
          <dd>
            <Time iso={job.nextScheduledAt} relative />
          </dd>
        </div>
      </dl>
      <h3>Recent errors</h3>
      {job.recentErrors.length === 0 ? (
        <Empty>No errors in the recent runs.</Empty>
      ) : (
        <Table
          caption="Recent rollup errors"
          columns={errorColumns}
          rows={job.recentErrors}
          rowKey={(error) => `${error.occurredAt}|${error.projectId}|${error.message}`}
        />
      )}
    </>
  );
}
