// @sqlite-too: JSON setting values as each dialect stores them, and the conditional write of a setting's version.
/**
 * 系统配置 (M37) over HTTP on the real database (both dialects): operators read every setting with
 * its default, its version and the seal type catalogue, change one key at a time sending back the
 * version their edit was made from; bad values are 4xx with zh-CN and English messages and change
 * nothing; a save made from an older version (another operator saved meanwhile) is 409 and changes
 * nothing; every change writes `platform.setting_changed` with the old and the new value; the
 * enabled seal types are what users are offered.
 * Settings are shared by the run's other test files: each test puts the defaults back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { getSetting, SETTING_DEFAULTS, SETTING_KEYS } from '../../domain/platform/settings';
import { SEAL_TYPES } from '../../domain/seals/seal-types';
import type { User } from '../../domain/identity/user.entity';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let operator: User;
let op: ApiClient;
let user: ApiClient;
const em = () => platform.services.orm.em.fork();
/** The setting as `client` reads it on the 系统配置 page. */
const read = async (key: string, client: ApiClient = op) => ((await client.get('/admin/platform-settings')).json.settings as { key: string; value: unknown; version: number }[]).find((s) => s.key === key);
/** Saves `value` from the version it was edited from. */
const putFrom = (version: number, key: string, value: unknown, client: ApiClient = op) => client.request('PUT', `/admin/platform-settings/${key}`, { value, version });
/** Saves `value` as an edit of the current value (read just before; an unknown key as never saved). */
const put = async (key: string, value: unknown) => putFrom((await read(key))?.version ?? 0, key, value);
const changes = (key: string) => em().find(AuditEventSchema, { action: 'platform.setting_changed', targetId: key }, { orderBy: { at: 'asc' } });

beforeAll(async () => {
  platform = await startTestPlatform();
  operator = await createUser(platform.services, '配置运营', 'operator');
  op = new ApiClient(platform.baseUrl);
  await op.login(operator.mobile, TEST_PASSWORD);
  const someone = await createUser(platform.services, '配置用户');
  user = new ApiClient(platform.baseUrl);
  await user.login(someone.mobile, TEST_PASSWORD);
});
/** Another operator, signed in on their own. */
async function secondOperator(): Promise<ApiClient> {
  const other = await createUser(platform.services, '另一配置运营', 'operator');
  const client = new ApiClient(platform.baseUrl);
  await client.login(other.mobile, TEST_PASSWORD);
  return client;
}

afterEach(async () => {
  for (const key of SETTING_KEYS) expect((await put(key, SETTING_DEFAULTS[key])).status).toBe(200);
});
afterAll(async () => platform?.stop());

describe('platform settings', () => {
  it('lists every setting with its default, plus the seal type catalogue and the bounds', async () => {
    const r = await op.get('/admin/platform-settings');
    expect(r.status).toBe(200);
    expect(r.json.settings.map((s: { key: string }) => s.key)).toEqual([...SETTING_KEYS]);
    expect(r.json.settings.find((s: { key: string }) => s.key === 'caPollIntervalSeconds')).toMatchObject({ value: 300, defaultValue: 300 });
    expect(r.json.catalogue.sealTypes.map((t: { code: string }) => t.code)).toEqual(SEAL_TYPES.map((t) => t.code));
    expect(r.json.bounds.caPollIntervalSeconds).toEqual({ min: 10, max: 86_400 });
  });

  it('enabled seal types: must exist in the catalogue, at least one; users are offered exactly the enabled ones; audited old → new', async () => {
    const unknown = await put('sealTypes', ['official', 'nope']);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'SETTING_INVALID', message: '印章类型不存在：nope', messageEn: 'Unknown seal type: nope' });
    const none = await put('sealTypes', []);
    expect(none.status).toBe(400);
    expect(none.json.error).toMatchObject({ message: '请至少启用一种印章类型', messageEn: 'Enable at least one seal type' });
    expect(await changes('sealTypes')).toHaveLength(0);

    const ok = await put('sealTypes', ['contract', 'official', 'contract']);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ key: 'sealTypes', value: ['official', 'contract'], updatedBy: operator.id });
    expect((await user.get('/config/seal-types')).json.map((t: { code: string }) => t.code)).toEqual(['official', 'contract']);
    expect((await getSetting(em(), 'sealTypes')).map((t) => t.name)).toEqual(['公章', '合同专用章']);

    const audit = await changes('sealTypes');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: operator.id, targetType: 'platform_setting' });
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ key: 'sealTypes', old: SEAL_TYPES.map((t) => t.code), new: ['official', 'contract'] });

    // The same value again changes nothing and writes no audit row.
    expect((await put('sealTypes', ['official', 'contract'])).status).toBe(200);
    expect(await changes('sealTypes')).toHaveLength(1);
  });

  it('CA poll interval: a whole number of seconds from 10 s to 1 day', async () => {
    for (const bad of [9, 86_401, 30.5, '60', null]) {
      const r = await put('caPollIntervalSeconds', bad);
      expect(r.status, String(bad)).toBe(400);
      expect(r.json.error.message).toContain('CA 状态查询间隔');
      expect(r.json.error.messageEn).toContain('CA poll interval');
    }
    expect(await getSetting(em(), 'caPollIntervalSeconds')).toBe(300);
    expect((await put('caPollIntervalSeconds', 10)).status).toBe(200);
    expect((await put('caPollIntervalSeconds', 86_400)).status).toBe(200);
    expect(await getSetting(em(), 'caPollIntervalSeconds')).toBe(86_400);
    expect((await changes('caPollIntervalSeconds')).map((a) => JSON.parse(a.detail!))).toEqual([
      { key: 'caPollIntervalSeconds', old: 300, new: 10 },
      { key: 'caPollIntervalSeconds', old: 10, new: 86_400 },
    ]);
  });

  it('certificate validity and business types are validated; unknown keys are 404; a missing value is 400', async () => {
    const days = await put('certificateValidityDays', 7);
    expect(days.status).toBe(400);
    expect(days.json.error.messageEn).toContain('Certificate validity');
    expect((await put('certificateValidityDays', 730)).json.value).toBe(730);
    expect(await getSetting(em(), 'certificateValidityDays')).toBe(730);

    const dup = await put('businessTypes', [{ code: 'sales', name: '销售', nameEn: 'Sales' }, { code: 'sales', name: '销售二', nameEn: 'Sales 2' }]);
    expect(dup.status).toBe(400);
    expect(dup.json.error).toMatchObject({ message: '业务类型代码不能重复', messageEn: 'Business type codes must be unique' });
    // A name with a hidden character (a bidi override, a zero-width space) is refused under the shared rule, naming it.
    const hidden = await put('businessTypes', [{ code: 'sales', name: '销\u202e售', nameEn: 'Sales' }]);
    expect([hidden.status, hidden.json.error.message, hidden.json.error.messageEn]).toEqual([400, '业务类型名称含有不可见或控制字符（U+202E）', expect.stringContaining('U+202E')]);
    expect((await put('businessTypes', [{ code: 'sales', name: '销售', nameEn: 'Sa\u200bles' }])).json.error.message).toContain('U+200B');
    expect((await put('businessTypes', [{ code: 'sales', name: '销售', nameEn: 'Sales' }])).status).toBe(200);
    expect((await user.get('/config/business-types')).json).toEqual([{ code: 'sales', name: '销售', nameEn: 'Sales' }]);

    const unknown = await put('noSuchKey', 1);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'SETTING_NOT_FOUND', message: '配置项不存在', messageEn: 'No such setting' });
    const missing = await op.request('PUT', '/admin/platform-settings/caPollIntervalSeconds', { version: 0 });
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('SETTING_VALUE_REQUIRED');
    const noVersion = await op.request('PUT', '/admin/platform-settings/caPollIntervalSeconds', { value: 60 });
    expect([noVersion.status, noVersion.json.error.code]).toEqual([400, 'SETTING_VALUE_REQUIRED']);
    expect((await user.request('PUT', '/admin/platform-settings/caPollIntervalSeconds', { value: 60, version: 0 })).status).toBe(403);
  });
  it('two operators editing one list: the save made from the list before the other\'s save is refused (409, zh-CN and English) and changes nothing', async () => {
    const other = await secondOperator();
    const [mine, theirs] = [(await read('businessTypes'))!, (await read('businessTypes', other))!];
    const audited = (await changes('businessTypes')).length;
    expect(mine.version).toBe(theirs.version);
    const withLegalOps = [...SETTING_DEFAULTS.businessTypes, { code: 'legal_ops', name: '法务运营', nameEn: 'Legal operations' }];
    const saved = await putFrom(mine.version, 'businessTypes', withLegalOps);
    expect(saved.status).toBe(200);
    expect(saved.json.version).toBe(mine.version + 1);
    // The other operator removed 人事 from the list as they had read it.
    const stale = await putFrom(theirs.version, 'businessTypes', SETTING_DEFAULTS.businessTypes.filter((t) => t.code !== 'hr'), other);
    expect(stale.status).toBe(409);
    expect(stale.json.error).toEqual(expect.objectContaining({ code: 'SETTING_CHANGED', message: '该配置已被其他管理员修改，请查看最新值后重新编辑', messageEn: expect.stringContaining('Another operator has changed this setting') }));
    expect(await getSetting(em(), 'businessTypes')).toEqual(withLegalOps);
    expect((await changes('businessTypes')).slice(audited).map((a) => JSON.parse(a.detail!).new)).toEqual([withLegalOps]);
    // Made again from what is stored now, their change keeps the other's.
    const current = (await read('businessTypes', other))!;
    const redone = await putFrom(current.version, 'businessTypes', (current.value as typeof withLegalOps).filter((t) => t.code !== 'hr'), other);
    expect(redone.status).toBe(200);
    expect((await getSetting(em(), 'businessTypes')).map((t) => t.code)).toEqual(['procurement', 'sales', 'finance', 'legal', 'legal_ops']);
  });

  it('parallel saves made from one version (a first save meets the primary key, a later one the version): one is stored and audited, the others are 409', async () => {
    const other = await secondOperator();
    for (const key of ['recertificationDraftDays', 'recertificationResubmitDays'] as const) {
      if (key === 'recertificationResubmitDays') expect((await put(key, 45)).status).toBe(200);
      const { version } = (await read(key))!;
      const audited = (await changes(key)).length;
      const values = [11, 12, 13, 14, 15];
      const results = await Promise.all(values.map((v, i) => putFrom(version, key, v, i % 2 ? other : op)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((st) => st === 200), `${key}: ${JSON.stringify(statuses)}`).toHaveLength(1);
      expect(statuses.filter((st) => st !== 200).every((st) => st === 409), JSON.stringify(statuses)).toBe(true);
      const winner = values[statuses.indexOf(200)];
      expect(await getSetting(em(), key)).toBe(winner);
      expect((await changes(key)).slice(audited).map((a) => JSON.parse(a.detail!).new)).toEqual([winner]);
    }
  });
});
