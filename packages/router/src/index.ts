export { type AuditEntry, recordAudit } from './audit.js';
export { type Actor, hasPermission, PERMISSIONS, type Permission } from './auth/actor.js';
export {
  ADMIN_TOKEN_HEADER,
  ADMIN_USER_HEADER,
  type AuthConfig,
  authenticate,
  type CredentialHeaders,
  SESSION_COOKIE,
} from './auth/authenticate.js';
export {
  DEFAULT_SESSION_MAX_LIFETIME_HOURS,
  type SessionClaims,
  type SessionVerification,
  signSessionJwt,
  verifySessionJwt,
} from './auth/session-jwt.js';
export { type Clock, databaseClock, type FixedClock, fixedClock } from './clock.js';
export { type Context, type ContextOptions, createContextInner } from './context.js';
export { AppError, classifyDatabaseError, describeError, ERROR_CODES, type ErrorBody, type ErrorCode, type ErrorIssue, issuesFromZod } from './errors.js';
export { type RollupHistoryOptions, seedRollupHistory } from './kpi-health/demo-history.js';
export {
  createRollupCoordinator,
  type RollupCoordinator,
  type RollupCoordinatorOptions,
  type RollupSettings,
} from './kpi-health/rollup-coordinator.js';
export { type RollupNowOptions, type RunOutcome, runRollupNow } from './kpi-health/rollup-runs.js';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root.js';
export { outputSchemaOf, type ProcedureMeta, type RestRoute, type TrustedOutput, trustedOutput } from './trpc.js';
