import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTRPC } from '../../api/client.js';
import { JsonView } from '../../ui/json-view.js';
import { QueryView } from '../../ui/states.js';
import { Time } from '../../ui/time.js';
import { eventQuery } from './queries.js';
import type { BusinessEvent } from './search.js';

const route = getRouteApi('/business-events/$eventId');

const FIELDS: { label: string; value: (event: BusinessEvent) => ReactNode }[] = [
  { label: 'Type', value: (event) => <code>{event.eventType}</code> },
  { label: 'Occurred', value: (event) => <Time iso={event.occurredAt} /> },
  { label: 'Received', value: (event) => <Time iso={event.receivedAt} /> },
  { label: 'Id', value: (event) => String(event.id) },
  { label: 'Project', value: (event) => event.projectName },
  { label: 'Source', value: (event) => event.source },
  { label: 'Actor', value: (event) => (event.actorType || event.actorId ? `${event.actorType ?? '?'} ${event.actorId ?? ''}` : null) },
  { label: 'Entity', value: (event) => (event.entityType || event.entityId ? `${event.entityType ?? '?'} ${event.entityId ?? ''}` : null) },
  { label: 'Session', value: (event) => event.sessionId },
  { label: 'Anonymous id', value: (event) => event.anonymousId },
  { label: 'Correlation', value: (event) => event.correlationId },
];

/** One event whole, with its payload; related events (same correlation, session, entity) join here later. */
export function EventDetail() {
  const { eventId } = route.useParams();
  const trpc = useTRPC();
  const event = useQuery(eventQuery(trpc, eventId));
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the opened event, so a keyboard or screen-reader user lands on what they opened.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="panel detail" aria-labelledby="event-title">
      <div className="detail-head">
        <h2 id="event-title" ref={heading} tabIndex={-1}>
          Event <code>{eventId}</code>
        </h2>
        <Link from="/business-events/$eventId" to="/business-events" search={(prev) => prev}>
          Close
        </Link>
      </div>
      <QueryView query={event} loading="Loading the event…">
        {(data) => (
          <>
            <dl className="fields">
              {FIELDS.map((field) => (
                <div key={field.label} className="pair">
                  <dt>{field.label}</dt>
                  <dd>{field.value(data) ?? <span className="muted">—</span>}</dd>
                </div>
              ))}
            </dl>
            <h3>Payload</h3>
            <JsonView value={data.payload} />
          </>
        )}
      </QueryView>
    </section>
  );
}
