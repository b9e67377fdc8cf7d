import type { RouterOutputs } from '@runhub/client';
import type { ReactNode } from 'react';
import { formatDuration, formatNumber } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { Time } from '../../ui/time.js';

type Summary = RouterOutputs['kpiHealth']['summary'];

/** The seed's summary: how many projects are healthy, stale or without data, and the job's pace. */
export function SummaryCards({ summary }: { summary: Summary }) {
  const cards: { label: string; value: ReactNode; tone?: string }[] = [
    { label: 'Projects', value: formatNumber(summary.totalProjects) },
    { label: 'Healthy', value: formatNumber(summary.healthyProjects), tone: 'good' },
    { label: 'Stale', value: formatNumber(summary.staleProjects), tone: summary.staleProjects > 0 ? 'warn' : undefined },
    { label: 'No data', value: formatNumber(summary.noDataProjects) },
    { label: 'Rollup job', value: <StatusBadge status={summary.rollupJobStatus} /> },
    { label: 'Last all-projects rollup', value: <Time iso={summary.lastGlobalRollupAt} relative /> },
    { label: 'Interval', value: `${formatNumber(summary.rollupIntervalMinutes)} min` },
    { label: 'Average duration', value: summary.avgRollupDurationMs === null ? '—' : formatDuration(summary.avgRollupDurationMs) },
  ];
  return (
    <dl className="cards">
      {cards.map((card) => (
        <div key={card.label} className={`card ${card.tone ?? ''}`}>
          <dt>{card.label}</dt>
          <dd>{card.value}</dd>
        </div>
      ))}
    </dl>
  );
}
