/**
 * The endpoints' queries, unexecuted, for the tools that explain their plans at scale
 * (`pnpm explain:events` in `bench/`): the plans they print are those of the code that serves
 * requests, not of copies. `encodeCursor` makes a cursor at a chosen row (a deep page).
 */

export { auditPageQuery } from './audit-log/queries.js';
export { eventStats, eventStatsQuery, eventsByDayQuery, listEventsQuery, resolveStatsRange, statsFromCounts } from './business-events/queries.js';
export type { EventStatsInput, ListEventsInput } from './business-events/schemas.js';
export { ZEventStatsInput, ZListEventsInput } from './business-events/schemas.js';
export { encodeCursor } from './pagination.js';
export { runsPageQuery, stuckRunsQuery } from './workflow-runs/queries.js';
export { sendsPageQuery } from './workflow-sends/queries.js';
