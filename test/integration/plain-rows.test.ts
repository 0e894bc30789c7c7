// @sqlite-too: plain-SQL rows and their type conversions per dialect.
/**
 * Plain-SQL rows (domain/persistence/plain-rows.ts) on the run's database (SQLite or MariaDB): what
 * they read equals what `em.find` reads, for every column type the entities use (strings, integers,
 * doubles, booleans, JSON, timestamps, nulls, id references), and what they write reads back through
 * the ORM unchanged. Lazy columns stay unread, as with the ORM.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { findRow, findRows, insertRow } from '../../domain/persistence/plain-rows';
import { TemplateGenerationSchema, type TemplateGeneration } from '../../domain/templates/template-generation.entity';
import { startContractThroughDomain } from '../harness/domain-contracts';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

it('reads a contract and its participants exactly as the ORM does (dates, integers, doubles, booleans, nulls)', async () => {
  const [initiator, a, b] = [await createUser(platform.services, '冯读取'), await createUser(platform.services, '张读取'), await createUser(platform.services, '李读取')];
  const started = await startContractThroughDomain(platform, initiator, {
    title: '读取核对',
    participants: [
      { kind: 'person', step: 1, mobile: a.mobile, name: a.name, canRefuse: true, marks: [{ kind: 'name_seal', page: 1, x: 100.5, y: 600.25 }] },
      { kind: 'person', step: 2, mobile: b.mobile, name: b.name, marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
    ],
  }, await makePdf(1));

  const viaOrm = await em().findOneOrFail(ContractSchema, { id: started.id });
  const viaSql = await findRow(em(), ContractSchema, { id: started.id });
  expect(viaSql).toEqual({ ...viaOrm });
  expect(viaSql!.createdAt).toBeInstanceOf(Date);
  expect(viaSql!.createdAt.getTime()).toBe(viaOrm.createdAt.getTime());

  const signersOrm = await em().find(ContractSignerSchema, { contractId: started.id }, { orderBy: { order: 'desc' } });
  const signersSql = await findRows(em(), ContractSignerSchema, { contractId: started.id }, { orderBy: [['order', 'desc']] });
  expect(signersSql.map((s) => ({ ...s }))).toEqual(signersOrm.map((s) => ({ ...s })));
  expect(signersSql.map((s) => s.canRefuse)).toEqual([false, true]);

  // Filters: null, a list, an empty list, and a limit.
  expect(await findRows(em(), ContractSignerSchema, { contractId: started.id, signedAt: null })).toHaveLength(2);
  expect((await findRows(em(), ContractSignerSchema, { id: signersOrm.map((s) => s.id) })).map((s) => s.id).sort()).toEqual(signersOrm.map((s) => s.id).sort());
  expect(await findRows(em(), ContractSignerSchema, { id: [] })).toEqual([]);
  expect(await findRows(em(), ContractSignerSchema, { contractId: started.id }, { limit: 1 })).toHaveLength(1);
  expect(await findRow(em(), ContractSchema, { id: randomUUID() })).toBeNull();
});

it('writes a row the ORM reads back unchanged (JSON, timestamps with milliseconds, nulls) and reads what the ORM wrote', async () => {
  const written: TemplateGeneration = {
    id: randomUUID(),
    templateId: randomUUID(),
    templateVersion: 3,
    purpose: 'preview',
    requestedBy: null,
    values: { 甲方: '上海某某有限公司', amount: '1,000.50' },
    status: 'done',
    resultKey: null,
    pages: [{ width: 595.28, height: 841.89 }],
    roleMarks: null,
    errorCode: null,
    errorMessage: null,
    errorMessageEn: null,
    errorKind: null,
    createdAt: new Date('2026-12-04T01:02:03.456Z'),
    finishedAt: null,
  };
  await insertRow(em(), TemplateGenerationSchema, written);
  expect({ ...(await em().findOneOrFail(TemplateGenerationSchema, { id: written.id })) }).toEqual(written);
  expect(await findRow(em(), TemplateGenerationSchema, { id: written.id })).toEqual(written);

  const user = await createUser(platform.services, '王通知');
  const e = em();
  const notice = e.create(NotificationSchema, { id: randomUUID(), userId: user.id, enterpriseId: null, kind: 'test', title: '标题', body: '正文', link: null, createdAt: new Date(), readAt: null });
  await e.flush();
  expect(await findRow(em(), NotificationSchema, { userId: user.id })).toEqual({ ...notice });
});

it('leaves lazy columns unread, like the ORM, and refuses to write an entity with hooks', async () => {
  const knex = (platform.services.orm.em as unknown as { getKnex(): { on(e: 'query', f: (q: { sql: string }) => void): void; off(e: 'query', f: (q: { sql: string }) => void): void } }).getKnex();
  const seen: string[] = [];
  const listen = (q: { sql: string }) => seen.push(q.sql);
  knex.on('query', listen);
  try {
    expect(await findRow(em(), CertificateOrderSchema, { id: randomUUID() })).toBeNull();
  } finally {
    knex.off('query', listen);
  }
  const read = seen.find((sql) => sql.includes('certificate_orders'));
  expect(read).toMatch(/csr_pem/);
  expect(read).not.toMatch(/private_key_encrypted/);
  // Its live key is set by a hook (persistence/live-key.ts): a plain insert would skip it.
  await expect(insertRow(em(), CertificateOrderSchema, { id: randomUUID() } as never)).rejects.toThrow(/hooks/);
});
