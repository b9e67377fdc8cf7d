import type { AppRouter, ErrorCode } from '@runhub/router';
import type { TRPCClientError } from '@trpc/client';

/** SPEC §5's error codes, as `error.data.code` carries them. */
export type AdminErrorCode = ErrorCode;

/** What a call of the admin client rejects with when the server answered with an error. */
export type AdminApiError = TRPCClientError<AppRouter>;

// A record rather than an array so the compiler checks it against the router's codes both ways:
// a code missing here, or one the server no longer has, fails the build.
const KNOWN_CODES: Record<AdminErrorCode, true> = {
  BAD_REQUEST: true,
  UNAUTHORIZED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  METHOD_NOT_ALLOWED: true,
  CONFLICT: true,
  PAYLOAD_TOO_LARGE: true,
  INTERNAL_SERVER_ERROR: true,
  SERVICE_UNAVAILABLE: true,
};

/**
 * The SPEC §5 code of a failed call or a refused export, or null when the error did not come from
 * the server (a network failure, an aborted request, a bug in the caller).
 *
 * @example
 * const code = getAdminErrorCode(error); // 'CONFLICT' | 'NOT_FOUND' | … | null
 */
export function getAdminErrorCode(error: unknown): AdminErrorCode | null {
  // By name rather than instanceof: an app may load two copies of @trpc/client. An export's
  // refusal (`AdminExportError`) carries its code the same way.
  if (!(error instanceof Error) || (error.name !== 'TRPCClientError' && error.name !== 'AdminExportError')) return null;
  const data: unknown = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const code: unknown = (data as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(KNOWN_CODES, code) ? (code as AdminErrorCode) : null;
}

/**
 * Whether a call failed with an answer from the server, with a given code if one is named; the
 * error is then typed, with `data.details` (e.g. `retryRunId` of a CONFLICT, `issues` of a
 * BAD_REQUEST).
 *
 * @example
 * try {
 *   await admin.workflowRuns.retry.mutate({ id, reason: 'provider back up' });
 * } catch (error) {
 *   if (isAdminApiError(error, 'CONFLICT')) showExistingRetry(error.data.details?.retryRunId);
 *   else throw error;
 * }
 */
export function isAdminApiError<C extends AdminErrorCode = AdminErrorCode>(
  error: unknown,
  code?: C,
): error is AdminApiError & { data: NonNullable<AdminApiError['data']> & { code: C } } {
  const actual = getAdminErrorCode(error);
  return actual !== null && (code === undefined || actual === code);
}
