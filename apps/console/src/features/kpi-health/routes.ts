import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root-route.js';
import { ZKpiHealthSearch } from './search.js';

/** `/admin/inhouse/kpi-health`; the page's code is a chunk of its own. */
const kpiHealthPageRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'kpi-health',
  validateSearch: ZKpiHealthSearch,
  component: lazyRouteComponent(() => import('./kpi-health-page.js'), 'KpiHealthPage'),
});

/** `/admin/inhouse/kpi-health/<projectId>`: a project's last 30 days; its chart (uPlot) is in this route's chunk only. */
const projectRoute = createRoute({
  getParentRoute: () => kpiHealthPageRoute,
  path: '$projectId',
  component: lazyRouteComponent(() => import('./project-days.js'), 'ProjectDays'),
});

export const kpiHealthRoute = kpiHealthPageRoute.addChildren([projectRoute]);
