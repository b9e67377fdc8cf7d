import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root-route.js';
import { ZWorkflowsSearch } from './search.js';

/** `/admin/inhouse/workflows`; the page's code is a chunk of its own, loaded on first visit. */
export const workflowsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'workflows',
  validateSearch: ZWorkflowsSearch,
  component: lazyRouteComponent(() => import('./workflows-page.js'), 'WorkflowsPage'),
});
