/**
 * Developer tool: writes the next migration for one dialect from the entity definitions,
 * diffing against a database migrated with the existing migrations.
 *   DATABASE_URL=sqlite:/tmp/fresh.sqlite    tsx domain/persistence/make-migration.ts
 *   DATABASE_URL=mysql://u:p@127.0.0.1/fresh tsx domain/persistence/make-migration.ts
 * Then add the new class to that dialect's index.ts.
 */
import path from 'node:path';
import { loadConfig } from '../../config';
import { openOrm } from './orm';

const config = loadConfig();
const dir = path.resolve('domain/persistence/migrations', config.database.dialect);
const orm = await openOrm(config.database);
await orm.getMigrator().up();
await orm.close();

const writer = await openOrm(config.database, {
  migrations: { path: dir, pathTs: dir, snapshot: false, emit: 'ts', fileName: (ts) => `Migration${ts}` },
});
const result = await writer.getMigrator().createMigration(dir, false, false);
console.log(result.fileName ? `wrote ${path.join(dir, result.fileName)}` : 'schema is up to date');
await writer.close();
