import type { Database } from '@runhub/db';
import { fixedClock, runRollupNow } from '@runhub/router';
import type { Kysely } from 'kysely';

export interface RollupHistoryOptions {
  /** The moment the demo data was built around. */
  now: Date;
  /** The schedule the history follows (`ROLLUP_INTERVAL_MINUTES`). Default 15. */
  intervalMinutes?: number;
  /** How many scheduled runs. Default 8. */
  runs?: number;
}

const MISTYPED_PROJECT = 'Kiwi Surf Co';
const MISTYPED_ZONE = 'Pacific/Aukland';
/** The first runs of the history, while the project's time zone was mistyped. */
const RUNS_WITH_TYPO = 3;

/**
 * Gives the demo data the rollup history a running scheduler would have written: all-projects
 * runs one interval apart, the last one half an interval before `now`, executed by the real
 * engine at those past moments (each counts only the events received by then), so every number,
 * duration and error is true. For a while one project's time zone was mistyped: those runs failed
 * for it and recorded why. A project created after the last run has never been rolled up.
 *
 * @example
 * await seedDemoData(db, { now });
 * await seedRollupHistory(db, { now, intervalMinutes: 15 });
 */
export async function seedRollupHistory(db: Kysely<Database>, options: RollupHistoryOptions): Promise<number> {
  const intervalMs = (options.intervalMinutes ?? 15) * 60_000;
  const runs = options.runs ?? 8;
  const lastRunAt = options.now.getTime() - Math.floor(intervalMs / 2);
  const project = await db.selectFrom('projects').select(['id', 'timezone']).where('name', '=', MISTYPED_PROJECT).executeTakeFirst();
  const setZone = async (timezone: string) => {
    if (project) await db.updateTable('projects').set({ timezone }).where('id', '=', project.id).execute();
  };

  await setZone(MISTYPED_ZONE);
  try {
    for (let i = runs - 1; i >= 0; i--) {
      if (i === runs - 1 - RUNS_WITH_TYPO && project) await setZone(project.timezone);
      await runRollupNow(db, { clock: fixedClock(new Date(lastRunAt - i * intervalMs)), trigger: 'schedule' });
    }
  } finally {
    if (project) await setZone(project.timezone);
  }
  return runs;
}
