import type { DatabaseConfig } from './create-database.js';

/** The database settings of SPEC §6, read from an environment (for the command-line tools). */
export function databaseConfigFromEnv(env: Readonly<Record<string, string | undefined>>): DatabaseConfig {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.RUNHUB_DATA_DIR || '.runhub',
  };
}

/** Where the database lives, for messages: never the password of a connection string. */
export function describeDatabase(config: DatabaseConfig): string {
  if (!config.url) return `embedded PGlite in ${config.dataDir ?? '.runhub'}/pglite`;
  try {
    const url = new URL(config.url);
    return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
