import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Outlet } from '@tanstack/react-router';
import { useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { formatDuration, formatNumber } from '../../ui/format.js';
import { QueryView } from '../../ui/states.js';
import { ProjectsTable } from './projects-table.js';
import { kpiHealthPathKey, projectsQuery, rollupJobQuery, rollupRunsQuery, summaryQuery } from './queries.js';
import { RollupHistory } from './rollup-history.js';
import { RollupJobPanel } from './rollup-job-panel.js';
import { useRefreshWhenRollupEnds } from './rollup-status.js';
import { SummaryCards } from './summary-cards.js';
import { TriggerDialog, type TriggerResult, type TriggerTarget } from './trigger-dialog.js';

const route = getRouteApi('/kpi-health');

/** `/admin/inhouse/kpi-health`: is every project's KPI data fresh, and is the rollup job well; a project's days; the rollup's history. */
export function KpiHealthPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trpc = useTRPC();
  const job = useQuery(rollupJobQuery(trpc));
  const running = job.data?.status === 'running';
  const summary = useQuery(summaryQuery(trpc, running));
  const projects = useQuery(projectsQuery(trpc, running));
  const history = useQuery(rollupRunsQuery(trpc, search.runsCursor, running));
  useRefreshWhenRollupEnds(job.data?.status, kpiHealthPathKey(trpc));
  const [target, setTarget] = useState<TriggerTarget | null>(null);
  const [triggered, setTriggered] = useState<TriggerResult | null>(null);

  return (
    <div className="page">
      <div className="page-head">
        <h1>KPI health</h1>
        <button type="button" onClick={() => setTarget('all')}>
          Roll up all projects
        </button>
      </div>
      {triggered ? (
        <p className="notice" role="status">
          {triggered.mode === 'rebuild' ? 'Rebuild' : 'Rollup'} of {triggered.target === 'all' ? 'all projects' : triggered.target.projectName} started (
          {formatNumber(triggered.projectsAffected)} {triggered.projectsAffected === 1 ? 'project' : 'projects'}
          {triggered.estimatedDurationMs === null ? '' : `, about ${formatDuration(triggered.estimatedDurationMs)}`}). {running ? 'Running…' : 'Done.'}
        </p>
      ) : null}
      <Outlet />
      <section className="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <QueryView query={summary} loading="Loading the summary…">
          {(data) => <SummaryCards summary={data} />}
        </QueryView>
      </section>
      <section className="panel" aria-labelledby="projects-title">
        <h2 id="projects-title">Projects</h2>
        <QueryView query={projects} loading="Loading projects…" empty="No projects yet." isEmpty={(data) => data.projects.length === 0}>
          {(data) => <ProjectsTable projects={data.projects} onTrigger={(project) => setTarget(project)} />}
        </QueryView>
      </section>
      <section className="panel" aria-labelledby="job-title">
        <h2 id="job-title">Rollup job</h2>
        <QueryView query={job} loading="Loading the rollup job…">
          {(data) => <RollupJobPanel job={data} />}
        </QueryView>
        <h3 id="history-title">History</h3>
        <QueryView query={history} loading="Loading the rollup history…" empty="No rollup has run yet." isEmpty={(data) => data.runs.length === 0}>
          {(data) => <RollupHistory data={data} onPage={(runsCursor) => navigate({ to: '/kpi-health', search: { ...search, runsCursor } })} />}
        </QueryView>
      </section>
      {target ? (
        <TriggerDialog
          target={target}
          onClose={() => setTarget(null)}
          onDone={(result) => {
            setTarget(null);
            setTriggered(result);
          }}
        />
      ) : null}
    </div>
  );
}
