// @sqlite-too: library fields are read with a locking read, which differs by dialect.
/**
 * 模板字段管理 (M20) over HTTP on a real database: the owner party rule (personal library vs the
 * acting enterprise's), the console role for managing an enterprise's library, another party's ids
 * → 404, validation (type rules, default value of the type), duplicate names → 409 (also when
 * parallel requests race: the unique index decides), parallel edits of one field (the later write
 * from an overtaken read is 409), and an audit row per change.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { deleteLibraryField, LIBRARY_FIELDS_MAX, updateLibraryField } from '../../domain/templates/library-fields';
import { forkRacedBeforeWrite, outcomeOf } from '../harness/race-hooks';
import { LibraryFieldSchema } from '../../domain/templates/library-field.entity';
import { ApiClient } from '../harness/http-client';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { loggedInUser } from '../harness/signed-in-users';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

const loggedIn = (name: string, role: 'operator' | null = null) => loggedInUser(platform, name, role);

/** An enterprise with its admin, a seal admin and a plain member, each acting for it. */
async function enterpriseWithTeam(name: string) {
  const admin = await loggedIn(`${name}管理员`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin.user, name);
  const sealAdmin = await loggedIn(`${name}印章管理员`);
  const member = await loggedIn(`${name}员工`);
  await addMember(platform.services, enterprise.id, admin.user, sealAdmin.user, 'seal_admin');
  await addMember(platform.services, enterprise.id, admin.user, member.user, 'member');
  for (const p of [admin, sealAdmin, member]) expect((await p.c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  return { enterprise, admin, sealAdmin, member };
}

const put = (c: ApiClient, path: string, body: unknown) => c.request('PUT', path, body);
const del = (c: ApiClient, path: string) => c.request('DELETE', path);
const field = (name: string, over: Record<string, unknown> = {}) => ({ name, type: 'text', required: false, maxLength: null, defaultValue: null, ...over });

describe('template field library', () => {
  it('keeps a personal library and an enterprise library apart; every member lists the enterprise one, only the console role manages it', async () => {
    const team = await enterpriseWithTeam('字段库科技有限公司');
    // A user acting personally has an own library.
    const person = await loggedIn('个人字段用户');
    const own = await person.c.post('/template-fields', field('个人备注', { type: 'multiline', maxLength: 500, defaultValue: '无' }));
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({ name: '个人备注', type: 'multiline', required: false, maxLength: 500, defaultValue: '无' });

    const created = await team.sealAdmin.c.post('/template-fields', field('交货地点', { required: true }));
    expect(created.status).toBe(201);
    const amount = await team.admin.c.post('/template-fields', field('合同金额', { type: 'amount', defaultValue: '1,000.5' }));
    expect(amount.status).toBe(201);

    const seenByMember = await team.member.c.get('/template-fields');
    expect(seenByMember.status).toBe(200);
    expect(seenByMember.json.total).toBe(2);
    expect(seenByMember.json.data.map((f: { name: string }) => f.name).sort()).toEqual(['交货地点', '合同金额'].sort());
    expect((await person.c.get('/template-fields')).json.data.map((f: { name: string }) => f.name)).toEqual(['个人备注']);
    expect((await team.admin.c.get('/template-fields?type=amount')).json.data.map((f: { name: string }) => f.name)).toEqual(['合同金额']);
    expect((await team.admin.c.get(`/template-fields?q=${encodeURIComponent('地点')}`)).json.total).toBe(1);

    // A plain member may not manage the enterprise's library.
    const refused = await team.member.c.post('/template-fields', field('付款方式'));
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('TEMPLATE_MANAGE_FORBIDDEN');
    expect((await put(team.member.c, `/template-fields/${created.json.id}`, field('交货地址'))).status).toBe(403);
    expect((await del(team.member.c, `/template-fields/${created.json.id}`)).status).toBe(403);

    // Another party's ids are simply not found, in both directions.
    expect((await put(person.c, `/template-fields/${created.json.id}`, field('偷改'))).status).toBe(404);
    expect((await del(person.c, `/template-fields/${created.json.id}`)).status).toBe(404);
    const other = await enterpriseWithTeam('另一家字段库公司');
    const foreign = await put(other.admin.c, `/template-fields/${own.json.id}`, field('偷改'));
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('TEMPLATE_FIELD_NOT_FOUND');
    expect((await del(other.admin.c, `/template-fields/${created.json.id}`)).status).toBe(404);
    expect((await other.member.c.get('/template-fields')).json.total).toBe(0);
    // The same name in another party's library is fine.
    expect((await other.admin.c.post('/template-fields', field('交货地点'))).status).toBe(201);

    // Edit (rename + rules) and delete, each with an audit row naming the enterprise.
    const edited = await put(team.admin.c, `/template-fields/${created.json.id}`, field('交货地址', { required: true, maxLength: 100, defaultValue: '上海' }));
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ id: created.json.id, name: '交货地址', maxLength: 100, defaultValue: '上海' });
    expect((await del(team.sealAdmin.c, `/template-fields/${amount.json.id}`)).status).toBe(204);
    expect((await del(team.sealAdmin.c, `/template-fields/${amount.json.id}`)).status).toBe(404);
    expect((await team.member.c.get('/template-fields')).json.data.map((f: { name: string }) => f.name)).toEqual(['交货地址']);

    const audit = await em().find(AuditEventSchema, { targetType: 'template_field', enterpriseId: team.enterprise.id }, { orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['template_field.created', team.sealAdmin.user.id],
      ['template_field.created', team.admin.user.id],
      ['template_field.updated', team.admin.user.id],
      ['template_field.deleted', team.sealAdmin.user.id],
    ]);
    expect(JSON.parse(audit[2]!.detail!)).toMatchObject({ name: '交货地址', previousName: '交货地点', changed: ['name', 'maxLength', 'defaultValue'] });
    const personal = await em().find(AuditEventSchema, { targetType: 'template_field', targetId: own.json.id });
    expect(personal.map((a) => [a.action, a.enterpriseId])).toEqual([['template_field.created', null]]);
  });

  it('checks the field rules with zh-CN and English messages', async () => {
    const { c } = await loggedIn('字段规则用户');
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [field(''), 400, 'VALIDATION_FAILED', /请填写字段名称/],
      [field('名'.repeat(41)), 400, 'VALIDATION_FAILED', /不能超过 40/],
      [field('类型', { type: 'image' }), 400, 'VALIDATION_FAILED', /字段类型不正确/],
      [field('金额', { type: 'amount', maxLength: 10 }), 400, 'TEMPLATE_FIELD_INVALID', /只有文本字段可以设置长度限制/],
      [field('日期', { type: 'date', defaultValue: '2026-02-30' }), 400, 'TEMPLATE_FIELD_INVALID', /默认值不是有效的日期/],
      [field('金额', { type: 'amount', defaultValue: '-1' }), 400, 'TEMPLATE_FIELD_INVALID', /默认值不能为负数/],
      [field('短文本', { maxLength: 2, defaultValue: '太长了' }), 400, 'TEMPLATE_FIELD_INVALID', /默认值不能超过 2 个字符/],
      [{ ...field('多余'), extra: 1 }, 400, 'VALIDATION_FAILED', /./],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await c.post('/template-fields', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.code).toBe(code);
      expect(r.json.error.message).toMatch(message);
      expect(r.json.error.messageEn).toBeTruthy();
    }
    expect((await c.get('/template-fields')).json.total).toBe(0);
  });

  it('refuses a duplicate name with 409, also for parallel creates and renames (the unique index decides)', async () => {
    const team = await enterpriseWithTeam('并发字段公司');
    expect((await team.admin.c.post('/template-fields', field('甲方名称'))).status).toBe(201);
    const dup = await team.sealAdmin.c.post('/template-fields', field('  甲方名称 '));
    expect(dup.status).toBe(409);
    expect(dup.json.error).toMatchObject({ code: 'TEMPLATE_FIELD_NAME_TAKEN', message: '字段库中已有名为「甲方名称」的字段' });

    const other = await team.admin.c.post('/template-fields', field('乙方名称'));
    expect((await put(team.admin.c, `/template-fields/${other.json.id}`, field('甲方名称'))).status).toBe(409);

    for (let round = 0; round < 3; round++) {
      const name = `并发字段${round}`;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? team.admin : team.sealAdmin).c.post('/template-fields', field(name))));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(7);
      for (const r of results.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('TEMPLATE_FIELD_NAME_TAKEN');
      expect(await em().count(LibraryFieldSchema, { ownerType: 'enterprise', ownerId: team.enterprise.id, name })).toBe(1);
      expect(await em().count(AuditEventSchema, { targetType: 'template_field', action: 'template_field.created', enterpriseId: team.enterprise.id, detail: { $like: `%${name}%` } })).toBe(1);
    }

    // The library's cap holds under a parallel burst: 3 places left, 8 creations at once.
    const filler = em();
    const now = new Date();
    const existing = await em().count(LibraryFieldSchema, { ownerType: 'enterprise', ownerId: team.enterprise.id });
    for (let i = existing; i < LIBRARY_FIELDS_MAX - 3; i++) filler.create(LibraryFieldSchema, { id: randomUUID(), ownerType: 'enterprise', ownerId: team.enterprise.id, name: `填充${i}`, type: 'text', required: false, maxLength: null, defaultValue: null, createdAt: now, updatedAt: now });
    await filler.flush();
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? team.admin : team.sealAdmin).c.post('/template-fields', field(`上限字段${i}`))));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of burst.filter((x) => x.status !== 201)) expect(r.json.error.code).toBe('TEMPLATE_FIELDS_LIMIT');
    expect(await em().count(LibraryFieldSchema, { ownerType: 'enterprise', ownerId: team.enterprise.id })).toBe(LIBRARY_FIELDS_MAX);
    await em().nativeDelete(LibraryFieldSchema, { ownerType: 'enterprise', ownerId: team.enterprise.id, name: { $like: '填充%' } });

    // Parallel renames of two fields to the same new name: one wins.
    const a = await team.admin.c.post('/template-fields', field('字段A'));
    const b = await team.admin.c.post('/template-fields', field('字段B'));
    const renames = await Promise.all([put(team.admin.c, `/template-fields/${a.json.id}`, field('同名')), put(team.sealAdmin.c, `/template-fields/${b.json.id}`, field('同名'))]);
    expect(renames.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await em().count(LibraryFieldSchema, { ownerType: 'enterprise', ownerId: team.enterprise.id, name: '同名' })).toBe(1);
  });
});

describe('parallel edits of one library field', () => {
  it('an edit from a read another edit has overtaken is 409, and the row stays a whole definition (never a number field with a text length)', async () => {
    const { user, c } = await loggedIn('字段并发编辑用户');
    const created = await c.post('/template-fields', field('并发字段'));
    expect(created.status).toBe(201);
    const actor = { id: user.id, name: user.name, ip: null, acting: null };
    const id = created.json.id as string;
    // B read the text field; A changes it to a number field before B writes its maxLength.
    const b = forkRacedBeforeWrite(platform.services.orm.em, () => updateLibraryField(em(), actor, id, field('并发字段', { type: 'number' }) as never));
    expect(await outcomeOf(updateLibraryField(b, actor, id, field('并发字段', { maxLength: 50 }) as never))).toBe('conflict CONCURRENT_CHANGE');
    expect(await em().findOneOrFail(LibraryFieldSchema, { id })).toMatchObject({ type: 'number', maxLength: null });
    expect(await em().count(AuditEventSchema, { action: 'template_field.updated', targetId: id })).toBe(1);
    // Read again, the edit goes through.
    expect(await outcomeOf(updateLibraryField(em(), actor, id, field('并发字段', { maxLength: 50 }) as never))).toBe('ok');
    expect(await em().findOneOrFail(LibraryFieldSchema, { id })).toMatchObject({ type: 'text', maxLength: 50 });
  });

  it('two parallel deletes of a field: one deletes, the other (its DELETE removed nothing) answers 404; one audit row', async () => {
    const { user, c } = await loggedIn('字段并发删除用户');
    const created = await c.post('/template-fields', field('并发删除字段'));
    expect(created.status).toBe(201);
    const actor = { id: user.id, name: user.name, ip: null, acting: null };
    const id = created.json.id as string;
    // The other tab's delete commits after this one read the field, before it writes.
    let raced = '';
    const b = forkRacedBeforeWrite(platform.services.orm.em, async () => (raced = await outcomeOf(deleteLibraryField(em(), actor, id))));
    expect(await outcomeOf(deleteLibraryField(b, actor, id))).toBe('not_found TEMPLATE_FIELD_NOT_FOUND');
    expect(raced).toBe('ok');
    expect(await em().count(LibraryFieldSchema, { id })).toBe(0);
    expect(await em().count(AuditEventSchema, { action: 'template_field.deleted', targetId: id })).toBe(1);
  });
});
