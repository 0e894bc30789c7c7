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

it('refuses rows that point at missing parents (foreign keys on both dialects)', async () => {
  const { MembershipSchema } = await import('../../domain/enterprises/membership.entity');
  const { ForeignKeyConstraintViolationException } = await import('@mikro-orm/core');
  const em = platform.services.orm.em.fork();
  const row = { id: crypto.randomUUID(), enterpriseId: crypto.randomUUID(), userId: crypto.randomUUID(), role: 'member' as const, businessTypes: '[]', status: 'pending' as const, message: null, rejectReason: null, appliedAt: new Date(), decidedAt: null, decidedBy: null };
  await expect(em.insert(MembershipSchema, row)).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
});
