import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { outcomeSummary, RunId, RunStatusCell } from './run-cells.js';
import { allowedWrites, type WorkflowRun } from './search.js';

export interface RunWrite {
  kind: 'retry' | 'cancel';
  run: Pick<WorkflowRun, 'id' | 'projectName' | 'actionId'>;
}

/** The runs of one page, each with the writes its status allows. */
export function RunsTable({ runs, onWrite }: { runs: readonly WorkflowRun[]; onWrite: (write: RunWrite) => void }) {
  const now = new Date();
  const columns: Column<WorkflowRun>[] = [
    { header: 'Requested', cell: (run) => <Time iso={run.requestedAt} /> },
    { header: 'Project', cell: (run) => run.projectName },
    { header: 'Action', cell: (run) => <code>{run.actionId}</code> },
    { header: 'Status', cell: (run) => <RunStatusCell run={run} now={now} /> },
    { header: 'Attempts', kind: 'num', cell: (run) => `${run.attempts} / ${run.maxAttempts}` },
    {
      header: 'Run',
      cell: (run) => (
        <>
          <RunId id={run.id} />
          {run.retryOf ? (
            <span className="muted">
              {' '}
              retry of <RunId id={run.retryOf} />
            </span>
          ) : null}
        </>
      ),
    },
    {
      header: 'Error or outcome',
      kind: 'wide',
      cell: (run) =>
        run.error ? (
          <span>
            <code>{run.error.code}</code> {run.error.message}
          </span>
        ) : (
          (outcomeSummary(run.outcome) ?? <span className="muted">—</span>)
        ),
    },
    { header: 'Actions', cell: (run) => <RunActions run={run} now={now} onWrite={onWrite} /> },
  ];
  return <Table caption="Workflow runs" columns={columns} rows={runs} rowKey={(run) => run.id} />;
}

export function RunActions({
  run,
  now,
  onWrite,
}: {
  run: Pick<WorkflowRun, 'id' | 'projectName' | 'actionId' | 'status' | 'leaseExpiresAt'>;
  now: Date;
  onWrite: (write: RunWrite) => void;
}) {
  const allowed = allowedWrites(run, now);
  return (
    <span className="row-actions">
      {allowed.retry ? (
        <button type="button" className="small" aria-label={`Retry run ${run.id}`} onClick={() => onWrite({ kind: 'retry', run })}>
          Retry
        </button>
      ) : null}
      {allowed.cancel ? (
        <button type="button" className="small quiet" aria-label={`Cancel run ${run.id}`} onClick={() => onWrite({ kind: 'cancel', run })}>
          Cancel
        </button>
      ) : null}
    </span>
  );
}
