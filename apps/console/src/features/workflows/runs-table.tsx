import { Link } from '@tanstack/react-router';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { outcomeSummary, RunId, RunStatusCell } from './run-cells.js';
import { allowedWrites, type WorkflowRun } from './search.js';

export interface RunWrite {
  kind: 'retry' | 'cancel';
  run: Pick<WorkflowRun, 'id' | 'projectName' | 'actionId'>;
}

/** The page's selection for a bulk retry or cancel: run ids, kept while the page of runs changes. */
export interface RunSelection {
  selected: ReadonlySet<string>;
  /** Adds or removes these runs. */
  onSelect: (ids: readonly string[], selected: boolean) => void;
}

/** The runs of one page, each with a checkbox for a bulk operation, a link to its detail and the writes its status allows. */
export function RunsTable({ runs, onWrite, selection }: { runs: readonly WorkflowRun[]; onWrite: (write: RunWrite) => void; selection: RunSelection }) {
  const now = new Date();
  const ids = runs.map((run) => run.id);
  const selectedHere = ids.filter((id) => selection.selected.has(id)).length;
  const columns: Column<WorkflowRun>[] = [
    {
      header: 'Select',
      head: (
        <input
          type="checkbox"
          aria-label="Select every run on this page"
          checked={selectedHere === ids.length && ids.length > 0}
          ref={(box) => {
            if (box) box.indeterminate = selectedHere > 0 && selectedHere < ids.length;
          }}
          onChange={(event) => selection.onSelect(ids, event.target.checked)}
        />
      ),
      cell: (run) => (
        <input
          type="checkbox"
          aria-label={`Select run ${run.id}`}
          checked={selection.selected.has(run.id)}
          onChange={(event) => selection.onSelect([run.id], event.target.checked)}
        />
      ),
    },
    { header: 'Requested', cell: (run) => <Time iso={run.requestedAt} /> },
    { header: 'Project', kind: 'wide', cell: (run) => run.projectName },
    { header: 'Action', cell: (run) => <code>{run.actionId}</code> },
    { header: 'Status', cell: (run) => <RunStatusCell run={run} now={now} /> },
    { header: 'Attempts', kind: 'num', cell: (run) => `${run.attempts} / ${run.maxAttempts}` },
    {
      header: 'Run',
      cell: (run) => (
        <>
          <RunLink id={run.id} />
          {run.retryOf ? (
            <span className="muted block">
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
    { header: 'Actions', kind: 'actions', cell: (run) => <RunActions run={run} now={now} onWrite={onWrite} /> },
  ];
  return <Table caption="Workflow runs" columns={columns} rows={runs} rowKey={(run) => run.id} />;
}

/** A run's id, opening its detail beside the list with the list's filters kept. */
export function RunLink({ id }: { id: string }) {
  return (
    <Link to="/workflows/runs/$runId" params={{ runId: id }} search={(prev) => prev} aria-label={`Open run ${id}`}>
      <RunId id={id} />
    </Link>
  );
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
      {!allowed.retry && !allowed.cancel ? <span className="muted">—</span> : null}
    </span>
  );
}
