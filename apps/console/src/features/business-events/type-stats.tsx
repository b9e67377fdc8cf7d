import type { RouterOutputs } from '@runhub/client';
import { Link } from '@tanstack/react-router';
import { formatDay, formatNumber } from '../../ui/format.js';

type EventStats = RouterOutputs['businessEvents']['stats'];

/** The range's events by type, most frequent first; a type is a link that filters the list by it. */
export function TypeStats({ stats, selected }: { stats: EventStats; selected: string | undefined }) {
  const top = stats.byType[0]?.count ?? 0;
  return (
    <>
      <p>
        <strong>{formatNumber(stats.totalEvents)}</strong> events from {formatDay(stats.startDate)} to {formatDay(stats.endDate)} (UTC)
      </p>
      <ul className="bars">
        {stats.byType.map((row) => (
          <li key={row.eventType}>
            <Link
              from="/business-events"
              search={(prev) => ({ ...prev, eventType: row.eventType === selected ? undefined : row.eventType, cursor: undefined })}
              activeOptions={{ exact: true }}
              aria-current={row.eventType === selected ? 'true' : undefined}
            >
              <code>{row.eventType}</code>
            </Link>
            <span className="bar" aria-hidden="true">
              <span style={{ width: `${top ? (100 * row.count) / top : 0}%` }} />
            </span>
            <span className="num">{formatNumber(row.count)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
