import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createCallerFactory, router } from './trpc.js';
import { workflowRunsRouter } from './workflow-runs/router.js';

export const appRouter = router({
  workflowRuns: workflowRunsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * Calls procedures directly, with no HTTP: `createCaller(createContextInner({ db, actor })).workflowRuns.list({})`.
 */
export const createCaller = createCallerFactory(appRouter);
