export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root.js';
export { createContextInner, type Context, type ContextOptions } from './context.js';
export { databaseClock, fixedClock, type Clock, type FixedClock } from './clock.js';
export { PERMISSIONS, hasPermission, type Actor, type Permission } from './auth/actor.js';
export {
  ADMIN_TOKEN_HEADER,
  ADMIN_USER_HEADER,
  SESSION_COOKIE,
  authenticate,
  type AuthConfig,
  type CredentialHeaders,
} from './auth/authenticate.js';
export { signSessionJwt, verifySessionJwt, type SessionClaims } from './auth/session-jwt.js';
export { AppError, ERROR_CODES, classifyDatabaseError, describeError, issuesFromZod, type ErrorBody, type ErrorCode, type ErrorIssue } from './errors.js';
export { recordAudit, type AuditEntry } from './audit.js';
export { outputSchemaOf, trustedOutput, type ProcedureMeta, type RestRoute, type TrustedOutput } from './trpc.js';
export {
  createRollupCoordinator,
  type RollupCoordinator,
  type RollupCoordinatorOptions,
  type RollupSettings,
} from './kpi-health/rollup-coordinator.js';
export { runRollupNow, type RollupNowOptions, type RunOutcome } from './kpi-health/rollup-runs.js';
export { seedRollupHistory, type RollupHistoryOptions } from './kpi-health/demo-history.js';
