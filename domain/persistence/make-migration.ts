/**
 * Developer tool: writes the next migration for one dialect from the entity definitions,
 * diffing against a fresh database migrated with the existing migrations, then regenerates the
 * dialect's index.ts. Run it once per dialect:
 *   DATABASE_URL=sqlite:/tmp/fresh.sqlite    tsx domain/persistence/make-migration.ts
 *   DATABASE_URL=mysql://u:p@127.0.0.1/fresh tsx domain/persistence/make-migration.ts
 * For MySQL/MariaDB the mysql2 driver reports every nullable column as changed ("modify …"
 * without "not null"): those lines are dropped (NOTES.md). Check the result by eye.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config';
import { openOrm } from './orm';

const config = loadConfig();
const dialect = config.database.dialect;
const dir = path.resolve('domain/persistence/migrations', dialect);
const orm = await openOrm(config.database);
await orm.getMigrator().up();
await orm.close();

const writer = await openOrm(config.database, {
  migrations: { path: dir, pathTs: dir, snapshot: false, emit: 'ts', fileName: (ts) => `Migration${ts}` },
});
const result = await writer.getMigrator().createMigration(dir, false, false);
await writer.close();
if (!result.fileName) {
  console.log('schema is up to date');
  process.exit(0);
}
const file = path.join(dir, result.fileName);
if (dialect === 'mysql') {
  // Noise: statements whose every "modify" re-states a nullable column unchanged (no "not null").
  const noise = (l: string) => / modify /.test(l) && !/not null/.test(l);
  const kept = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !noise(l));
  fs.writeFileSync(file, kept.join('\n').replace(/\n{3,}/g, '\n\n'));
}
const names = fs.readdirSync(dir).filter((f) => /^Migration\d+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, '')).sort();
const constName = `${dialect.toUpperCase()}_MIGRATIONS`;
fs.writeFileSync(
  path.join(dir, 'index.ts'),
  [
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((n) => `import { ${n} } from './${n}';`),
    '',
    `export const ${constName}: MigrationObject[] = [`,
    ...names.map((n) => `  { name: '${n}', class: ${n} },`),
    '];',
    '',
  ].join('\n'),
);
console.log(`wrote ${file} and ${dialect}/index.ts`);
