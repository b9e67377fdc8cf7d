import type { RouterOutputs } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../../api/client.js';
import { formatDay, formatMoney, formatNumber } from '../../ui/format.js';
import { QueryView } from '../../ui/states.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { KpiChart } from './kpi-chart.js';
import { projectDaysQuery, rollupJobQuery } from './queries.js';
import { PROJECT_DAYS } from './search.js';

const route = getRouteApi('/kpi-health/$projectId');

type ProjectKpis = RouterOutputs['kpiHealth']['project'];
type KpiDay = ProjectKpis['days'][number];

/** How long ago the last rollup was, from the API's seconds: "12 min", "3 h", "2 d". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  if (seconds < 3600) return `${formatNumber(Math.round(seconds / 60))} min`;
  if (seconds < 86_400) return `${formatNumber(Math.round(seconds / 3600))} h`;
  return `${formatNumber(Math.round(seconds / 86_400))} d`;
}

/** `/admin/inhouse/kpi-health/<projectId>`: one project's last 30 local days (SPEC §8.1) as a chart and a table, above the page. */
export function ProjectDays() {
  const { projectId } = route.useParams();
  const trpc = useTRPC();
  const job = useQuery(rollupJobQuery(trpc));
  const project = useQuery(projectDaysQuery(trpc, projectId, job.data?.status === 'running'));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [projectId]);

  return (
    <section className="panel detail" aria-labelledby="project-title">
      <div className="detail-head">
        <h2 id="project-title" ref={heading} tabIndex={-1}>
          {project.data ? project.data.project.projectName : 'Project'}: last {PROJECT_DAYS} days
        </h2>
        <Link from="/kpi-health/$projectId" to="/kpi-health" search={(prev) => prev}>
          Close
        </Link>
      </div>
      <QueryView query={project} loading="Loading the project's days…">
        {(data) => <ProjectDaysBody data={data} />}
      </QueryView>
    </section>
  );
}

function ProjectDaysBody({ data }: { data: ProjectKpis }) {
  const currency = data.project.currencyCode;
  const columns: Column<KpiDay>[] = [
    { header: 'Date', cell: (day) => formatDay(day.date) },
    { header: 'Revenue', kind: 'num', cell: (day) => formatMoney(day.revenueCents, currency) },
    { header: 'Payments', kind: 'num', cell: (day) => formatNumber(day.payments) },
    { header: 'Leads', kind: 'num', cell: (day) => formatNumber(day.leads) },
  ];
  const total = data.days.reduce(
    (sum, day) => ({ revenueCents: sum.revenueCents + day.revenueCents, payments: sum.payments + day.payments, leads: sum.leads + day.leads }),
    {
      revenueCents: 0,
      payments: 0,
      leads: 0,
    },
  );
  return (
    <>
      <dl className="fields">
        <div className="pair">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={data.project.status} />
          </dd>
        </div>
        <div className="pair">
          <dt>Time zone (its days)</dt>
          <dd>{data.timezone}</dd>
        </div>
        <div className="pair">
          <dt>Last rollup</dt>
          <dd>
            <Time iso={data.project.lastRollupAt} />{' '}
            <span className="muted">
              ({data.lastRollupAgeSeconds === null ? 'never rolled up' : `${formatAge(data.lastRollupAgeSeconds)} ago`}; stale after{' '}
              {formatNumber(data.staleAfterMinutes)} min)
            </span>
          </dd>
        </div>
        <div className="pair">
          <dt>{PROJECT_DAYS} days</dt>
          <dd>
            {formatMoney(total.revenueCents, currency)} · {formatNumber(total.payments)} payments · {formatNumber(total.leads)} leads
          </dd>
        </div>
      </dl>
      <KpiChart
        days={data.days}
        currency={currency}
        label={`Revenue, payments and leads of ${data.project.projectName} per day, the last ${PROJECT_DAYS} days`}
      />
      <details className="more">
        <summary>The days as a table</summary>
        <Table caption={`Days of ${data.project.projectName}`} columns={columns} rows={[...data.days].reverse()} rowKey={(day) => day.date} />
      </details>
    </>
  );
}
