import { Link } from '@tanstack/react-router';
import { RUN_STATUS_LABELS, RUN_STATUSES, type RunStatus } from './search.js';

/**
 * One link per status (and All): a tab is a URL, so it can be shared, and Back returns to the
 * previous tab. The router marks the current one (`aria-current`): the link whose URL is exactly
 * this one, which is why the current tab's link keeps the page's cursor.
 */
export function StatusTabs() {
  const tabs: { status: RunStatus | undefined; label: string }[] = [
    { status: undefined, label: 'All' },
    ...RUN_STATUSES.map((value) => ({ status: value, label: RUN_STATUS_LABELS[value] })),
  ];
  return (
    <nav className="tabs" aria-label="Run status">
      {tabs.map((tab) => (
        <Link
          key={tab.label}
          from="/workflows"
          search={(prev) => ({ ...prev, status: tab.status, cursor: tab.status === prev.status ? prev.cursor : undefined })}
          activeOptions={{ exact: true }}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
