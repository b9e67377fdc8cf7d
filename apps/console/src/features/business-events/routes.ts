import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root-route.js';
import { ZEventsSearch } from './search.js';

/** `/admin/inhouse/business-events`, and an event's detail beside the list at `…/business-events/<id>`. */
const eventsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'business-events',
  validateSearch: ZEventsSearch,
  component: lazyRouteComponent(() => import('./events-page.js'), 'EventsPage'),
});

const eventRoute = createRoute({
  getParentRoute: () => eventsRoute,
  path: '$eventId',
  component: lazyRouteComponent(() => import('./event-detail.js'), 'EventDetail'),
});

export const businessEventsRoutes = eventsRoute.addChildren([eventRoute]);
