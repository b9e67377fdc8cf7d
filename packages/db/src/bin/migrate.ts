import { createDatabase } from '../create-database.js';
import { databaseConfigFromEnv, describeDatabase } from '../env.js';
import { migrateToLatest } from '../migrate.js';

const config = databaseConfigFromEnv(process.env);
const db = createDatabase(config);
try {
  const outcome = await migrateToLatest(db);
  const applied = outcome.results?.map((r) => r.migrationName) ?? [];
  console.log(`${describeDatabase(config)}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`);
} finally {
  await db.destroy();
}
