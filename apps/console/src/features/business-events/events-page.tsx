import { EXPORT_PATHS } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Outlet } from '@tanstack/react-router';
import { useTRPC } from '../../api/client.js';
import { useProjects } from '../../api/projects.js';
import { ExportButtons } from '../../ui/export-buttons.js';
import { Pager } from '../../ui/pager.js';
import { QueryView } from '../../ui/states.js';
import { EventsFilters } from './events-filters.js';
import { EventsTable } from './events-table.js';
import { eventStatsQuery, eventsQuery } from './queries.js';
import { exportQuery, withEventFilters } from './search.js';
import { TypeStats } from './type-stats.js';

const route = getRouteApi('/business-events');

/** `/admin/inhouse/business-events`: the events by project, type and day range, their counts by type, one event's payload. */
export function EventsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trpc = useTRPC();
  const projects = useProjects();
  const events = useQuery(eventsQuery(trpc, search));
  const stats = useQuery(eventStatsQuery(trpc, search));
  const currencies = new Map(projects.data?.projects.map((project) => [project.projectId, project.currencyCode]));

  return (
    <div className="page">
      <h1>Business events</h1>
      <EventsFilters
        key={`${search.projectId}|${search.eventType}|${search.startDate}|${search.endDate}|${projects.data ? 'projects' : ''}`}
        search={search}
        projects={projects.data?.projects}
        eventTypes={stats.data?.byType.map((row) => row.eventType) ?? []}
        onApply={(filters) => navigate({ search: withEventFilters(search, filters) })}
      />
      <Outlet />
      <section className="panel" aria-labelledby="types-title">
        <h2 id="types-title">By type</h2>
        <QueryView query={stats} loading="Counting events…" empty="No events in this range." isEmpty={(data) => data.totalEvents === 0}>
          {(data) => <TypeStats stats={data} selected={search.eventType} />}
        </QueryView>
      </section>
      <section className="panel" aria-labelledby="events-title">
        <div className="panel-head">
          <h2 id="events-title">Events</h2>
          <ExportButtons
            label="Export the events of these filters"
            fileName="business-events"
            url={(format) => `${EXPORT_PATHS.businessEvents}${exportQuery(search, format)}`}
          />
        </div>
        <QueryView query={events} loading="Loading events…" empty="No events match these filters." isEmpty={(data) => data.events.length === 0}>
          {(data) => (
            <>
              <EventsTable events={data.events} currencyOf={(id) => currencies.get(id)} />
              <Pager label="Events" nextCursor={data.nextCursor} onPage={(cursor) => navigate({ search: { ...search, cursor } })} />
            </>
          )}
        </QueryView>
      </section>
    </div>
  );
}
