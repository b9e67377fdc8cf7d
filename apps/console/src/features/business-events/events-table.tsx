import { Link } from '@tanstack/react-router';
import { formatMoney } from '../../ui/format.js';
import { type Column, Table } from '../../ui/table.js';
import { Time } from '../../ui/time.js';
import { type BusinessEvent, payloadAmount } from './search.js';

/** One page of events; the public id opens the event's detail beside the list, filters kept. */
export function EventsTable({ events, currencyOf }: { events: readonly BusinessEvent[]; currencyOf: (projectId: string) => string | undefined }) {
  const columns: Column<BusinessEvent>[] = [
    {
      header: 'Event',
      cell: (event) => (
        <Link from="/business-events" to="$eventId" params={{ eventId: event.publicId }} search={(prev) => prev}>
          <code className="public-id" title={event.publicId}>
            {event.publicId}
          </code>
        </Link>
      ),
    },
    { header: 'Occurred', cell: (event) => <Time iso={event.occurredAt} /> },
    { header: 'Type', cell: (event) => <code>{event.eventType}</code> },
    { header: 'Project', cell: (event) => event.projectName },
    { header: 'Source', cell: (event) => event.source },
    {
      header: 'Entity',
      cell: (event) => (event.entityType || event.entityId ? `${event.entityType ?? '?'} ${event.entityId ?? ''}` : <span className="muted">—</span>),
    },
    {
      header: 'Amount',
      kind: 'num',
      cell: (event) => {
        const amount = payloadAmount(event.payload, currencyOf(event.projectId));
        return amount ? formatMoney(amount.minorUnits, amount.currency) : <span className="muted">—</span>;
      },
    },
  ];
  return <Table caption="Business events" columns={columns} rows={events} rowKey={(event) => String(event.id)} />;
}
