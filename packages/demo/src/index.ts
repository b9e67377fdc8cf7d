import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import { type SeedOptions, type SeedSummary, seedDemoData } from './demo-data.js';
import { seedRollupHistory } from './rollup-history.js';

export { type SeedOptions, type SeedSummary, seedDemoData } from './demo-data.js';
export { type RollupHistoryOptions, seedRollupHistory } from './rollup-history.js';

export interface DemoOptions extends SeedOptions {
  /** The schedule the rollup history follows (`ROLLUP_INTERVAL_MINUTES`). Default 15. */
  intervalMinutes?: number;
}

/**
 * The whole demo: its rows, then the rollup history a running scheduler would have written up to
 * `now`, so the KPI-health page shows healthy, stale and no-data projects and past errors at once.
 * Load it into an empty database only (the callers check).
 *
 * @example
 * const summary = await seedDemo(db, { now: new Date(), intervalMinutes: 15 });
 */
export async function seedDemo(db: Kysely<Database>, options: DemoOptions = {}): Promise<SeedSummary & { rollupRuns: number }> {
  const now = options.now ?? new Date();
  const summary = await seedDemoData(db, { ...options, now });
  const rollupRuns = await seedRollupHistory(db, { now, ...(options.intervalMinutes ? { intervalMinutes: options.intervalMinutes } : {}) });
  return { ...summary, rollupRuns };
}
