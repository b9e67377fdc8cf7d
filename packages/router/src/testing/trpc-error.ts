import { TRPCError } from '@trpc/server';
import { AppError, describeError } from '../errors.js';

/**
 * What a call failed with: its tRPC code and, for an `AppError`, its details; `{ code: 'OK' }` when
 * it succeeded. Anything that is not a TRPCError is rethrown, so a bug never passes for a 4xx.
 *
 * @example
 * expect(await errorOf(caller.workflowRuns.retry({ id, reason: 'x' }))).toEqual({ code: 'CONFLICT', details: { retryRunId } });
 */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError && error.details) return { code: error.code, details: error.details };
    if (error instanceof TRPCError) return { code: error.code };
    throw error;
  }
  return { code: 'OK' };
}

/** Just the code of `errorOf`: `'OK'`, `'BAD_REQUEST'`, `'CONFLICT'`, … */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await errorOf(promise)).code;
}

/**
 * The SPEC code a call fails with and its `details.issues` (path and message each), or `OK` with
 * none: what a 400 test asserts when the message matters.
 *
 * @example
 * expect(await issuesOf(caller.businessEvents.stats({ startDate: '2026-01-31', endDate: '2026-01-30' }))).toEqual({ code: 'BAD_REQUEST', issues: [{ path: 'startDate', message: '…' }] });
 */
export async function issuesOf(promise: Promise<unknown>): Promise<{ code: string; issues: { path: string; message: string }[] }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const { body } = describeError(error);
    return { code: body.code, issues: (body.details?.issues ?? []) as { path: string; message: string }[] };
  }
  return { code: 'OK', issues: [] };
}

/**
 * The SPEC code a call fails with and the input fields its `details.issues` name, or `OK` with no
 * fields: what a 400 test asserts.
 *
 * @example
 * expect(await failureOf(caller.businessEvents.list({ startDate: '2026-02-30' }))).toEqual({ code: 'BAD_REQUEST', paths: ['startDate'] });
 */
export async function failureOf(promise: Promise<unknown>): Promise<{ code: string; paths: string[] }> {
  const { code, issues } = await issuesOf(promise);
  return { code, paths: issues.map((issue) => issue.path) };
}
