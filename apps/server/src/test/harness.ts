import { createRollupCoordinator, type RollupCoordinator, signSessionJwt } from '@runhub/router';
import { createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { type AppOptions, createApp } from '../app.js';
import type { AppEnv } from '../env.js';
import { createLogger } from '../logger.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef-0123456789';

export interface Harness {
  testDb: TestDatabase;
  app: Hono<AppEnv>;
  /** The app's rollup: `await h.rollup.idle()` waits for the work a trigger started. */
  rollup: RollupCoordinator;
  /** Every log line the app wrote, for asserting what never reaches a log. */
  logs: string[];
}

/** A migrated throwaway database and an app on it, logging into memory. */
export async function createHarness(): Promise<Harness> {
  const testDb = await createTestDatabase();
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  const rollup = createRollupCoordinator(testDb.db);
  const app = createApp({ db: testDb.db, rollup, auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [SESSION_SECRET] }, logger });
  return { testDb, app, rollup, logs };
}

/** Another app on the harness's database and rollup, silent unless told otherwise: for a test of one setting. */
export function harnessApp(h: Harness, options: Partial<AppOptions>): Hono<AppEnv> {
  return createApp({ db: h.testDb.db, rollup: h.rollup, auth: { adminTokens: [ADMIN_TOKEN], sessionSecrets: [] }, logger: createLogger('silent'), ...options });
}

export const tokenHeaders = (extra: Record<string, string> = {}) => ({ 'x-sheen-admin-token': ADMIN_TOKEN, ...extra });

/**
 * A JSON POST's request init, as the admin unless other headers are given: `body` as JSON, or as
 * it is when it is a string (for malformed JSON).
 *
 * @example
 * await h.app.request(`${RUNS}/${id}/retry`, jsonPost({ reason: 'provider back' }));
 */
export function jsonPost(body: unknown, headers: Record<string, string> = tokenHeaders()): RequestInit {
  return { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** A session cookie header; an hour of validity and both permissions unless told otherwise. */
export function sessionCookie(claims: Record<string, unknown> = {}, secret = SESSION_SECRET): { cookie: string } {
  const jwt = signSessionJwt({ sub: 'admin-42', permissions: ['inhouse.read', 'inhouse.write'], exp: Math.floor(Date.now() / 1000) + 3600, ...claims }, secret);
  return { cookie: `theme=dark; sheen_admin_session=${jwt}` };
}

export interface Envelope {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; details?: { issues?: { path: string; message: string }[]; [key: string]: unknown } };
}

export async function readEnvelope(response: Response): Promise<Envelope> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Envelope;
}
