import { randomUUID } from 'node:crypto';
import { type AdminClientOptions, createAdminClient, getAdminErrorCode, isAdminApiError } from '@runhub/client';
import { createProject, createRun } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createHarness, type Harness, sessionCookie } from './test/harness.js';

let h: Harness;
let failedRunId: string;

beforeAll(async () => {
  h = await createHarness();
  const project = await createProject(h.testDb.db);
  failedRunId = (await createRun(h.testDb.db, project.id, { status: 'failed' })).id;
});
afterAll(() => h.testDb.destroy());

/** The SDK against the app in this process: its fetch goes straight to `app.request`. */
const client = (options: Partial<AdminClientOptions> = {}) =>
  createAdminClient({
    baseUrl: 'http://admin.test',
    fetch: async (input, init) => h.app.request(input instanceof Request ? input : String(input), init),
    ...options,
  });

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('typed errors of @runhub/client', () => {
  it('UNAUTHORIZED without credentials, and no other code matches', async () => {
    const error = await failureOf(client().workflowRuns.list.query({}));
    expect(getAdminErrorCode(error)).toBe('UNAUTHORIZED');
    expect(isAdminApiError(error)).toBe(true);
    expect(isAdminApiError(error, 'UNAUTHORIZED')).toBe(true);
    expect(isAdminApiError(error, 'FORBIDDEN')).toBe(false);
  });

  it('FORBIDDEN for a session that may only read', async () => {
    const readOnly = client({ headers: sessionCookie({ permissions: ['inhouse.read'] }) });
    expect((await readOnly.workflowRuns.list.query({})).runs).toHaveLength(1);
    expect(getAdminErrorCode(await failureOf(readOnly.workflowRuns.retry.mutate({ id: failedRunId, reason: 'x' })))).toBe('FORBIDDEN');
  });

  it('BAD_REQUEST with details.issues naming the field', async () => {
    const error = await failureOf(client({ token: ADMIN_TOKEN }).workflowRuns.list.query({ limit: 500 }));
    expect(isAdminApiError(error, 'BAD_REQUEST')).toBe(true);
    if (isAdminApiError(error, 'BAD_REQUEST')) expect(error.data.details?.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it('NOT_FOUND, then CONFLICT naming the existing retry', async () => {
    const admin = client({ token: ADMIN_TOKEN, adminUserId: 'ops-7' });
    expect(getAdminErrorCode(await failureOf(admin.workflowRuns.retry.mutate({ id: randomUUID(), reason: 'x' })))).toBe('NOT_FOUND');
    const { newRunId } = await admin.workflowRuns.retry.mutate({ id: failedRunId, reason: 'provider is back' });
    const error = await failureOf(admin.workflowRuns.retry.mutate({ id: failedRunId, reason: 'again' }));
    if (!isAdminApiError(error, 'CONFLICT')) return expect.fail(`expected CONFLICT, got ${String(error)}`);
    // Typed: data.code is narrowed to the literal, data.httpStatus is a number.
    const code: 'CONFLICT' = error.data.code;
    expect({ code, status: error.data.httpStatus, retryRunId: error.data.details?.retryRunId }).toEqual({
      code: 'CONFLICT',
      status: 409,
      retryRunId: newRunId,
    });
  });

  it('null for failures that are not answers from the server', async () => {
    const offline = createAdminClient({ baseUrl: 'http://admin.test', fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const error = await failureOf(offline.workflowRuns.list.query({}));
    expect(error).toBeInstanceOf(Error);
    expect(getAdminErrorCode(error)).toBeNull();
    expect(isAdminApiError(error)).toBe(false);
    expect(getAdminErrorCode(new Error('boom'))).toBeNull();
    expect(getAdminErrorCode({ name: 'TRPCClientError', data: { code: 'CONFLICT' } })).toBeNull();
  });
});
