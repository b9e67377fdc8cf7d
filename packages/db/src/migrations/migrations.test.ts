import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../create-database.js';
import { migrateToLatest } from '../migrate.js';
import { migrations } from './index.js';

const names = Object.keys(migrations);

describe('migrations', () => {
  it('the barrel lists every file of the folder, in the order the Migrator applies them', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter((file) => /^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+\.ts$/.test(file) && !file.endsWith('.test.ts'))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(names).toEqual([...files].sort());
    expect(names).toEqual([...names].sort());
  });

  // A database migrated by an earlier release holds a prefix of the list (a new migration's name sorts
  // after every landed one: the Migrator refuses one that sorts before an applied one), so the one
  // before the newest upgrades to the latest.
  it('a database migrated up to the migration before the newest upgrades to the latest', async () => {
    const appliedLast = names.at(-2) as string;
    const db = createDatabase({ dataDir: 'memory' });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo(appliedLast)).error).toBeUndefined();
      const outcome = await migrateToLatest(db);
      expect(outcome.results?.map((r) => r.migrationName)).toEqual(names.slice(names.indexOf(appliedLast) + 1));
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(applied.rows.map((row) => row.name)).toEqual(names);
    } finally {
      await db.destroy();
    }
  });
});
