import type { RouterOutputs } from '@runhub/client';
import { Link } from '@tanstack/react-router';
import { formatMoney, formatNumber } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';

export type ProjectHealth = RouterOutputs['kpiHealth']['projects']['projects'][number];

/** Each project's health and freshness, and today's KPIs in its own currency and local day. */
export function ProjectsTable({ projects, onTrigger }: { projects: readonly ProjectHealth[]; onTrigger: (project: ProjectHealth) => void }) {
  const columns: Column<ProjectHealth>[] = [
    {
      header: 'Project',
      cell: (project) => (
        <Link to="/kpi-health/$projectId" params={{ projectId: project.projectId }} search={(prev) => prev}>
          {project.projectName}
        </Link>
      ),
    },
    { header: 'Status', cell: (project) => <StatusBadge status={project.status} /> },
    { header: 'Last rollup', cell: (project) => <Time iso={project.lastRollupAt} relative /> },
    { header: 'Last event received', cell: (project) => <Time iso={project.lastEventAt} relative /> },
    { header: 'Revenue today', kind: 'num', cell: (project) => formatMoney(project.todayRevenueCents, project.currencyCode) },
    { header: 'Payments today', kind: 'num', cell: (project) => formatNumber(project.todayPayments) },
    { header: 'Leads today', kind: 'num', cell: (project) => formatNumber(project.todayLeads) },
    {
      header: 'Actions',
      kind: 'actions',
      cell: (project) => (
        <button type="button" className="small quiet" aria-label={`Trigger a rollup of ${project.projectName}`} onClick={() => onTrigger(project)}>
          Roll up
        </button>
      ),
    },
  ];
  return <Table caption="Projects" columns={columns} rows={projects} rowKey={(project) => project.projectId} />;
}
