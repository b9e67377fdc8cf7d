import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { useProjects } from '../../api/projects.js';
import { Pager } from '../../ui/pager.js';
import { QueryView } from '../../ui/states.js';
import { runsQuery } from './queries.js';
import { RunId } from './run-cells.js';
import { RunWriteDialog, type RunWriteResult } from './run-write-dialog.js';
import { RunsFilters } from './runs-filters.js';
import { RunsTable, type RunWrite } from './runs-table.js';
import { type WorkflowsSearch, withRunFilters } from './search.js';
import { SendsPanel } from './sends-panel.js';
import { StatusTabs } from './status-tabs.js';
import { StuckPanel } from './stuck-panel.js';

const route = getRouteApi('/workflows');

/** `/admin/inhouse/workflows`: runs by status and filter, the stuck runs, retry and cancel, the sends. */
export function WorkflowsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trpc = useTRPC();
  const projects = useProjects();
  const runs = useQuery(runsQuery(trpc, search));
  const [write, setWrite] = useState<RunWrite | null>(null);
  const [done, setDone] = useState<RunWriteResult | null>(null);
  const go = (next: WorkflowsSearch) => navigate({ search: next });

  return (
    <div className="page">
      <h1>Workflows</h1>
      <RunsFilters
        key={`${search.projectId}|${search.actionId}|${projects.data ? 'projects' : ''}`}
        search={search}
        projects={projects.data?.projects}
        onApply={(filters) => go(withRunFilters(search, filters))}
      />
      {done ? <WriteNotice result={done} onDismiss={() => setDone(null)} /> : null}
      <StuckPanel projectId={search.projectId} onWrite={setWrite} />
      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <StatusTabs />
        <QueryView query={runs} loading="Loading runs…" empty="No runs match these filters." isEmpty={(data) => data.runs.length === 0}>
          {(data) => (
            <>
              <RunsTable runs={data.runs} onWrite={setWrite} />
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
    </div>
  );
}

function WriteNotice({ result, onDismiss }: { result: RunWriteResult; onDismiss: () => void }) {
  return (
    <div className="notice" role="status">
      {result.kind === 'retry' ? (
        <span>
          Run <RunId id={result.runId} /> retried: the new run <RunId id={result.newRunId} /> is queued.{' '}
          <Link from="/workflows" search={(prev) => ({ ...prev, status: 'queued', cursor: undefined })}>
            Show queued runs
          </Link>
        </span>
      ) : (
        <span>
          Run <RunId id={result.runId} /> cancelled.
        </span>
      )}
      <button type="button" className="quiet small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
