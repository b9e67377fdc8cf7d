import { type ErrorBody, type ErrorCode, STATUS_BY_CODE } from '@runhub/router';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { jsonResponse } from './response.js';

/** SPEC §3's success envelope. */
export function ok<T>(c: Context<AppEnv>, data: T): Response {
  return jsonResponse(c, 200, { ok: true, data });
}

/** SPEC §5's error envelope. */
export function fail(c: Context<AppEnv>, status: number, body: ErrorBody, extra?: Readonly<Record<string, string>>): Response {
  return jsonResponse(c, status, { ok: false, error: body }, extra);
}

export interface FailOptions {
  details?: Record<string, unknown>;
  /** Headers of the error's own (a 405's `Allow`). */
  headers?: Readonly<Record<string, string>>;
}

export function failWith(c: Context<AppEnv>, code: ErrorCode, message: string, options: FailOptions = {}): Response {
  const { details, headers } = options;
  return fail(c, STATUS_BY_CODE[code], details ? { code, message, details } : { code, message }, headers);
}
