// @sqlite-too: LIKE needs an explicit ESCAPE clause on SQLite (MariaDB escapes with a backslash by default).
/**
 * Searches by "contains" treat the user's `%`, `_` and `\` as text on both dialects: the enterprise picker of
 * 发起合同, the 加入企业 search and the operators' certificate-order search (domain/persistence/sql-dialect.ts
 * containsText). On SQLite, MikroORM's `$like` with backslash-escaped wildcards used to find nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { lookupEnterprises } from '../../domain/contracts/enterprise-lookup';
import { searchCertifiedEnterprises } from '../../domain/enterprises/join-enterprise';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const RUN = randomUUID().slice(0, 6);
const NAMES = {
  percent: `通配${RUN}50%科技有限公司`,
  fifty: `通配${RUN}500科技有限公司`,
  underscore: `通配${RUN}甲_乙科技有限公司`,
  letter: `通配${RUN}甲丙乙科技有限公司`,
  backslash: `通配${RUN}左\\右科技有限公司`,
};
let platform: TestPlatform;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const name of Object.values(NAMES)) await createCertifiedEnterprise(platform.services, await createUser(platform.services, '通配法人'), name);
});

describe('contains-searches take wildcards literally', () => {
  it('发起合同 enterprise picker: "50%" finds 50%…, not 500…; "_" and "\\" are characters', async () => {
    const names = async (q: string) => (await lookupEnterprises(em(), q)).map((e) => e.name);
    expect(await names(`${RUN}50%`)).toEqual([NAMES.percent]);
    expect(await names(`${RUN}甲_乙`)).toEqual([NAMES.underscore]);
    expect(await names(`${RUN}左\\右`)).toEqual([NAMES.backslash]);
    expect((await names(`通配${RUN}`)).sort()).toEqual(Object.values(NAMES).sort());
  });

  it('加入企业 search: the same', async () => {
    const names = async (q: string) => (await searchCertifiedEnterprises(em(), q)).map((e) => e.name);
    expect(await names(`${RUN}50%`)).toEqual([NAMES.percent]);
    expect(await names(`${RUN}甲_乙`)).toEqual([NAMES.underscore]);
    expect(await names('%%')).toEqual([]);
  });
});
