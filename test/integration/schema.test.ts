/**
 * The migrations of this run's dialect produce exactly the schema the entities describe
 * (MariaDB's column "modify" noise from the mysql2 driver aside, see NOTES).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

it('has no schema difference left after migrating', async () => {
  const sql = await platform.services.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
  const meaningful = sql
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(set |pragma )/i.test(l) && !/^alter table `\w+` modify /i.test(l));
  expect(meaningful).toEqual([]);
});
