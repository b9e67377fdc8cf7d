import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import type { Actor } from './auth/actor.js';
import { type Clock, databaseClock } from './clock.js';
import { defaultRollupCoordinator, type RollupCoordinator } from './kpi-health/rollup-coordinator.js';

export type Context = {
  db: Kysely<Database>;
  /** Null when the request carried no valid credentials; procedures then answer 401. */
  actor: Actor | null;
  /** Carried into logs and audit rows. */
  requestId: string | null;
  clock: Clock;
  /** The KPI rollup of this process: its settings, and the queue a trigger wakes. */
  rollup: RollupCoordinator;
};

export interface ContextOptions {
  db: Kysely<Database>;
  actor: Actor | null;
  requestId?: string | null;
  clock?: Clock;
  /** Default: one coordinator per database and clock, with the default settings (tests, scripts). */
  rollup?: RollupCoordinator;
}

/**
 * The context without any HTTP: the server's adapters build it from a request, tests build it directly.
 *
 * @example
 * const caller = createCaller(createContextInner({ db, actor: { adminId: 'ops-1', permissions: ['inhouse.read'], via: 'session' } }));
 */
export function createContextInner(options: ContextOptions): Context {
  const clock = options.clock ?? databaseClock;
  return {
    db: options.db,
    actor: options.actor,
    requestId: options.requestId ?? null,
    clock,
    rollup: options.rollup ?? defaultRollupCoordinator(options.db, clock),
  };
}

/** What a write needs from the context: an authenticated actor (the write middleware guarantees one). */
export type WriteContext = Pick<Context, 'db' | 'requestId' | 'clock'> & { actor: Actor };
