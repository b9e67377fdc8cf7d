import { listExport } from '../exports.js';
import { readProcedure, router, trustedOutput } from '../trpc.js';
import { eventStats, getEvent, listEvents } from './queries.js';
import { EVENTS_LIST, ZBusinessEvent, ZEventStatsInput, ZEventStatsOutput, ZGetEventInput, ZListEventsInput, ZListEventsOutput } from './schemas.js';

const EVENTS_PATH = '/v1/admin/inhouse/business-events';

export const businessEventsRouter = router({
  list: readProcedure
    .meta({
      rest: { method: 'GET', path: EVENTS_PATH, summary: 'List business events across projects, newest first' },
      export: listExport({
        path: `${EVENTS_PATH}/export`,
        summary: 'Export every business event the filters select, newest first, as NDJSON or CSV',
        fileName: 'business-events',
        rows: 'events',
        list: EVENTS_LIST,
        page: (ctx, input) => listEvents(ctx.db, input),
      }),
    })
    .input(ZListEventsInput)
    .output(trustedOutput(ZListEventsOutput))
    .query(({ ctx, input }) => listEvents(ctx.db, input)),

  stats: readProcedure
    .meta({ rest: { method: 'GET', path: `${EVENTS_PATH}/stats`, summary: 'Count business events by type over a date range' } })
    .input(ZEventStatsInput)
    .output(trustedOutput(ZEventStatsOutput))
    .query(({ ctx, input }) => eventStats(ctx.db, ctx.clock, input)),

  get: readProcedure
    .meta({ rest: { method: 'GET', path: `${EVENTS_PATH}/:id`, summary: 'Get one business event by numeric id or public id' } })
    .input(ZGetEventInput)
    .output(trustedOutput(ZBusinessEvent))
    .query(({ ctx, input }) => getEvent(ctx.db, input.id)),
});
