import type { ErrorBody, ErrorCode } from '@runhub/router';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** SPEC §3's success envelope. */
export function ok<T>(c: Context, data: T): Response {
  return c.json({ ok: true, data });
}

/** SPEC §5's error envelope. */
export function fail(c: Context, status: number, body: ErrorBody): Response {
  return c.json({ ok: false, error: body }, status as ContentfulStatusCode);
}

export const STATUS_OF: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export function failWith(c: Context, code: ErrorCode, message: string, details?: Record<string, unknown>): Response {
  return fail(c, STATUS_OF[code], details ? { code, message, details } : { code, message });
}
