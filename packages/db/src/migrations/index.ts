import type { Migration } from 'kysely/migration';
import * as coreTables from './2026-11-28-0001-core-tables.js';
import * as businessEventsIndexes from './2026-11-28-0003-business-events-indexes.js';
import * as kpiRollup from './2026-11-28-0004-kpi-rollup.js';
import * as workflowRunsProjectStatus from './2026-11-28-0005-workflow-runs-project-status.js';
import * as runOperatorIndexes from './2026-12-01-0010-run-operator-indexes.js';
import * as eventsExplorer from './2026-12-01-0020-events-explorer.js';
import * as kpiRollupRanges from './2026-12-01-0030-kpi-rollup-ranges.js';

/**
 * Every migration, by name. Names sort by date, which is the order Kysely's Migrator applies
 * them in. A static barrel (rather than a folder scan) keeps them working after a build and in bundles.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-28-0001-core-tables': coreTables,
  '2026-11-28-0003-business-events-indexes': businessEventsIndexes,
  '2026-11-28-0004-kpi-rollup': kpiRollup,
  '2026-11-28-0005-workflow-runs-project-status': workflowRunsProjectStatus,
  '2026-12-01-0010-run-operator-indexes': runOperatorIndexes,
  '2026-12-01-0020-events-explorer': eventsExplorer,
  '2026-12-01-0030-kpi-rollup-ranges': kpiRollupRanges,
};
