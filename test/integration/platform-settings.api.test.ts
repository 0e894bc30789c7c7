// @sqlite-too: JSON setting values as each dialect stores them.
/**
 * 系统配置 (M37) over HTTP on the real database (both dialects): operators read every setting with
 * its default and the seal type catalogue, change one key at a time; bad values are 4xx with
 * zh-CN and English messages and change nothing; every change writes `platform.setting_changed`
 * with the old and the new value; the enabled seal types are what users are offered.
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
const put = (key: string, value: unknown) => op.request('PUT', `/admin/platform-settings/${key}`, { value });
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
    expect((await put('businessTypes', [{ code: 'sales', name: '销售', nameEn: 'Sales' }])).status).toBe(200);
    expect((await user.get('/config/business-types')).json).toEqual([{ code: 'sales', name: '销售', nameEn: 'Sales' }]);

    const unknown = await put('noSuchKey', 1);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'SETTING_NOT_FOUND', message: '配置项不存在', messageEn: 'No such setting' });
    const missing = await op.request('PUT', '/admin/platform-settings/caPollIntervalSeconds', {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('SETTING_VALUE_REQUIRED');
    expect((await user.request('PUT', '/admin/platform-settings/caPollIntervalSeconds', { value: 60 })).status).toBe(403);
  });
});
