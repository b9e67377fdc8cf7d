export { createDatabase, type DatabaseConfig, type DatabaseKind, databaseKind } from './create-database.js';
export { databaseConfigFromEnv, describeDatabase } from './env.js';
export { migrateToLatest } from './migrate.js';
export { migrations } from './migrations/index.js';
export * from './schema.js';
