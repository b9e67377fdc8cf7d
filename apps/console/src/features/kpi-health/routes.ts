import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root-route.js';

/** `/admin/inhouse/kpi-health`; a project's 30-day view joins as a child route later. */
export const kpiHealthRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'kpi-health',
  component: lazyRouteComponent(() => import('./kpi-health-page.js'), 'KpiHealthPage'),
});
