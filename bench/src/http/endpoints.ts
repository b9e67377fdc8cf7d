import type { RouterOutputs } from '@runhub/router';
import { encodeCursor } from '@runhub/router/queries';
import type pg from 'pg';

type Input = Record<string, string | number>;
type FloorRow = Record<string, unknown>;

/** One endpoint measured on the three servers. */
export interface Endpoint {
  label: string;
  /** The tRPC procedure behind the REST route. */
  procedure: string;
  restPath: string;
  floorPath: string;
  /** The procedure's input: REST's query string (unless `restInput`), tRPC's `?input=` and the floor's query string. */
  input: Input;
  /** REST's query string when it differs from `input` (a path parameter is in `restPath`). */
  restInput?: Input;
  floorInput?: Input;
  /** What the API's answer (`data` on REST, `result.data` on /trpc) must share with the floor's rows. */
  fingerprint(data: unknown): string[];
  floorFingerprint(rows: FloorRow[]): string[];
}

const PREFIX = '/v1/admin/inhouse';
const PAGE = 50;

export interface EndpointUrls {
  rest: string;
  trpc: string;
  floor: string;
}

/** The three paths of an endpoint, from one input: the query string, tRPC's `?input=` and the floor's query string. */
export function pathsOf(endpoint: Endpoint): EndpointUrls {
  const suffix = (input: Input) => {
    const query = new URLSearchParams(Object.entries(input).map(([key, value]): [string, string] => [key, String(value)])).toString();
    return query ? `?${query}` : '';
  };
  return {
    rest: `${PREFIX}${endpoint.restPath}${suffix(endpoint.restInput ?? endpoint.input)}`,
    trpc: `/trpc/${endpoint.procedure}?input=${encodeURIComponent(JSON.stringify(endpoint.input))}`,
    floor: `${endpoint.floorPath}${suffix(endpoint.floorInput ?? endpoint.input)}`,
  };
}

/** One event by its public id (`/business-events/evt_…`). */
export function eventByPublicId(publicId: string): Endpoint {
  return {
    label: 'business-events/:publicId',
    procedure: 'businessEvents.get',
    restPath: `/business-events/${publicId}`,
    floorPath: '/business-event',
    input: { id: publicId },
    restInput: {},
    floorInput: { publicId },
    fingerprint: (data) => {
      const event = data as RouterOutputs['businessEvents']['get'];
      return [String(event.id), event.publicId, event.occurredAt, event.receivedAt];
    },
    floorFingerprint: (rows) => rows.flatMap((row) => [String(row.id), String(row.public_id), String(row.occurred_at), String(row.received_at)]),
  };
}

/** The largest project's stuck runs (running, lease expired), oldest lease first. */
export function stuckRuns(projectId: string): Endpoint {
  return {
    label: 'workflow-runs/stuck?projectId',
    procedure: 'workflowRuns.stuck',
    restPath: '/workflow-runs/stuck',
    floorPath: '/workflow-runs/stuck',
    input: { projectId },
    fingerprint: (data) =>
      (data as RouterOutputs['workflowRuns']['stuck']).runs.map((run) => `${run.id}:${run.requestedAt}:${run.leaseExpiresAt}:${run.attempts}`),
    floorFingerprint: (rows) => rows.map((row) => `${String(row.id)}:${String(row.requested_at)}:${String(row.lease_expires_at)}:${String(row.attempts)}`),
  };
}

export function workflowRunsPage(projectId: string): Endpoint {
  return {
    label: 'workflow-runs?projectId',
    procedure: 'workflowRuns.list',
    restPath: '/workflow-runs',
    floorPath: '/workflow-runs',
    input: { projectId },
    fingerprint: (data) => (data as RouterOutputs['workflowRuns']['list']).runs.map((run) => run.id),
    floorFingerprint: (rows) => rows.slice(0, PAGE).map((row) => String(row.id)),
  };
}

export function businessEventsPage(label: string, input: { projectId: string; cursor?: string }): Endpoint {
  return {
    label,
    procedure: 'businessEvents.list',
    restPath: '/business-events',
    floorPath: '/business-events',
    input,
    fingerprint: (data) => (data as RouterOutputs['businessEvents']['list']).events.map((event) => String(event.id)),
    floorFingerprint: (rows) => rows.slice(0, PAGE).map((row) => String(row.id)),
  };
}

/**
 * The stats row's floor is the plain count (`EVENT_STATS`, the query the daily counts replace), not
 * the API's SQL: its ratio is what the counts buy (issue #13: at least 10×), checked on the answers.
 */
export const STATS_LABEL = 'business-events/stats (7 days)';

export function businessEventStats(startDate: string, endDate: string): Endpoint {
  return {
    label: STATS_LABEL,
    procedure: 'businessEvents.stats',
    restPath: '/business-events/stats',
    floorPath: '/business-events/stats',
    input: { startDate, endDate },
    fingerprint: (data) => (data as RouterOutputs['businessEvents']['stats']).byType.map((type) => `${type.eventType}:${type.count}`),
    floorFingerprint: (rows) => rows.map((row) => `${String(row.event_type)}:${String(row.count)}`),
  };
}

export function kpiHealthProjects(): Endpoint {
  const fingerprintOf = (project: { id: unknown; revenue: unknown; leads: unknown; payments: unknown; status: unknown }) =>
    [project.id, project.revenue, project.leads, project.payments, project.status].map(String).join(':');
  return {
    label: 'kpi-health/projects',
    procedure: 'kpiHealth.projects',
    restPath: '/kpi-health/projects',
    floorPath: '/kpi-health/projects',
    input: {},
    fingerprint: (data) =>
      (data as RouterOutputs['kpiHealth']['projects']).projects.map((p) =>
        fingerprintOf({ id: p.projectId, revenue: p.todayRevenueCents, leads: p.todayLeads, payments: p.todayPayments, status: p.status }),
      ),
    floorFingerprint: (rows) =>
      rows.map((r) => fingerprintOf({ id: r.project_id, revenue: r.today_revenue_cents, leads: r.today_leads, payments: r.today_payments, status: r.status })),
  };
}

const DEEP_PAGES = 1000;

/**
 * The endpoints of the run, on the largest project: its first page of events and the page after
 * 1,000 pages (fewer when a small `--rows` leaves fewer), reached by one OFFSET query for the row
 * that ends page 1,000 and encoded as the API encodes its cursors.
 */
export async function chooseEndpoints(client: pg.Client): Promise<{ endpoints: Endpoint[]; firstPage: string; deepPage: string }> {
  const {
    rows: [project],
  } = await client.query<{ id: string; events: string }>(
    `select p.id, (select count(*) from business_events e where e.project_id = p.id) as events
     from projects p order by events desc, p.id limit 1`,
  );
  if (!project) throw new Error('no projects: the data load did not run');
  const pages = Math.min(DEEP_PAGES, Math.floor((Number(project.events) - 1) / PAGE));
  if (pages < 1) throw new Error(`the largest project has ${project.events} events: too few for a second page; raise --rows`);
  const {
    rows: [last],
  } = await client.query<{ sort_key: string; id: string }>(
    `select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key, id
     from business_events where project_id = $1 order by occurred_at desc, id desc offset $2 limit 1`,
    [project.id, pages * PAGE - 1],
  );
  if (!last) throw new Error('the deep page row vanished');
  const {
    rows: [range],
  } = await client.query<{ start_date: string; end_date: string }>(
    `select to_char(today - 7, 'YYYY-MM-DD') as start_date, to_char(today, 'YYYY-MM-DD') as end_date
     from (select (now() at time zone 'UTC')::date as today) t`,
  );
  if (!range) throw new Error('no date range');
  const {
    rows: [event],
  } = await client.query<{ public_id: string }>('select public_id from business_events where project_id = $1 order by id limit 1', [project.id]);
  if (!event) throw new Error('no event to look up');
  const firstPage = 'business-events?projectId (page 1)';
  const deepPage = `business-events?projectId (page ${(pages + 1).toLocaleString('en-US')})`;
  return {
    firstPage,
    deepPage,
    endpoints: [
      workflowRunsPage(project.id),
      businessEventsPage(firstPage, { projectId: project.id }),
      businessEventsPage(deepPage, { projectId: project.id, cursor: encodeCursor('business-events', [last.sort_key, Number(last.id)]) }),
      eventByPublicId(event.public_id),
      stuckRuns(project.id),
      businessEventStats(range.start_date, range.end_date),
      kpiHealthProjects(),
    ],
  };
}
