import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root-route.js';
import { ZWorkflowsSearch } from './search.js';

/** `/admin/inhouse/workflows`; the page's code is a chunk of its own, loaded on first visit. */
const workflowsPageRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'workflows',
  validateSearch: ZWorkflowsSearch,
  component: lazyRouteComponent(() => import('./workflows-page.js'), 'WorkflowsPage'),
});

/** `/admin/inhouse/workflows/runs/<id>`: one run's detail above the list, which keeps its filters (the search params). */
const runRoute = createRoute({
  getParentRoute: () => workflowsPageRoute,
  path: 'runs/$runId',
  component: lazyRouteComponent(() => import('./run-detail.js'), 'RunDetail'),
});

export const workflowsRoute = workflowsPageRoute.addChildren([runRoute]);
