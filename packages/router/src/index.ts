export { type AuditEntries, type AuditEntry, type Audited, auditedWrite, changed, unchanged } from './audit.js';
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
export { type Context, type ContextOptions, createContextInner, createSerialQueue, type RollupAccess, type RollupSettings, type Serialize } from './context.js';
export {
  AppError,
  classifyDatabaseError,
  describeError,
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type ErrorIssue,
  issuesFromZod,
  SPEC_CODE_BY_TRPC_CODE,
  STATUS_BY_CODE,
} from './errors.js';
export { EXPORT_PAGE_SIZE, type ListExport, listExport } from './exports.js';
export { type OperationalGauges, readOperationalGauges } from './gauges.js';
export { listProcedures, type ProcedureEntry } from './procedures.js';
export {
  createRollupCoordinator,
  type RollupCoordinator,
  type RollupCoordinatorOptions,
} from './rollup/coordinator.js';
export { type RollupMode, type RollupNowOptions, type RunOutcome, runRollupNow } from './rollup/runs.js';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root.js';
export { type ProcedureMeta, type RestRoute, type TrustedOutput, trustedOutput } from './trpc.js';
