// @sqlite-too: LIKE needs an explicit ESCAPE clause on SQLite (MariaDB escapes with a backslash by default).
/**
 * Searches by "contains" treat the user's `%`, `_` and `\` as text on both dialects: the enterprise picker of
 * 发起合同, the 加入企业 search, the operators' certificate-order search, the contract lists (待我签署 …) and templates (domain/persistence/sql-dialect.ts
 * containsText). On SQLite, MikroORM's `$like` with backslash-escaped wildcards used to find nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { lookupEnterprises } from '../../domain/contracts/enterprise-lookup';
import { searchCertifiedEnterprises } from '../../domain/enterprises/join-enterprise';
import { ContractListEntrySchema } from '../../domain/contracts/lists/contract-list-entry.entity';
import { listPage } from '../../domain/contracts/lists/list-page';
import { listTemplates, templateListQuerySchema } from '../../domain/templates/list-templates';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { listEntry } from '../harness/list-entries';
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

  it('待我签署 and the other lists: a title search for "50%" finds 50%…, not 500…; "_" and "\\" are characters', async () => {
    const party = { type: 'user' as const, id: randomUUID() };
    const titles = Object.values(NAMES).map((n) => n.replace('科技有限公司', '合同'));
    await em().insertMany(ContractListEntrySchema, titles.map((title, i) => ({ ...listEntry(party.id, 'todo', i), title })));
    const found = async (q: string) => (await listPage(em(), party, { box: 'todo', q, limit: 20 })).rows.map((r) => r.title).sort();
    expect(await found(`${RUN}50%`)).toEqual([titles[0]]);
    expect(await found(`${RUN}甲_乙`)).toEqual([titles[2]]);
    expect(await found(`${RUN}左\\右`)).toEqual([titles[4]]);
    expect(await found(`通配${RUN}`)).toEqual([...titles].sort());
  });

  it('templates: a name search for "50%" finds 50%…, not 500…; "_" is a character', async () => {
    const owner = await createUser(platform.services, '模板通配');
    const names = Object.values(NAMES).map((n) => n.replace('科技有限公司', '模板'));
    const now = new Date();
    await em().insertMany(
      DocumentTemplateSchema,
      names.map((name) => ({ id: randomUUID(), ownerType: 'user' as const, ownerId: owner.id, kind: 'word' as const, name, businessType: null, scenario: null, status: 'draft' as const, enabled: true, sourceKey: 'x', sourceSha256: '0'.repeat(64), sourcePages: null, tags: null, definition: { fields: [], roles: [] }, version: 1, createdBy: owner.id, createdAt: now, updatedAt: now, publishedAt: null })),
    );
    const actor = { id: owner.id, name: owner.name, ip: null, acting: null };
    const found = async (q: string) => (await listTemplates(em(), actor, templateListQuerySchema.parse({ q }))).data.map((t) => t.name).sort();
    expect(await found(`${RUN}50%`)).toEqual([names[0]]);
    expect(await found(`${RUN}甲_乙`)).toEqual([names[2]]);
    expect(await found(`通配${RUN}`)).toEqual([...names].sort());
  });
});
