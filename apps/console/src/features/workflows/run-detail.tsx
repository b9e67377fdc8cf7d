import type { RouterOutputs } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTRPC } from '../../api/client.js';
import { formatNumber } from '../../ui/format.js';
import { JsonView } from '../../ui/json-view.js';
import { Empty, QueryView } from '../../ui/states.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { runDetailQuery } from './queries.js';
import { outcomeSummary, RunId, RunStatusCell } from './run-cells.js';
import { RunActions, RunLink } from './runs-table.js';
import { useRunWrite } from './write-context.js';

const route = getRouteApi('/workflows/runs/$runId');

type RunDetailData = RouterOutputs['workflowRuns']['get'];
type AuditEntry = RunDetailData['audit'][number];
type SendStatus = keyof RunDetailData['sends']['byStatus'];

const SEND_STATUS_LABELS: Record<SendStatus, string> = { queued: 'Queued', sent: 'Sent', failed: 'Failed', suppressed: 'Suppressed' };
const SEND_STATUSES = Object.keys(SEND_STATUS_LABELS) as SendStatus[];

const auditColumns: Column<AuditEntry>[] = [
  { header: 'When', cell: (entry) => <Time iso={entry.createdAt} relative /> },
  { header: 'Who', cell: (entry) => <code>{entry.adminId}</code> },
  { header: 'What', cell: (entry) => <code>{entry.action}</code> },
  { header: 'Why', kind: 'wide', cell: (entry) => entry.reason },
  { header: 'Bulk operation', cell: (entry) => bulkOperationOf(entry.details) ?? <span className="muted">—</span> },
];

/** The bulk operation an audit row belongs to (`details.bulkOperationId`, SPEC §7.4), shortened. */
function bulkOperationOf(details: AuditEntry['details']): string | null {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return null;
  const id = details.bulkOperationId;
  return typeof id === 'string' ? id.slice(0, 8) : null;
}

/** One run whole (SPEC §7.3): its fields, its retry chain from the root to the newest retry, its sends by status, and who changed it and why. */
export function RunDetail() {
  const { runId } = route.useParams();
  const trpc = useTRPC();
  const detail = useQuery(runDetailQuery(trpc, runId));
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the opened run, so a keyboard or screen-reader user lands on what they opened.
  useEffect(() => heading.current?.focus(), [runId]);

  return (
    <section className="panel detail" aria-labelledby="run-title">
      <div className="detail-head">
        <h2 id="run-title" ref={heading} tabIndex={-1}>
          Run <RunId id={runId} />
        </h2>
        <Link from="/workflows/runs/$runId" to="/workflows" search={(prev) => prev}>
          Close
        </Link>
      </div>
      <QueryView query={detail} loading="Loading the run…">
        {(data) => <RunDetailBody data={data} />}
      </QueryView>
    </section>
  );
}

function RunDetailBody({ data }: { data: RunDetailData }) {
  const { run, chain, sends, audit } = data;
  const now = new Date();
  const onWrite = useRunWrite();
  return (
    <>
      {onWrite ? <RunActions run={run} now={now} onWrite={onWrite} /> : null}
      <dl className="fields">
        <Pair label="Status">
          <RunStatusCell run={run} now={now} />
        </Pair>
        <Pair label="Project">{run.projectName}</Pair>
        <Pair label="Action">
          <code>{run.actionId}</code>
        </Pair>
        <Pair label="Id">
          <code>{run.id}</code>
        </Pair>
        <Pair label="Requested">
          <Time iso={run.requestedAt} />
        </Pair>
        <Pair label="Started">
          <Time iso={run.startedAt} />
        </Pair>
        <Pair label="Completed">
          <Time iso={run.completedAt} />
        </Pair>
        <Pair label="Lease expires">
          <Time iso={run.leaseExpiresAt} relative />
        </Pair>
        <Pair label="Attempts">{`${formatNumber(run.attempts)} / ${formatNumber(run.maxAttempts)}`}</Pair>
        <Pair label="Idempotency key">
          <code>{run.idempotencyKey}</code>
        </Pair>
        <Pair label="Error">
          {run.error ? (
            <span>
              <code>{run.error.code}</code> {run.error.message}
            </span>
          ) : null}
        </Pair>
        <Pair label="Outcome">{outcomeSummary(run.outcome)}</Pair>
      </dl>

      <h3 id="chain-title">Retry chain</h3>
      <ol className="chain" aria-labelledby="chain-title">
        {chain.map((link) => (
          <li key={link.id} aria-current={link.id === run.id ? 'true' : undefined}>
            {link.id === run.id ? (
              <span>
                <RunId id={link.id} /> <span className="muted">(this run)</span>
              </span>
            ) : (
              <RunLink id={link.id} />
            )}{' '}
            <StatusBadge status={link.status} /> <Time iso={link.requestedAt} />
            {link.error ? (
              <span className="muted block">
                <code>{link.error.code}</code> {link.error.message}
              </span>
            ) : null}
          </li>
        ))}
      </ol>

      <h3>Sends</h3>
      <dl className="cards" aria-label="Sends by status">
        <div className="card">
          <dt>Total</dt>
          <dd>{formatNumber(sends.total)}</dd>
        </div>
        {SEND_STATUSES.map((status) => (
          <div key={status} className="card">
            <dt>{SEND_STATUS_LABELS[status]}</dt>
            <dd>{formatNumber(sends.byStatus[status])}</dd>
          </div>
        ))}
      </dl>

      <h3>Audit trail</h3>
      {audit.length === 0 ? (
        <Empty>No one has retried or cancelled this run.</Empty>
      ) : (
        <Table caption="Audit trail" columns={auditColumns} rows={audit} rowKey={(entry) => String(entry.id)} />
      )}

      <h3>Params</h3>
      <JsonView value={run.params} />
    </>
  );
}

function Pair({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="pair">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}
