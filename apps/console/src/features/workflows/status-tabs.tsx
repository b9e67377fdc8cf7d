import type { RouterOutputs } from '@runhub/client';
import { Link } from '@tanstack/react-router';
import { formatNumber } from '../../ui/format.js';
import { RUN_STATUS_LABELS, RUN_STATUSES, type RunStatus } from './search.js';

export type RunCounts = RouterOutputs['workflowRuns']['counts'];

interface Tab {
  label: string;
  status: RunStatus | undefined;
  /** The Stuck tab: running runs whose lease expired (they are in Running's count too). */
  stuck: boolean;
  count: (counts: RunCounts) => number;
}

const TABS: Tab[] = [
  { label: 'All', status: undefined, stuck: false, count: (counts) => counts.total },
  ...RUN_STATUSES.map((status): Tab => ({ label: RUN_STATUS_LABELS[status], status, stuck: false, count: (counts) => counts.byStatus[status] })),
  { label: 'Stuck', status: undefined, stuck: true, count: (counts) => counts.stuck },
];

/**
 * One link per status (and All, and Stuck), each with its exact count under the other filters
 * (SPEC §7.2): a tab is a URL, so it can be shared, and Back returns to the previous tab. The
 * router marks the current one (`aria-current`): the link whose URL is exactly this one, which is
 * why the current tab's link keeps the page's cursor. Counts show once they are known.
 */
export function StatusTabs({ counts }: { counts: RunCounts | undefined }) {
  return (
    <nav className="tabs" aria-label="Run status">
      {TABS.map((tab) => (
        <Link
          key={tab.label}
          from="/workflows"
          to="/workflows"
          search={(prev) => {
            const stuck = tab.stuck ? 'true' : prev.stuck === 'true' ? undefined : prev.stuck;
            const same = tab.status === prev.status && stuck === prev.stuck;
            return { ...prev, status: tab.status, stuck, cursor: same ? prev.cursor : undefined };
          }}
          activeOptions={{ exact: true }}
        >
          {tab.label}
          {counts ? (
            <>
              {' '}
              <span className="count">{formatNumber(tab.count(counts))}</span>
            </>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
