import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import type { Actor } from './auth/actor.js';
import { type Clock, databaseClock } from './clock.js';

/** The KPI rollup's settings that requests read: the schedule and when a project turns stale. */
export interface RollupSettings {
  /** `ROLLUP_INTERVAL_MINUTES`. */
  intervalMinutes: number;
  /** `KPI_STALE_AFTER_MINUTES`. */
  staleAfterMinutes: number;
}

/**
 * What a request may ask of the KPI rollup: its settings, and a wake-up after a trigger committed
 * its queued run. The rollup itself (engine, queue, lock) is created once by the server and
 * passed in; a request never runs it.
 */
export interface RollupAccess {
  readonly settings: RollupSettings;
  /** Starts executing queued runs in the background, behind any running one. Never throws. */
  wake(): void;
}

export type Context = {
  db: Kysely<Database>;
  /** Null when the request carried no valid credentials; procedures then answer 401. */
  actor: Actor | null;
  /** Carried into logs and audit rows. */
  requestId: string | null;
  clock: Clock;
  rollup: RollupAccess;
  /**
   * Runs a procedure call in the request's turn: `/trpc` gives each HTTP request one, so the calls
   * of a batch run one after another and a single request never holds more than one database
   * connection. Absent (a direct caller, REST): calls run as they come.
   */
  serialize?: Serialize;
};

/** Runs `call` after every call handed to it before has settled. */
export type Serialize = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * A queue of one: each call starts once the previous has settled, whatever its outcome.
 *
 * @example
 * const serialize = createSerialQueue();
 * await Promise.all([serialize(() => a()), serialize(() => b())]); // b starts after a
 */
export function createSerialQueue(): Serialize {
  let tail: Promise<unknown> = Promise.resolve();
  return (call) => {
    const result = tail.then(call);
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
}

export interface ContextOptions {
  db: Kysely<Database>;
  actor: Actor | null;
  rollup: RollupAccess;
  requestId?: string | null;
  /** Default: the database's clock. */
  clock?: Clock;
  /** See `Context.serialize`. */
  serialize?: Serialize;
}

/**
 * The context without any HTTP: the server builds it from a request, tests build it directly.
 *
 * @example
 * const caller = createCaller(createContextInner({ db, rollup, actor: { adminId: 'ops-1', permissions: ['inhouse.read'], via: 'session' } }));
 */
export function createContextInner(options: ContextOptions): Context {
  return {
    db: options.db,
    actor: options.actor,
    requestId: options.requestId ?? null,
    clock: options.clock ?? databaseClock,
    rollup: options.rollup,
    ...(options.serialize ? { serialize: options.serialize } : {}),
  };
}

/** What a write needs from the context: an authenticated actor (the write middleware guarantees one). */
export type WriteContext = Pick<Context, 'db' | 'requestId' | 'clock'> & { actor: Actor };
