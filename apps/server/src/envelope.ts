import { type ErrorBody, type ErrorCode, STATUS_BY_CODE } from '@runhub/router';
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

export function failWith(c: Context, code: ErrorCode, message: string, details?: Record<string, unknown>): Response {
  return fail(c, STATUS_BY_CODE[code], details ? { code, message, details } : { code, message });
}
