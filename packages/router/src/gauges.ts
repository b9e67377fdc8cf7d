import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import type { Clock } from './clock.js';
import type { RollupSettings } from './context.js';
import { projectHealth } from './kpi-health/queries.js';
import type { ProjectHealthStatus } from './kpi-health/schemas.js';

/** What an operator's dashboard asks the database at each scrape: stuck runs, and projects by KPI freshness. */
export interface OperationalGauges {
  stuckRuns: number;
  projects: Record<ProjectHealthStatus, number>;
}

/**
 * The scrape-time gauges in one statement: stuck runs from the partial index on running runs'
 * leases, projects by status from the same rule `/kpi-health/summary` applies (a few index probes
 * per project).
 *
 * @example
 * const { stuckRuns, projects } = await readOperationalGauges(db, databaseClock, rollup.settings);
 */
export async function readOperationalGauges(db: Kysely<Database>, clock: Clock, settings: RollupSettings): Promise<OperationalGauges> {
  const now = clock.now();
  const row = await db
    .selectFrom(projectHealth(db, clock, settings.staleAfterMinutes).as('h'))
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'healthy').as('healthy'),
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'stale').as('stale'),
      eb.fn.countAll<number>().filterWhere('h.status', '=', 'no_data').as('no_data'),
      sql<number>`(select count(*) from workflow_runs r where r.status = 'running' and r.lease_expires_at < ${now})`.as('stuck_runs'),
    ])
    .executeTakeFirstOrThrow();
  return { stuckRuns: row.stuck_runs, projects: { healthy: row.healthy, stale: row.stale, no_data: row.no_data } };
}
