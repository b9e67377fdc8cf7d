import { getAdminErrorCode, isAdminApiError } from '@runhub/client';

/** A failed call, in the API's own words, with what the console can act on. */
export interface ErrorDescription {
  /** SPEC §5's code, or null when the server did not answer. */
  code: ReturnType<typeof getAdminErrorCode>;
  /** The API's message, shown as it is (a 403 names the missing permission, a 409 the run's state). */
  message: string;
  /** A 409 on a retry: the run that already retried this one. */
  retryRunId?: string;
  /** A 400: the fields the API refused, with its reason for each. */
  issues?: { path: string; message: string }[];
}

export function describeError(error: unknown): ErrorDescription {
  if (isAdminApiError(error)) {
    const details = error.data.details;
    const description: ErrorDescription = { code: error.data.code, message: error.message };
    if (typeof details?.retryRunId === 'string') description.retryRunId = details.retryRunId;
    if (Array.isArray(details?.issues)) description.issues = details.issues.filter(isIssue);
    return description;
  }
  return { code: null, message: `The server could not be reached (${error instanceof Error ? error.message : String(error)})` };
}

function isIssue(value: unknown): value is { path: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string';
}

export function isUnauthorized(error: unknown): boolean {
  return getAdminErrorCode(error) === 'UNAUTHORIZED';
}
