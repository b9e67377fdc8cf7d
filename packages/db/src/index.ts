export { createDatabase, databaseKind, type DatabaseConfig, type DatabaseKind } from './create-database.js';
export { migrateToLatest } from './migrate.js';
export { migrations } from './migrations/index.js';
export { seedDemoData, type SeedOptions, type SeedSummary } from './seed/demo-data.js';
export * from './schema.js';
export { databaseConfigFromEnv, describeDatabase } from './env.js';
