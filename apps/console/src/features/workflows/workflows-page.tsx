import { EXPORT_PATHS } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, Outlet } from '@tanstack/react-router';
import { useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { useProjects } from '../../api/projects.js';
import { ExportButtons } from '../../ui/export-buttons.js';
import { formatNumber } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { QueryView } from '../../ui/states.js';
import { BulkDialog, type BulkRequest, type BulkResult } from './bulk-dialog.js';
import { countsQuery, runsQuery } from './queries.js';
import { RunId } from './run-cells.js';
import { RunWriteDialog, type RunWriteResult } from './run-write-dialog.js';
import { RunsFilters } from './runs-filters.js';
import { RunLink, RunsTable, type RunWrite } from './runs-table.js';
import { bulkFilter, exportQuery, type WorkflowsSearch, withRunFilters } from './search.js';
import { SendsPanel } from './sends-panel.js';
import { StatusTabs } from './status-tabs.js';
import { StuckPanel } from './stuck-panel.js';
import { RunWriteContext } from './write-context.js';

const route = getRouteApi('/workflows');

/** `/admin/inhouse/workflows`: runs by status and filter with their counts, a run's detail, the stuck runs, retry and cancel (one or in bulk), export, the sends. */
export function WorkflowsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trpc = useTRPC();
  const projects = useProjects();
  const runs = useQuery(runsQuery(trpc, search));
  const counts = useQuery(countsQuery(trpc, search));
  const [write, setWrite] = useState<RunWrite | null>(null);
  const [done, setDone] = useState<RunWriteResult | null>(null);
  const [bulk, setBulk] = useState<BulkRequest | null>(null);
  const [bulkDone, setBulkDone] = useState<BulkResult | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const go = (next: WorkflowsSearch) => navigate({ to: '/workflows', search: next });
  const filter = bulkFilter(search);

  const select = (ids: readonly string[], on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <div className="page">
      <h1>Workflows</h1>
      <RunsFilters
        key={`${search.projectId}|${search.actionId}|${search.requestedFrom}|${search.requestedTo}|${search.stuck}|${projects.data ? 'projects' : ''}`}
        search={search}
        projects={projects.data?.projects}
        onApply={(filters) => go(withRunFilters(search, filters))}
      />
      {done ? <WriteNotice result={done} onDismiss={() => setDone(null)} /> : null}
      {bulkDone ? <BulkNotice result={bulkDone} onDismiss={() => setBulkDone(null)} /> : null}
      <RunWriteContext value={setWrite}>
        <Outlet />
      </RunWriteContext>
      <StuckPanel projectId={search.projectId} onWrite={setWrite} />
      <section className="panel" aria-labelledby="runs-title">
        <div className="panel-head">
          <h2 id="runs-title">Runs</h2>
          <ExportButtons
            label="Export the runs of these filters"
            fileName="workflow-runs"
            url={(format) => `${EXPORT_PATHS.workflowRuns}${exportQuery(search, format)}`}
          />
        </div>
        <StatusTabs counts={counts.data} />
        <fieldset className="bulk-bar" aria-label="Bulk operations">
          <span>
            {formatNumber(selected.size)} selected
            {selected.size > 0 ? (
              <>
                {' '}
                <button type="button" className="quiet small" onClick={() => setSelected(new Set())}>
                  Clear selection
                </button>
              </>
            ) : null}
          </span>
          <button type="button" className="small" disabled={selected.size === 0} onClick={() => setBulk({ kind: 'retry', target: { ids: [...selected] } })}>
            Retry selected
          </button>
          <button
            type="button"
            className="small quiet"
            disabled={selected.size === 0}
            onClick={() => setBulk({ kind: 'cancel', target: { ids: [...selected] } })}
          >
            Cancel selected
          </button>
          <button
            type="button"
            className="small"
            disabled={!filter}
            title={filter ? undefined : 'Set a filter first: a bulk operation never selects every run'}
            onClick={() => filter && setBulk({ kind: 'retry', target: { filter } })}
          >
            Retry all matching
          </button>
          <button
            type="button"
            className="small quiet"
            disabled={!filter}
            title={filter ? undefined : 'Set a filter first: a bulk operation never selects every run'}
            onClick={() => filter && setBulk({ kind: 'cancel', target: { filter } })}
          >
            Cancel all matching
          </button>
        </fieldset>
        <QueryView query={runs} loading="Loading runs…" empty="No runs match these filters." isEmpty={(data) => data.runs.length === 0}>
          {(data) => (
            <>
              <RunsTable runs={data.runs} onWrite={setWrite} selection={{ selected, onSelect: select }} />
              <Pager label="Runs" nextCursor={data.nextCursor} onPage={(cursor) => go({ ...search, cursor })} />
            </>
          )}
        </QueryView>
      </section>
      <SendsPanel search={search} onSearch={go} />
      {write ? (
        <RunWriteDialog
          write={write}
          onClose={() => setWrite(null)}
          onDone={(result) => {
            setWrite(null);
            setDone(result);
          }}
        />
      ) : null}
      {bulk ? (
        <BulkDialog
          request={bulk}
          onClose={() => setBulk(null)}
          onDone={(result) => {
            setBulk(null);
            setBulkDone(result);
            setSelected(new Set());
          }}
        />
      ) : null}
    </div>
  );
}

function WriteNotice({ result, onDismiss }: { result: RunWriteResult; onDismiss: () => void }) {
  return (
    <div className="notice" role="status">
      {result.kind === 'retry' ? (
        <span>
          Run <RunLink id={result.runId} /> retried: the new run <RunLink id={result.newRunId} /> is queued.{' '}
          <Link from="/workflows" to="/workflows" search={(prev) => ({ ...prev, status: 'queued', stuck: undefined, cursor: undefined })}>
            Show queued runs
          </Link>
        </span>
      ) : (
        <span>
          Run <RunLink id={result.runId} /> cancelled.
        </span>
      )}
      <button type="button" className="quiet small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

function BulkNotice({ result, onDismiss }: { result: BulkResult; onDismiss: () => void }) {
  const { output } = result;
  const changed = output.runIds.length;
  return (
    <div className="notice" role="status">
      <span>
        Bulk {result.kind === 'retry' ? 'retry' : 'cancel'} done: {formatNumber(changed)} {changed === 1 ? 'run' : 'runs'}{' '}
        {result.kind === 'retry' ? 'retried' : 'cancelled'}
        {output.remaining > 0 ? `, ${formatNumber(output.remaining)} remaining` : ''}
        {output.skipped.length > 0 ? `, ${formatNumber(output.skipped.length)} skipped` : ''}. Operation{' '}
        {output.bulkOperationId ? <RunId id={output.bulkOperationId} /> : null}.
        {output.newRunIds.length > 0 ? (
          <>
            {' '}
            New runs:{' '}
            {output.newRunIds.slice(0, 5).map((id) => (
              <span key={id}>
                <RunLink id={id} />{' '}
              </span>
            ))}
            {output.newRunIds.length > 5 ? `and ${formatNumber(output.newRunIds.length - 5)} more` : null}
          </>
        ) : null}
      </span>
      <button type="button" className="quiet small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
