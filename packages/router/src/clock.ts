import { type RawBuilder, sql } from 'kysely';

/**
 * The current time, as SQL. By default it is the database's own clock (SPEC §2: comparisons with
 * "now" use the database clock); tests swap in a fixed clock to move time at will.
 */
export interface Clock {
  now(): RawBuilder<Date>;
  /**
   * The values `now()` binds, in order: none for the database's clock, the instant for a fixed one.
   * A statement compiled once per shape (`shapedQuery`) takes its shape and parameters from it.
   */
  parameters(): readonly unknown[];
  /** Names the SQL `now()` writes, so that two clocks of one kind compile to the same statement text. */
  readonly kind: string;
}

const NO_PARAMETERS: readonly unknown[] = Object.freeze([]);

export const databaseClock: Clock = { now: () => sql<Date>`now()`, parameters: () => NO_PARAMETERS, kind: 'database' };

export interface FixedClock extends Clock {
  set(at: Date): void;
  advance(milliseconds: number): void;
  current(): Date;
}

/** A clock that stands still until told to move. */
export function fixedClock(at: Date): FixedClock {
  let current = new Date(at);
  return {
    now: () => sql<Date>`${current.toISOString()}::timestamptz`,
    parameters: () => [current.toISOString()],
    kind: 'fixed',
    set: (next) => {
      current = new Date(next);
    },
    advance: (milliseconds) => {
      current = new Date(current.getTime() + milliseconds);
    },
    current: () => new Date(current),
  };
}
