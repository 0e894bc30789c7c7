// @sqlite-too: the migrations of each dialect against the entities.
/**
 * The migrations of this run's dialect produce exactly the schema the entities describe
 * (MariaDB's column "modify" noise from the mysql2 driver aside, see NOTES; and MariaDB's own
 * CHECK (json_valid(col)) on every JSON column, named after the column, which the mysql2 driver
 * wants to drop: ignored for JSON columns only).
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
  const jsonColumns = new Set(
    Object.values(platform.services.orm.getMetadata().getAll()).flatMap((meta) =>
      Object.values(meta.properties).flatMap((p) => (/json/i.test(`${String(p.type)} ${p.columnTypes?.join(' ') ?? ''}`) ? p.fieldNames.map((f) => `${meta.tableName}.${f}`) : [])),
    ),
  );
  const mariaJsonCheck = (l: string) => {
    const m = /^alter table `(\w+)` drop constraint `?(\w+)`?;$/i.exec(l);
    return !!m && jsonColumns.has(`${m[1]}.${m[2]}`);
  };
  const meaningful = sql
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(set |pragma )/i.test(l) && !/^alter table `\w+` modify /i.test(l) && !mariaJsonCheck(l));
  expect(meaningful).toEqual([]);
});

it('refuses rows that point at missing parents (foreign keys on both dialects)', async () => {
  const { MembershipSchema } = await import('../../domain/enterprises/membership.entity');
  const { ForeignKeyConstraintViolationException } = await import('@mikro-orm/core');
  const em = platform.services.orm.em.fork();
  const row = { id: crypto.randomUUID(), enterpriseId: crypto.randomUUID(), userId: crypto.randomUUID(), role: 'member' as const, businessTypes: '[]', status: 'pending' as const, message: null, rejectReason: null, appliedAt: new Date(), decidedAt: null, decidedBy: null };
  await expect(em.insert(MembershipSchema, row)).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
});

it('refuses contract rows that point at a missing contract, and accepts them once it exists', async () => {
  const { UserSchema } = await import('../../domain/identity/user.entity');
  const { ContractSchema } = await import('../../domain/contracts/contract.entity');
  const { ContractSignerSchema } = await import('../../domain/contracts/contract-signer.entity');
  const { DocumentVersionSchema } = await import('../../domain/contracts/document-version.entity');
  const { ForeignKeyConstraintViolationException } = await import('@mikro-orm/core');
  const em = platform.services.orm.em.fork();
  const userId = crypto.randomUUID();
  await em.insert(UserSchema, { id: userId, mobile: `139${Date.now() % 1e8}`.padEnd(11, '0'), name: 'FK 测试', email: null, passwordHash: 'x', platformRole: null, realNameStatus: 'unverified', createdAt: new Date() });
  const contractId = crypto.randomUUID();
  const signer = { id: crypto.randomUUID(), contractId, order: 1, userId, name: 'FK 测试', mobile: '13900000000', status: 'pending' as const, signedAt: null, page: 1, x: 0.5, y: 0.5, fieldName: 'sig1' };
  const version = { id: crypto.randomUUID(), contractId, version: 0, storageKey: 'k', sha256: '0'.repeat(64), size: 1, signerId: null, createdAt: new Date() };
  await expect(em.insert(ContractSignerSchema, signer)).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
  await expect(em.insert(DocumentVersionSchema, version)).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
  const now = new Date();
  await em.insert(ContractSchema, { id: contractId, title: 'FK', status: 'starting', voidReason: null, initiatorId: userId, initiatorEnterpriseId: null, pageCount: 1, documentVersion: 0, createdAt: now, expiresAt: now, completedAt: null, voidedAt: null });
  await em.insert(ContractSignerSchema, signer);
  await em.insert(DocumentVersionSchema, version);
  await expect(em.insert(DocumentVersionSchema, { ...version, id: crypto.randomUUID(), version: 1, signerId: crypto.randomUUID() })).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
});
