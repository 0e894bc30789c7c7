// @sqlite-too: MikroORM change tracking of datetime columns differs by dialect.
/**
 * Change tracking on both dialects: reading an entity and flushing writes nothing, and a changed
 * timestamp is still written. (On SQLite MikroORM used to see every `datetime` column as changed,
 * so each flush after a read rewrote it: a write transaction per loaded row, see orm.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

/**
 * The SQL statements run through the ORM's connection while `fn` runs. The connection is shared:
 * the worker's statements meanwhile are caught too, so callers look at the tables they touch.
 */
async function statementsOf(fn: (em: ReturnType<TestPlatform['services']['orm']['em']['fork']>) => Promise<void>): Promise<string[]> {
  const em = platform.services.orm.em.fork();
  const seen: string[] = [];
  const connection = em.getConnection() as unknown as { executeQuery(sql: string, ...rest: unknown[]): Promise<unknown> };
  const original = connection.executeQuery.bind(connection);
  connection.executeQuery = (sql: string, ...rest: unknown[]) => {
    seen.push(sql);
    return original(sql, ...rest);
  };
  try {
    await fn(em);
  } finally {
    connection.executeQuery = original;
  }
  return seen;
}

it('a read followed by a flush writes nothing, for rows with timestamps', async () => {
  const user = await createUser(platform.services, '李读取');
  const api = new ApiClient(platform.baseUrl);
  await api.login(user.mobile, TEST_PASSWORD);
  const form = new FormData();
  form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'c.pdf');
  form.append('spec', JSON.stringify({ title: '只读检查', participants: [{ kind: 'person', step: 1, mobile: user.mobile, name: user.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }] }));
  const started = await api.post('/contracts', form);
  expect(started.status, JSON.stringify(started.json)).toBe(201);
  // The contract's workflow writes its own rows (activation, notices): let it settle first.
  await eventually(async () => (await platform.services.orm.em.fork().findOne(ContractSchema, { id: started.json.id }))?.status === 'in_progress', 15_000, 'contract in progress');

  const sql = await statementsOf(async (em) => {
    await em.findOneOrFail(UserSchema, { id: user.id });
    await em.findOneOrFail(ContractSchema, { id: started.json.id });
    await em.flush();
  });
  expect(sql.filter((s) => /^\s*(update|insert|delete)/i.test(s) && /[`"\s](users|contracts)[`"\s]/i.test(s))).toEqual([]);
});

it('a changed timestamp is written', async () => {
  const user = await createUser(platform.services, '李改时');
  const later = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
  const sql = await statementsOf(async (em) => {
    const row = await em.findOneOrFail(UserSchema, { id: user.id });
    row.createdAt = later;
    await em.flush();
  });
  expect(sql.filter((s) => /^\s*update/i.test(s))).toHaveLength(1);
  const reread = await platform.services.orm.em.fork().findOneOrFail(UserSchema, { id: user.id });
  expect(reread.createdAt.getTime()).toBe(later.getTime());
});
