import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

export interface DatabaseConfig {
  /** A PostgreSQL connection string. Without one, the embedded PGlite database is used. */
  url?: string | undefined;
  /**
   * Where the embedded database keeps its files (`<dataDir>/pglite`), or `'memory'` for a
   * throwaway in-memory database. Ignored when `url` is given. Default `.runhub`.
   */
  dataDir?: string | undefined;
  /** Bound on any statement and on opening a connection, so a stuck database fails fast. */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number | undefined;
  /** Called when an idle pooled connection dies (the pool replaces it on the next query). */
  onConnectionError?: ((error: Error) => void) | undefined;
}

export type DatabaseKind = 'postgres' | 'pglite';

/** PostgreSQL type OIDs whose parsing differs between `pg` and PGlite. */
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

const MAX_CONNECT_MS = 10_000;

/**
 * One decision for both drivers: bigints, counts and sums are JS numbers (ids, cents and counts
 * stay far below 2^53), and a `date` is its `YYYY-MM-DD` text (never a Date shifted by a time zone).
 */
const toNumber = (value: string): number => Number(value);
const asText = (value: string): string => value;

const kinds = new WeakMap<Kysely<Database>, DatabaseKind>();

/**
 * Opens the database: PostgreSQL through `pg` when `url` is set, embedded PGlite otherwise.
 * Nothing is connected until the first query. Close it with `db.destroy()`.
 *
 * @example
 * const db = createDatabase({ url: process.env.DATABASE_URL });
 * await migrateToLatest(db);
 */
export function createDatabase(config: DatabaseConfig = {}): Kysely<Database> {
  const db = config.url ? openPostgres(config.url, config) : openPglite(config);
  kinds.set(db, config.url ? 'postgres' : 'pglite');
  return db;
}

/** Which engine a database made by `createDatabase` runs on. */
export function databaseKind(db: Kysely<Database>): DatabaseKind {
  return kinds.get(db) ?? 'postgres';
}

function openPostgres(url: string, config: DatabaseConfig): Kysely<Database> {
  const parsers: Record<number, (value: string) => unknown> = {
    [OID.INT8]: toNumber,
    [OID.NUMERIC]: toNumber,
    [OID.DATE]: asText,
  };
  const timeout = config.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? 10,
    // Opening a connection is bounded separately: even a pool allowed long statements (the rollup's)
    // must notice an unreachable database within seconds.
    ...(timeout ? { statement_timeout: timeout, connectionTimeoutMillis: Math.min(timeout, MAX_CONNECT_MS), query_timeout: timeout + 1000 } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection that dies (restart, failover, network cut) emits 'error'; without a listener that
  // crashes the process. The pool listens only while a client is idle, so every client gets its own
  // listener too: the query in flight fails on its own and the pool replaces the client.
  const onError = (error: Error) => config.onConnectionError?.(error);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function openPglite(config: DatabaseConfig): Kysely<Database> {
  const dataDir = config.dataDir ?? '.runhub';
  const parsers = { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: asText };
  let client: PGlite;
  if (dataDir === 'memory') {
    client = new PGlite({ parsers });
  } else {
    const folder = join(dataDir, 'pglite');
    mkdirSync(folder, { recursive: true });
    client = new PGlite(folder, { parsers });
  }
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}
