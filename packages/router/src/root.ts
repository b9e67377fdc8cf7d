import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { auditLogRouter } from './audit-log/router.js';
import { businessEventsRouter } from './business-events/router.js';
import { kpiHealthRouter } from './kpi-health/router.js';
import { createCallerFactory, router } from './trpc.js';
import { workflowRunsRouter } from './workflow-runs/router.js';
import { workflowSendsRouter } from './workflow-sends/router.js';

export const appRouter = router({
  workflowRuns: workflowRunsRouter,
  businessEvents: businessEventsRouter,
  workflowSends: workflowSendsRouter,
  auditLog: auditLogRouter,
  kpiHealth: kpiHealthRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * Calls procedures directly, with no HTTP: `createCaller(createContextInner({ db, actor })).workflowRuns.list({})`.
 */
export const createCaller = createCallerFactory(appRouter);
