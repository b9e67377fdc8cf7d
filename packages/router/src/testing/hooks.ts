import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type FixedClock, fixedClock } from '../clock.js';
import { createRollupCoordinator, type RollupCoordinator } from '../rollup/coordinator.js';
import { createTestCaller, createTestDatabase, type TestCallerOptions, type TestDatabase } from './index.js';

const ready = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what}: read inside a test, after its hooks ran`);
  return value;
};

/**
 * One migrated throwaway database for the test file, registered as vitest hooks (created before
 * all, destroyed after all). Not exported from `@runhub/router/testing` (it needs vitest).
 *
 * @example
 * const testDb = useTestDatabase();
 * it('…', async () => { const project = await createProject(testDb.db); });
 */
export function useTestDatabase(): TestDatabase {
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb?.destroy());
  return {
    get db() {
      return ready(testDb, 'useTestDatabase').db;
    },
    get url() {
      return ready(testDb, 'useTestDatabase').url;
    },
    destroy: () => ready(testDb, 'useTestDatabase').destroy(),
  };
}

export interface RollupBed {
  readonly testDb: TestDatabase;
  readonly db: Kysely<Database>;
  /** Reset to `now` before each test. */
  readonly clock: FixedClock;
  /** A fresh coordinator on `clock` before each test. */
  readonly rollup: RollupCoordinator;
  /** A caller on the bed's database, clock and rollup. */
  caller(options?: TestCallerOptions): ReturnType<typeof createTestCaller>;
}

/**
 * The KPI tests' set-up, registered as vitest hooks: one database for the file, and before each
 * test empty projects, rollup runs, rollup errors and audit log, the clock at `now` and a new
 * coordinator.
 *
 * @example
 * const bed = useRollupBed(Date.parse('2026-01-30T12:00:00Z'), { intervalMinutes: 15 });
 * it('…', async () => { await bed.caller().kpiHealth.triggerRollup({ reason: 'x' }); await bed.rollup.idle(); });
 */
export function useRollupBed(now: number, coordinator: { intervalMinutes?: number } = {}): RollupBed {
  const testDb = useTestDatabase();
  let clock: FixedClock | undefined;
  let rollup: RollupCoordinator | undefined;
  beforeEach(async () => {
    const { db } = testDb;
    await sql`truncate projects, kpi_rollup_runs, kpi_rollup_errors, admin_audit_log restart identity cascade`.execute(db);
    clock = fixedClock(new Date(now));
    rollup = createRollupCoordinator(db, { clock, ...coordinator });
  });
  return {
    testDb,
    get db() {
      return testDb.db;
    },
    get clock() {
      return ready(clock, 'useRollupBed');
    },
    get rollup() {
      return ready(rollup, 'useRollupBed');
    },
    caller: (options = {}) => createTestCaller(testDb.db, { clock: ready(clock, 'useRollupBed'), rollup: ready(rollup, 'useRollupBed'), ...options }),
  };
}
