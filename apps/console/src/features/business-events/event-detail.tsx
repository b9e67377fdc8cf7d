import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTRPC } from '../../api/client.js';
import { JsonView } from '../../ui/json-view.js';
import { Empty, QueryView } from '../../ui/states.js';
import { Time } from '../../ui/time.js';
import { eventQuery, RELATED_LIMIT, relatedEventsQuery } from './queries.js';
import { type BusinessEvent, type EventFilterFields, relatedFilters } from './search.js';

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

/** One event whole, with its payload and its related events (same correlation, session or entity). */
export function EventDetail() {
  const { eventId } = route.useParams();
  const trpc = useTRPC();
  const event = useQuery(eventQuery(trpc, eventId));
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the opened event, so a keyboard or screen-reader user lands on what they opened.
  useEffect(() => heading.current?.focus(), [eventId]);

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
            <RelatedEvents event={data} />
          </>
        )}
      </QueryView>
    </section>
  );
}

/** For each of the event's correlation, session and entity: the first other events that share it, and a link that lists them all. */
function RelatedEvents({ event }: { event: BusinessEvent }) {
  const related = relatedFilters(event);
  return (
    <section aria-labelledby="related-title">
      <h3 id="related-title">Related events</h3>
      {related.length === 0 ? (
        <Empty>This event has no correlation id, session or entity to relate it by.</Empty>
      ) : (
        related.map((group) => <RelatedGroup key={group.key} event={event} label={group.label} filter={group.filter} />)
      )}
    </section>
  );
}

function RelatedGroup({ event, label, filter }: { event: BusinessEvent; label: string; filter: Partial<EventFilterFields> }) {
  const trpc = useTRPC();
  const list = useQuery(relatedEventsQuery(trpc, filter));
  return (
    <section className="related" aria-label={label}>
      <h4>{label}</h4>
      <QueryView query={list} loading="Loading related events…">
        {(data) => {
          const others = data.events.filter((other) => other.id !== event.id).slice(0, RELATED_LIMIT - 1);
          return (
            <>
              {others.length === 0 ? (
                <p className="muted note">No other event.</p>
              ) : (
                <ul className="related-list">
                  {others.map((other) => (
                    <li key={other.id}>
                      <Link from="/business-events/$eventId" to="/business-events/$eventId" params={{ eventId: other.publicId }} search={(prev) => prev}>
                        <code>{other.eventType}</code>
                      </Link>{' '}
                      <Time iso={other.occurredAt} />
                    </li>
                  ))}
                </ul>
              )}
              <Link to="/business-events" search={{ ...filter }}>
                List every one
              </Link>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
