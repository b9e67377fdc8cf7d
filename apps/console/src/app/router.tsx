import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { businessEventsRoutes } from '../features/business-events/routes.js';
import { kpiHealthRoute } from '../features/kpi-health/routes.js';
import { workflowsRoute } from '../features/workflows/routes.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { parseSearch, stringifySearch } from '../ui/url-state.js';
import { rootRoute } from './root-route.js';

/** Where the server mounts the console (Vite's `base`, without the trailing slash). */
export const CONSOLE_BASEPATH = '/admin/inhouse';

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/workflows', replace: true });
  },
});

const routeTree = rootRoute.addChildren([indexRoute, workflowsRoute, businessEventsRoutes, kpiHealthRoute]);

/** Each page's component is its own chunk (`lazyRouteComponent`): the first view loads only its page. */
export function createConsoleRouter() {
  return createRouter({
    routeTree,
    basepath: CONSOLE_BASEPATH,
    parseSearch,
    stringifySearch,
    defaultPendingComponent: () => <Loading label="Loading the page…" />,
    defaultErrorComponent: ({ error }) => <ErrorNotice error={error} />,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
