import type { Database, JsonValue, NewBusinessEvent, NewProject, NewWorkflowRun, NewWorkflowSend, WorkflowRunStatus, WorkflowSendStatus } from '@runhub/db';
import type { Kysely } from 'kysely';
import { SeededRandom } from './random.js';

export interface SeedOptions {
  /** Seed of the random generator; the same seed and `now` give the same data. */
  seed?: number;
  /** The moment the demo data is built around. Default: the current time. */
  now?: Date;
  /** How many business events the established projects have in all (the importing one adds 3 %). Default 40,000. */
  events?: number;
  /** How many workflow runs per project. Default 300. */
  runsPerProject?: number;
  /** Told about each step, for progress output. */
  onProgress?: (message: string) => void;
}

export interface SeedSummary {
  projects: number;
  runs: number;
  sends: number;
  events: number;
}

interface DemoProject {
  name: string;
  currency: string;
  timezone: string;
  /** Share of all events; 0 makes a project with no events at all. */
  eventShare: number;
  /** Typical payment in the currency's minor unit. */
  typicalAmount: number;
}

const DEMO_PROJECTS: readonly DemoProject[] = [
  { name: 'Lumen Coffee Roasters', currency: 'USD', timezone: 'America/New_York', eventShare: 0.3, typicalAmount: 2800 },
  { name: 'Nordlicht Apparel', currency: 'EUR', timezone: 'Europe/Berlin', eventShare: 0.22, typicalAmount: 6400 },
  { name: 'Sakura Ceramics', currency: 'JPY', timezone: 'Asia/Tokyo', eventShare: 0.14, typicalAmount: 5200 },
  { name: 'Harbour & Pine', currency: 'GBP', timezone: 'Europe/London', eventShare: 0.14, typicalAmount: 3900 },
  { name: 'Nile Spice Market', currency: 'EGP', timezone: 'Africa/Cairo', eventShare: 0.1, typicalAmount: 45000 },
  { name: 'Kiwi Surf Co', currency: 'NZD', timezone: 'Pacific/Auckland', eventShare: 0.1, typicalAmount: 8900 },
  { name: 'Maple Ledger (onboarding)', currency: 'CAD', timezone: 'America/Toronto', eventShare: 0, typicalAmount: 0 },
];

/**
 * A shop moving to Run Hub: created minutes ago, its history imported since, so no rollup has
 * counted it yet (the KPI-health page shows it stale until the next rollup).
 */
const IMPORTING_PROJECT: DemoProject & { importedMinutes: number } = {
  name: 'Fjord Outdoor (importing)',
  currency: 'NOK',
  timezone: 'Europe/Oslo',
  eventShare: 0.03,
  typicalAmount: 54000,
  importedMinutes: 4,
};

const ACTIONS = ['recover_abandoned', 'send_promo', 'winback_lapsed', 'post_purchase_review', 'lead_nurture'] as const;

const RUN_ERRORS = [
  { code: 'PROVIDER_TIMEOUT', message: 'Email provider did not answer within 30s' },
  { code: 'RATE_LIMITED', message: 'Email provider rate limit reached (429)' },
  { code: 'TEMPLATE_MISSING', message: 'Template "promo_winter" not found for locale de' },
  { code: 'AUDIENCE_EMPTY', message: 'No recipients matched the segment' },
] as const;

const SEND_ERRORS = ['Mailbox full', 'Recipient address rejected', 'Provider timeout', 'Domain has no MX record'];

const FIRST_NAMES = ['ana', 'ben', 'chloe', 'dev', 'emre', 'fatima', 'gus', 'hana', 'ivan', 'jules', 'kemal', 'lena', 'mo', 'nora', 'omar', 'priya'];
const DOMAINS = ['example.com', 'mail.test', 'inbox.example', 'shop-customers.test'];

const EVENT_TYPES = [
  ['page_viewed', 40],
  ['checkout_started', 16],
  ['lead_created', 14],
  ['payment_succeeded', 12],
  ['payment_failed', 3],
  ['refund_issued', 1],
  ['subscription_started', 2],
] as const;

const SOURCES: Record<string, string> = {
  page_viewed: 'web',
  checkout_started: 'web',
  lead_created: 'forms',
  payment_succeeded: 'stripe',
  payment_failed: 'stripe',
  refund_issued: 'stripe',
  subscription_started: 'stripe',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BATCH = 1000;

/**
 * Fills an empty database with demo data that gives every admin page something true to show:
 * projects in several currencies and time zones (one with no events, one whose history was
 * imported minutes ago), workflow runs in every status (stuck ones too: running with an expired
 * lease), sends in every status, and business events over the last 30 days, some arriving late.
 */
export async function seedDemoData(db: Kysely<Database>, options: SeedOptions = {}): Promise<SeedSummary> {
  const random = new SeededRandom(options.seed ?? 20260130);
  const now = options.now ?? new Date();
  const say = options.onProgress ?? (() => {});
  const totalEvents = options.events ?? 40_000;

  const projects = DEMO_PROJECTS.map((p) => ({ ...p, id: random.uuid() }));
  const projectRows: NewProject[] = projects.map((p, i) => ({
    id: p.id,
    name: p.name,
    currency_code: p.currency,
    timezone: p.timezone,
    created_at: new Date(now.getTime() - (90 - i * 7) * DAY),
  }));
  await db.insertInto('projects').values(projectRows).execute();
  say(`projects: ${projectRows.length}`);

  const runs: NewWorkflowRun[] = [];
  const sends: NewWorkflowSend[] = [];
  for (const project of projects) {
    for (let i = 0; i < (options.runsPerProject ?? 300); i++) {
      const run = demoRun(random, project.id, i, now);
      runs.push(run);
      sends.push(...demoSends(random, run, now));
      if (run.status === 'failed' && random.chance(0.3)) runs.push(demoRetry(random, run, now));
    }
  }
  await insertInBatches('workflow_runs', runs, (batch) => db.insertInto('workflow_runs').values(batch).execute(), say);
  await insertInBatches('workflow_sends', sends, (batch) => db.insertInto('workflow_sends').values(batch).execute(), say);

  const events: NewBusinessEvent[] = [];
  for (const project of projects) {
    const count = Math.round(totalEvents * project.eventShare);
    for (let i = 0; i < count; i++) events.push(demoEvent(random, project, now));
  }
  await insertInBatches('business_events', events, (batch) => db.insertInto('business_events').values(batch).execute(), say);
  const imported = await seedImportingProject(db, new SeededRandom((options.seed ?? 20260130) + 1), now, totalEvents);
  say(`${IMPORTING_PROJECT.name}: ${imported} events imported`);

  return { projects: projectRows.length + 1, runs: runs.length, sends: sends.length, events: events.length + imported };
}

/** Its own random stream, so the other projects' data stays what it always was. */
async function seedImportingProject(db: Kysely<Database>, random: SeededRandom, now: Date, totalEvents: number): Promise<number> {
  const project = { ...IMPORTING_PROJECT, id: random.uuid() };
  const createdAt = now.getTime() - project.importedMinutes * MINUTE;
  await db
    .insertInto('projects')
    .values({ id: project.id, name: project.name, currency_code: project.currency, timezone: project.timezone, created_at: new Date(createdAt) })
    .execute();
  const events = Array.from({ length: Math.round(totalEvents * project.eventShare) }, () => ({
    ...demoEvent(random, project, now),
    received_at: new Date(createdAt + random.int(0, project.importedMinutes * MINUTE)),
  }));
  for (let i = 0; i < events.length; i += BATCH)
    await db
      .insertInto('business_events')
      .values(events.slice(i, i + BATCH))
      .execute();
  return events.length;
}

function demoRun(random: SeededRandom, projectId: string, index: number, now: Date): NewWorkflowRun & { id: string } {
  const status = random.weighted<WorkflowRunStatus | 'stuck'>([
    ['succeeded', 70],
    ['failed', 12],
    ['cancelled', 4],
    ['queued', 5],
    ['running', 3],
    ['stuck', 4],
  ]);
  const requestedAt = now.getTime() - random.int(1, 30 * 24 * 60) * MINUTE;
  const startedAt = requestedAt + random.int(1, 90) * 1000;
  const completedAt = startedAt + random.int(2, 600) * 1000;
  const actionId = random.pick(ACTIONS);
  const recipients = random.int(1, 60);
  const failedSends = random.chance(0.3) ? random.int(1, Math.max(1, Math.floor(recipients / 5))) : 0;
  const base = {
    id: random.uuid(),
    project_id: projectId,
    action_id: actionId,
    idempotency_key: `${actionId}:${new Date(requestedAt).toISOString().slice(0, 13)}:${index}`,
    requested_at: new Date(requestedAt),
    max_attempts: 3,
    params: { locale: random.pick(['en', 'de', 'ja', 'fr']), segment: random.pick(['all', 'vip', 'lapsed_30d']) },
  };
  switch (status) {
    case 'queued':
      // Queued runs are recent: the queue drains within the hour.
      return { ...base, status, requested_at: new Date(now.getTime() - random.int(1, 50) * MINUTE) };
    case 'running': {
      const started = now.getTime() - random.int(1, 10) * MINUTE;
      return {
        ...base,
        status,
        requested_at: new Date(started - MINUTE),
        started_at: new Date(started),
        lease_expires_at: new Date(started + 30 * MINUTE),
        attempts: 1,
      };
    }
    case 'stuck': {
      // The worker died mid-run: the lease ran out and nobody picked the run up again.
      const started = now.getTime() - random.int(45, 36 * 60) * MINUTE;
      return {
        ...base,
        status: 'running',
        requested_at: new Date(started - MINUTE),
        started_at: new Date(started),
        lease_expires_at: new Date(started + 30 * MINUTE),
        attempts: random.int(1, 3),
      };
    }
    case 'succeeded':
      return {
        ...base,
        status,
        started_at: new Date(startedAt),
        completed_at: new Date(completedAt),
        attempts: random.weighted([
          [1, 8],
          [2, 2],
          [3, 1],
        ]),
        result: { totalRecipients: recipients, successful: recipients - failedSends, failed: failedSends },
        outcome: demoOutcome(random),
      };
    case 'failed': {
      const error = random.pick(RUN_ERRORS);
      return { ...base, status, started_at: new Date(startedAt), completed_at: new Date(completedAt), attempts: 3, error: { ...error } };
    }
    case 'cancelled':
      return {
        ...base,
        status,
        completed_at: new Date(requestedAt + random.int(1, 20) * MINUTE),
        error: { code: 'CANCELLED', message: 'Paused by marketing during a pricing change' },
      };
  }
}

function demoOutcome(random: SeededRandom): JsonValue {
  if (random.chance(0.4)) return null;
  const conversions = random.int(0, 12);
  return {
    model: 'email_exact',
    windowHours: 48,
    conversions,
    revenueCents: conversions * random.int(1500, 9000),
    currency: 'USD',
    confidence: random.pick(['high', 'medium', 'low']),
    matchedBy: 'email_exact',
  };
}

function demoRetry(random: SeededRandom, original: NewWorkflowRun & { id: string }, now: Date): NewWorkflowRun {
  const requestedAt = Math.min(now.getTime() - MINUTE, new Date(original.requested_at as Date).getTime() + random.int(10, 120) * MINUTE);
  return {
    id: random.uuid(),
    project_id: original.project_id,
    action_id: original.action_id,
    status: 'succeeded',
    idempotency_key: `${original.idempotency_key}:retry`,
    requested_at: new Date(requestedAt),
    started_at: new Date(requestedAt + 5000),
    completed_at: new Date(requestedAt + 65_000),
    attempts: 1,
    max_attempts: original.max_attempts ?? 3,
    params: original.params ?? {},
    result: { totalRecipients: 10, successful: 10, failed: 0 },
    retry_of: original.id,
  };
}

function demoSends(random: SeededRandom, run: NewWorkflowRun & { id: string }, now: Date): NewWorkflowSend[] {
  if (run.status === 'queued' || run.status === 'cancelled') return [];
  const count = random.int(1, 6);
  const startedAt = run.started_at ? new Date(run.started_at).getTime() : now.getTime();
  return Array.from({ length: count }, (_, i) => {
    const status =
      run.status === 'running'
        ? random.weighted<WorkflowSendStatus>([
            ['queued', 3],
            ['sent', 2],
          ])
        : random.weighted<WorkflowSendStatus>([
            ['sent', 80],
            ['failed', 8],
            ['suppressed', 7],
            ['queued', 1],
          ]);
    const createdAt = new Date(Math.min(now.getTime(), startedAt + i * 1500));
    return {
      id: random.uuid(),
      project_id: run.project_id,
      run_id: run.id,
      action_id: run.action_id,
      recipient_email: `${random.pick(FIRST_NAMES)}.${random.int(1, 400)}@${random.pick(DOMAINS)}`,
      status,
      sent_at: status === 'sent' ? new Date(createdAt.getTime() + random.int(200, 4000)) : null,
      error: status === 'failed' ? random.pick(SEND_ERRORS) : status === 'suppressed' ? 'Recipient is in cooldown (sent within 72h)' : null,
      created_at: createdAt,
    };
  });
}

function demoEvent(random: SeededRandom, project: DemoProject & { id: string }, now: Date): NewBusinessEvent {
  const eventType = random.weighted(EVENT_TYPES);
  const occurredAt = now.getTime() - random.int(60, (30 * DAY) / 1000) * 1000;
  // Most events arrive within seconds; a few arrive hours or days late (offline devices, replayed webhooks).
  const delay = random.chance(0.03) ? random.int(1, 72) * HOUR : random.int(100, 5000);
  const receivedAt = Math.min(now.getTime(), occurredAt + delay);
  const customer = `${random.pick(FIRST_NAMES)}.${random.int(1, 400)}@${random.pick(DOMAINS)}`;
  const sessionId = `sess_${random.int(100000, 999999)}`;
  const known = eventType !== 'page_viewed' || random.chance(0.3);
  return {
    project_id: project.id,
    event_type: eventType,
    occurred_at: new Date(occurredAt),
    received_at: new Date(receivedAt),
    source: SOURCES[eventType] ?? 'web',
    actor_type: known ? 'user' : null,
    actor_id: known ? `user_${random.int(1, 5000)}` : null,
    entity_type: eventType.startsWith('payment') || eventType === 'refund_issued' ? 'payment' : eventType === 'lead_created' ? 'lead' : null,
    entity_id: eventType.startsWith('payment') ? `pi_${random.int(10_000_000, 99_999_999)}` : null,
    session_id: sessionId,
    anonymous_id: known ? null : `anon_${random.int(100000, 999999)}`,
    correlation_id: random.chance(0.5) ? `corr_${random.int(100000, 999999)}` : null,
    payload: demoPayload(random, eventType, project, customer),
  };
}

function demoPayload(random: SeededRandom, eventType: string, project: DemoProject, customer: string): JsonValue {
  switch (eventType) {
    case 'payment_succeeded':
    case 'payment_failed':
    case 'refund_issued': {
      // A few payments are taken in another currency: they count as payments but not as revenue.
      const currency = random.chance(0.05) ? random.pick(['USD', 'EUR', 'GBP'].filter((c) => c !== project.currency)) : project.currency;
      const amount = Math.max(100, Math.round(project.typicalAmount * (0.4 + random.next() * 1.6)));
      return { amount, currency: random.chance(0.5) ? currency : currency.toLowerCase(), customer_email: customer };
    }
    case 'lead_created':
      return { email: customer, form: random.pick(['newsletter', 'contact', 'waitlist']) };
    case 'checkout_started':
      return { cartValue: Math.round(project.typicalAmount * (0.5 + random.next())), items: random.int(1, 6) };
    case 'subscription_started':
      return { plan: random.pick(['monthly', 'annual']), customer_email: customer };
    default:
      return { path: random.pick(['/', '/shop', '/product/beans-house-blend', '/about', '/cart']) };
  }
}

async function insertInBatches<Row>(
  label: string,
  rows: readonly Row[],
  insert: (batch: Row[]) => Promise<unknown>,
  say: (message: string) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await insert(rows.slice(i, i + BATCH));
    say(`${label}: ${Math.min(i + BATCH, rows.length)}/${rows.length}`);
  }
}
