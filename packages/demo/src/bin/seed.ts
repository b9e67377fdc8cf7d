import { createDatabase, databaseConfigFromEnv, describeDatabase, migrateToLatest } from '@runhub/db';
import { seedDemo } from '../index.js';

const config = databaseConfigFromEnv(process.env);
const db = createDatabase(config);
try {
  await migrateToLatest(db);
  const existing = await db
    .selectFrom('projects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) {
    console.error(`${describeDatabase(config)} already has ${existing.n} projects: demo data is only loaded into an empty database.`);
    process.exitCode = 1;
  } else {
    const started = Date.now();
    let last = '';
    const summary = await seedDemo(db, {
      ...(process.env.ROLLUP_INTERVAL_MINUTES ? { intervalMinutes: Number(process.env.ROLLUP_INTERVAL_MINUTES) } : {}),
      onProgress: (message) => {
        const table = message.split(':')[0] ?? '';
        if (table !== last) process.stdout.write(last ? '\n' : '');
        last = table;
        process.stdout.write(`\r  ${message}`);
      },
    });
    process.stdout.write('\n');
    console.log(`seeded ${describeDatabase(config)} in ${Date.now() - started} ms: ${JSON.stringify(summary)}`);
  }
} finally {
  await db.destroy();
}
