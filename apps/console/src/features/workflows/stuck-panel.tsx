import type { RouterOutputs } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { formatNumber } from '../../ui/format.js';
import { QueryView } from '../../ui/states.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { STUCK_PANEL_LIMIT, stuckRunsQuery } from './queries.js';
import { RunId } from './run-cells.js';
import { RunActions, type RunWrite } from './runs-table.js';

type StuckRun = RouterOutputs['workflowRuns']['stuck']['runs'][number];

/** The first rows shown; the rest behind "Show all", so a long stuck list does not push the runs off the screen. */
const COLLAPSED_ROWS = 5;

/** Running runs whose lease expired, oldest lease first: the ones an operator retries or cancels. */
export function StuckPanel({ projectId, onWrite }: { projectId: string | undefined; onWrite: (write: RunWrite) => void }) {
  const trpc = useTRPC();
  const stuck = useQuery(stuckRunsQuery(trpc, projectId));
  const [expanded, setExpanded] = useState(false);
  const now = new Date();
  const columns: Column<StuckRun>[] = [
    { header: 'Lease expired', cell: (run) => <Time iso={run.leaseExpiresAt} relative /> },
    { header: 'Project', cell: (run) => run.projectName },
    { header: 'Action', cell: (run) => <code>{run.actionId}</code> },
    { header: 'Attempts', kind: 'num', cell: (run) => formatNumber(run.attempts) },
    { header: 'Run', cell: (run) => <RunId id={run.id} /> },
    { header: 'Requested', cell: (run) => <Time iso={run.requestedAt} /> },
    { header: 'Actions', cell: (run) => <RunActions run={{ ...run, status: 'running' }} now={now} onWrite={onWrite} /> },
  ];
  return (
    <section className="panel" aria-labelledby="stuck-title">
      <h2 id="stuck-title">
        Stuck runs
        {stuck.data ? <span className="count">{stuck.data.runs.length >= STUCK_PANEL_LIMIT ? `${STUCK_PANEL_LIMIT}+` : stuck.data.runs.length}</span> : null}
      </h2>
      <QueryView
        query={stuck}
        loading="Loading stuck runs…"
        empty="No stuck runs: every running run holds a live lease."
        isEmpty={(data) => data.runs.length === 0}
      >
        {(data) => (
          <>
            <Table caption="Stuck runs" columns={columns} rows={expanded ? data.runs : data.runs.slice(0, COLLAPSED_ROWS)} rowKey={(run) => run.id} />
            {data.runs.length > COLLAPSED_ROWS ? (
              <button type="button" className="quiet small more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
                {expanded ? 'Show fewer' : `Show all ${data.runs.length}`}
              </button>
            ) : null}
          </>
        )}
      </QueryView>
    </section>
  );
}
