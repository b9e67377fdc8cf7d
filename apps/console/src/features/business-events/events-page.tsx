import { EXPORT_PATHS } from '@runhub/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Outlet } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { useTRPC } from '../../api/client.js';
import { useProjects } from '../../api/projects.js';
import { ExportButtons } from '../../ui/export-buttons.js';
import { Pager } from '../../ui/pager.js';
import { Empty, Loading, QueryView } from '../../ui/states.js';
import { EventsFilters } from './events-filters.js';
import { EventsTable } from './events-table.js';
import { eventStatsQuery, eventsByDayQuery, eventsQuery } from './queries.js';
import { byDayInput, type EventsSearch, exportQuery, MAX_BY_DAY_DATES, withEventFilters } from './search.js';
import { TypeStats } from './type-stats.js';

const route = getRouteApi('/business-events');

// uPlot comes with the chart only: the page's first view does not wait for it.
const DayChart = lazy(() => import('./day-chart.js').then((module) => ({ default: module.DayChart })));

/** The form's key: a new URL resets its fields to the URL's values (Back, a type link, a related-events link). */
function filtersKey(search: EventsSearch): string {
  const { cursor: _cursor, ...filters } = search;
  return JSON.stringify(filters);
}

/** `/admin/inhouse/business-events`: the explorer's filters, the events by day and by type, the events and their export, one event with its related ones. */
export function EventsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trpc = useTRPC();
  const projects = useProjects();
  const events = useQuery(eventsQuery(trpc, search));
  const stats = useQuery(eventStatsQuery(trpc, search));
  const today = new Date().toISOString().slice(0, 10);
  const byDay = useQuery(eventsByDayQuery(trpc, search, today));
  const currencies = new Map(projects.data?.projects.map((project) => [project.projectId, project.currencyCode]));

  return (
    <div className="page">
      <h1>Business events</h1>
      <EventsFilters
        key={`${filtersKey(search)}|${projects.data ? 'projects' : ''}`}
        search={search}
        projects={projects.data?.projects}
        eventTypes={stats.data?.byType.map((row) => row.eventType) ?? []}
        onApply={(filters) => navigate({ search: withEventFilters(search, filters) })}
      />
      <Outlet />
      <section className="panel" aria-labelledby="days-title">
        <h2 id="days-title">By day</h2>
        {byDayInput(search, today) === null ? (
          <Empty>The chart by day covers at most {MAX_BY_DAY_DATES} dates: narrow the range to see it.</Empty>
        ) : (
          <QueryView query={byDay} loading="Counting events by day…">
            {(data) => (
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <DayChart byDay={data.byDay ?? []} />
              </Suspense>
            )}
          </QueryView>
        )}
      </section>
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
