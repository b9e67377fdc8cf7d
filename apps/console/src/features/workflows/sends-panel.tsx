import type { RouterOutputs } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { useTRPC } from '../../api/client.js';
import { Pager } from '../../ui/pager.js';
import { QueryView } from '../../ui/states.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { sendsQuery } from './queries.js';
import { RunId } from './run-cells.js';
import type { WorkflowsSearch } from './search.js';

type Send = RouterOutputs['workflowSends']['list']['sends'][number];

const columns: Column<Send>[] = [
  { header: 'Sent or queued', cell: (send) => <Time iso={send.sentAt ?? send.createdAt} /> },
  { header: 'Recipient', cell: (send) => send.recipientEmail },
  { header: 'Status', cell: (send) => <StatusBadge status={send.status} /> },
  { header: 'Project', cell: (send) => send.projectName },
  { header: 'Action', cell: (send) => <code>{send.actionId}</code> },
  { header: 'Run', cell: (send) => <RunId id={send.runId} /> },
  { header: 'Error', kind: 'wide', cell: (send) => send.error ?? <span className="muted">—</span> },
];

/** The sends of one recipient (why did they get it twice, why not at all: cooldowns), newest first. */
export function SendsPanel({ search, onSearch }: { search: WorkflowsSearch; onSearch: (search: WorkflowsSearch) => void }) {
  const trpc = useTRPC();
  const sends = useQuery(sendsQuery(trpc, search));
  const emailId = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim() || undefined;
    onSearch({ ...search, email, sendsCursor: undefined });
  }
  return (
    <section className="panel" aria-labelledby="sends-title">
      <h2 id="sends-title">Sends</h2>
      <form className="filters" aria-label="Sends filter" onSubmit={submit} key={search.email ?? ''}>
        <div className="field">
          <label htmlFor={emailId}>Recipient email</label>
          <input id={emailId} name="email" type="search" defaultValue={search.email ?? ''} placeholder="user@example.com" autoComplete="off" />
        </div>
        <button type="submit">Show sends</button>
      </form>
      <QueryView
        query={sends}
        loading="Loading sends…"
        empty={search.email ? `No sends to ${search.email}.` : 'No sends yet.'}
        isEmpty={(data) => data.sends.length === 0}
      >
        {(data) => (
          <>
            <Table caption="Workflow sends" columns={columns} rows={data.sends} rowKey={(send) => send.id} />
            <Pager label="Sends" nextCursor={data.nextCursor} onPage={(sendsCursor) => onSearch({ ...search, sendsCursor })} />
          </>
        )}
      </QueryView>
    </section>
  );
}
