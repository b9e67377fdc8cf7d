import { randomBytes } from 'node:crypto';
import { createDatabase, type Database, migrateToLatest } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import type { Actor, Permission } from '../auth/actor.js';
import type { Clock } from '../clock.js';
import type { RollupAccess } from '../context.js';
import { createContextInner } from '../context.js';
import { createRollupCoordinator } from '../rollup/coordinator.js';
import { createCaller } from '../root.js';

export { createEvent, createProject, createRun, createSend, createStuckRun } from './factories.js';
export { forgeJwt, unsignedJwt } from './jwt.js';
export { type Outcome, raceBehindLock, settle } from './race.js';
export { holdRollupLock } from './rollup.js';
export { auditRowsFor, INVALID_RUN_WRITES, readRun, UNKNOWN_RUN_ID } from './rows.js';
export { codeOf, errorOf, failureOf, issuesOf } from './trpc-error.js';
export { eventually, until, waitForLockWaiters } from './wait.js';

export interface TestDatabase {
  db: Kysely<Database>;
  /** The connection string of the fresh PostgreSQL database, or null on PGlite. */
  url: string | null;
  /** Closes the database and, on PostgreSQL, drops it. */
  destroy(): Promise<void>;
}

/**
 * A migrated throwaway database: a fresh PostgreSQL database on the server at `url` (or
 * `TEST_DATABASE_URL`) when one is given, so test files can run in parallel; else in-memory PGlite.
 */
export async function createTestDatabase(url: string | undefined = process.env.TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!url) {
    const db = createDatabase({ dataDir: 'memory' });
    await migrateToLatest(db);
    return { db, url: null, destroy: () => db.destroy() };
  }
  const name = `runhub_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ url, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const db = createDatabase({ url: testUrl.toString(), poolSize: 30 });
  await migrateToLatest(db);
  return {
    db,
    url: testUrl.toString(),
    destroy: async () => {
      await db.destroy();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

/** An actor with the given permissions (both by default). */
export function testActor(permissions: readonly Permission[] = ['inhouse.read', 'inhouse.write'], adminId = 'test-admin'): Actor {
  return { adminId, permissions, via: 'session' };
}

export interface TestCallerOptions {
  /** Who calls; `null` for an anonymous caller (every procedure then answers UNAUTHORIZED). Overrides `permissions` and `adminId`. */
  actor?: Actor | null;
  /** The caller's permissions when no `actor` is given; both by default. */
  permissions?: readonly Permission[];
  /** The caller's admin id (the audit rows' `admin_id`) when no `actor` is given; `test-admin` by default. */
  adminId?: string;
  clock?: Clock;
  requestId?: string;
  /** The rollup triggers wake; by default one of its own per caller, on `db` and `clock`. Pass one to await its work (`idle()`). */
  rollup?: RollupAccess;
}

/**
 * A caller as a given admin, in three lines of a test:
 *
 * @example
 * const { db } = await createTestDatabase();
 * const caller = createTestCaller(db, { permissions: ['inhouse.read'], adminId: 'ops-7' });
 * const { runs } = await caller.workflowRuns.list({});
 */
export function createTestCaller(db: Kysely<Database>, options: TestCallerOptions = {}) {
  const actor = options.actor === undefined ? testActor(options.permissions, options.adminId) : options.actor;
  return createCaller(
    createContextInner({
      db,
      actor,
      requestId: options.requestId ?? 'test-request',
      rollup: options.rollup ?? createRollupCoordinator(db, options.clock ? { clock: options.clock } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }),
  );
}
