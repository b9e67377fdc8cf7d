import { formatMoney, formatNumber, shortId } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { looksStuck, type WorkflowRun } from './search.js';

export function RunId({ id }: { id: string }) {
  return (
    <code className="id" title={id}>
      {shortId(id)}
    </code>
  );
}

export function RunStatusCell({ run, now }: { run: Pick<WorkflowRun, 'status' | 'leaseExpiresAt'>; now: Date }) {
  return (
    <>
      <StatusBadge status={run.status} />
      {looksStuck(run, now) ? (
        <>
          {' '}
          <StatusBadge status="stuck" />
        </>
      ) : null}
    </>
  );
}

/** The seed's `outcome` is free JSON; the fields an operator reads first, when they are there. */
export function outcomeSummary(outcome: WorkflowRun['outcome']): string | null {
  if (typeof outcome !== 'object' || outcome === null || Array.isArray(outcome)) return null;
  const parts: string[] = [];
  if (typeof outcome.conversions === 'number') parts.push(`${formatNumber(outcome.conversions)} conversions`);
  if (typeof outcome.revenueCents === 'number' && typeof outcome.currency === 'string') parts.push(formatMoney(outcome.revenueCents, outcome.currency));
  return parts.length > 0 ? parts.join(' · ') : null;
}
