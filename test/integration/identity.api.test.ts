/**
 * M1, M2, M7 over HTTP against the real database: registration, login (password, SMS, lockout),
 * rate limits, real-name verification with operator review, personal info changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { UserSchema } from '../../domain/identity/user.entity';
import { ApiClient } from '../harness/http-client';
import { maskMobile } from '../../domain/identity/masking';
import { createUser, latestSmsCode, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { idNumberFrom } from '../harness/registration';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let operator: ApiClient;
const code = (mobile: string) => latestSmsCode(platform.services, mobile);
const audits = (action: string, targetId?: string) => platform.services.orm.em.fork().count(AuditEventSchema, { action: action as never, ...(targetId ? { targetId } : {}) });

beforeAll(async () => {
  platform = await startTestPlatform();
  const op = await createUser(platform.services, '运营', 'operator');
  operator = new ApiClient(platform.baseUrl);
  await operator.login(op.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

async function registerNew(name = '新用户') {
  const mobile = uniqueMobile();
  const c = new ApiClient(platform.baseUrl);
  expect((await c.post('/auth/register/code', { mobile })).status).toBe(200);
  const r = await c.post('/auth/register', { mobile, code: await code(mobile), password: 'Strong#Pass1', name });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { c, mobile, id: r.json.user.id as string };
}

describe('M1 register and log in', () => {
  it('registers with mobile + SMS code + strong password and is logged in', async () => {
    const { c, id } = await registerNew('注册用户');
    const me = await c.get('/auth/me');
    expect(me.json.user).toMatchObject({ id, name: '注册用户', realNameStatus: 'unverified' });
    expect(me.json.acting).toBeNull();
    expect(await audits('user.registered', id)).toBe(1);
  });

  it('refuses bad input: malformed mobile, weak password, wrong code, a taken number', async () => {
    const c = new ApiClient(platform.baseUrl);
    expect((await c.post('/auth/register/code', { mobile: '12345' })).json.error.message).toBe('手机号格式不正确');
    const mobile = uniqueMobile();
    await c.post('/auth/register/code', { mobile });
    const weak = await c.post('/auth/register', { mobile, code: await code(mobile), password: 'password', name: 'x' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.code).toBe('WEAK_PASSWORD');
    const wrong = await c.post('/auth/register', { mobile, code: '000000' === (await code(mobile)) ? '111111' : '000000', password: 'Strong#Pass1', name: 'x' });
    expect(wrong.status).toBe(422);
    expect(await platform.services.orm.em.fork().count(UserSchema, { mobile })).toBe(0);
  });

  it('refuses a display name with invisible or bidi characters at registration (the 实名认证 rule)', async () => {
    const c = new ApiClient(platform.baseUrl);
    const mobile = uniqueMobile();
    await c.post('/auth/register/code', { mobile });
    const r = await c.post('/auth/register', { mobile, code: await code(mobile), password: 'Strong#Pass1', name: '张\u200b三\u202e' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/不可见|控制/);
    expect(await platform.services.orm.em.fork().count(UserSchema, { mobile })).toBe(0);
  });

  it('answers the registration-code request the same for a registered number (no enumeration)', async () => {
    const existing = await createUser(platform.services, '已注册');
    const fresh = uniqueMobile();
    const c = new ApiClient(platform.baseUrl);
    const forFresh = await c.post('/auth/register/code', { mobile: fresh });
    const forTaken = await c.post('/auth/register/code', { mobile: existing.mobile });
    expect([forFresh.status, forTaken.status]).toEqual([200, 200]);
    expect(Object.keys(forTaken.json).sort()).toEqual(Object.keys(forFresh.json).sort());
    // The owner gets a notice, not a code; registering the taken number fails like any wrong code.
    const notice = await platform.services.orm.em.fork().findOneOrFail('SmsOutboxMessage', { mobile: existing.mobile, purpose: 'register' });
    expect((notice as { content: string }).content).not.toMatch(/\d{6}/);
    const r = await c.post('/auth/register', { mobile: existing.mobile, code: '123456', password: 'Strong#Pass1', name: 'x' });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toMatch(/^SMS_CODE_/);
    // Same budgets: the cooldown applies to both alike.
    expect((await c.post('/auth/register/code', { mobile: existing.mobile })).json.error.code).toBe('SMS_COOLDOWN');
  });

  it('rotates the session cookie at login and ends it at logout', async () => {
    const u = await createUser(platform.services, '会话');
    const c = new ApiClient(platform.baseUrl);
    await c.login(u.mobile, TEST_PASSWORD);
    const first = (c as unknown as { cookie: string }).cookie;
    await c.login(u.mobile, TEST_PASSWORD);
    expect((c as unknown as { cookie: string }).cookie).not.toBe(first);
    // The session the browser held before ends with the new login (a copied old cookie no longer works).
    const old = new ApiClient(platform.baseUrl);
    (old as unknown as { cookie: string }).cookie = first;
    expect((await old.get('/auth/me')).status).toBe(401);
    const r = await c.post('/auth/logout');
    expect(r.status).toBe(204);
    expect(r.headers.get('set-cookie')).toMatch(/sf_session=;/);
    expect((await c.get('/auth/me')).status).toBe(401);
  });

  it('refuses a state-changing request a browser marks as coming from another site (a cross-site form posting to logout); same-site and non-browser clients go through', async () => {
    const u = await createUser(platform.services, '跨站');
    const c = new ApiClient(platform.baseUrl);
    await c.login(u.mobile, TEST_PASSWORD);
    const forged = await c.request('POST', '/auth/logout', undefined, { 'sec-fetch-site': 'cross-site' });
    expect([forged.status, forged.json?.error?.code]).toEqual([403, 'CROSS_SITE_REQUEST']);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect((await c.get('/auth/me')).status).toBe(200);
    // Reads are not affected; our own pages (same-origin) log out as before.
    expect((await c.request('GET', '/auth/me', undefined, { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect((await c.request('POST', '/auth/logout', undefined, { 'sec-fetch-site': 'same-origin' })).status).toBe(204);
  });

  it('locks password login after 5 failures; SMS login still works', async () => {
    const u = await createUser(platform.services, '锁定');
    const c = new ApiClient(platform.baseUrl);
    for (let i = 0; i < 4; i++) expect((await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#1234' })).status).toBe(401);
    const fifth = await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#1234' });
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.json.error.message).toMatch(/账号已锁定/);
    expect((await c.post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD })).json.error.code).toBe('ACCOUNT_LOCKED');
    expect(await audits('auth.locked', u.id)).toBe(1);
    expect((await c.post('/auth/login/code', { mobile: u.mobile })).status).toBe(200);
    const ok = await c.post('/auth/login/sms', { mobile: u.mobile, code: await code(u.mobile) });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect((await c.get('/auth/me')).json.user.id).toBe(u.id);
    // Variants of the number are not another key for the lockout: they are not a number at all.
    for (const variant of [`１${u.mobile.slice(1)}`, `${u.mobile}\u200b`, `+86${u.mobile}`]) {
      const r = await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: variant, password: TEST_PASSWORD });
      expect([r.status, r.json.error.message], variant).toEqual([400, '手机号格式不正确']);
    }
  });

  it('a failed login for a number without an account is audited with the number masked (operators do not learn which numbers were tried)', async () => {
    const mobile = uniqueMobile();
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile, password: 'Wrong#1234' })).status).toBe(401);
    const rows = await platform.services.orm.em.fork().find(AuditEventSchema, { action: 'auth.login_failed', targetId: maskMobile(mobile) });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorName).toBe(maskMobile(mobile));
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { $or: [{ targetId: mobile }, { actorName: mobile }] })).toBe(0);
  });

  it('a password longer than any the rules allow is refused (400) without hashing it or counting a failure', async () => {
    const u = await createUser(platform.services, '超长密码');
    const c = new ApiClient(platform.baseUrl);
    const long = await c.post('/auth/login', { mobile: u.mobile, password: 'A#1a'.repeat(1_000) });
    expect([long.status, long.json.error.message]).toEqual([400, '密码过长']);
    // Past what a public route reads at all (16 KB): refused before the body is parsed.
    const huge = await c.post('/auth/login', { mobile: u.mobile, password: 'A#1a'.repeat(100_000) });
    expect([huge.status, huge.json.error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    expect(await audits('auth.login_failed', u.id)).toBe(0);
    expect((await c.post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('rate-limits code requests per number (cooldown) and per IP', async () => {
    const c = new ApiClient(platform.baseUrl);
    const mobile = uniqueMobile();
    expect((await c.post('/auth/register/code', { mobile })).status).toBe(200);
    const again = await c.post('/auth/register/code', { mobile });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBeTruthy();
    let limited = 0;
    for (let i = 0; i < 35 && !limited; i++) {
      const r = await c.post('/auth/register/code', { mobile: uniqueMobile() });
      if (r.status === 429 && r.json.error.code === 'SMS_RATE_LIMITED') limited++;
    }
    expect(limited).toBe(1);
  });
});

describe('M2 real-name verification', () => {
  it('validates the ID number, then an operator approves or rejects with a reason', async () => {
    const { c, id } = await registerNew('实名前');
    const bad = await c.post('/me/real-name', { name: '张伟', idNumber: '110105194912310021' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/身份证号不正确/);
    const sent = await c.post('/me/real-name', { name: '张伟', idNumber: '11010519491231002x' });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    expect((await c.get('/me/real-name')).json).toMatchObject({ status: 'pending', idNumberMasked: '110***********002X' });
    expect((await c.post('/me/real-name', { name: '张伟', idNumber: '11010519491231002X' })).status).toBe(409);
    // Not verified yet: cannot certify, join or sign.
    expect((await c.get('/enterprises/search?q=公司')).json.error.code).toBe('REAL_NAME_REQUIRED');

    const list = await operator.get(`/admin/real-name-applications?filter=${encodeURIComponent('{"status":"pending"}')}`);
    const application = list.json.find((a: { userId: string }) => a.userId === id);
    expect(application.idNumberMasked).toBe('110***********002X');
    expect((await operator.post(`/admin/real-name-applications/${application.id}/reject`, {})).json.error.code).toBe('REASON_REQUIRED');
    expect((await operator.post(`/admin/real-name-applications/${application.id}/reject`, { reason: '照片不清晰' })).status).toBe(200);
    expect((await c.get('/me/real-name')).json).toMatchObject({ status: 'rejected', rejectReason: '照片不清晰' });

    await c.post('/me/real-name', { name: '张伟', idNumber: '11010519491231002X' });
    const again = (await operator.get('/admin/real-name-applications')).json.find((a: { userId: string; status: string }) => a.userId === id && a.status === 'pending');
    expect((await operator.post(`/admin/real-name-applications/${again.id}/approve`, {})).status).toBe(200);
    const me = (await c.get('/auth/me')).json.user;
    expect(me).toMatchObject({ realNameStatus: 'verified', name: '张伟' });
    expect((await c.get('/enterprises/search?q=公司')).status).toBe(200);
    expect(await audits('user.real_name_approved')).toBeGreaterThan(0);
  });
});

describe('separation of duties', () => {
  it('an operator cannot decide their own real-name application (403 OWN_REVIEW, nothing changes); another operator can', async () => {
    const self = await createUser(platform.services, '自审运营', 'operator', 'unverified');
    const selfC = new ApiClient(platform.baseUrl);
    await selfC.login(self.mobile, TEST_PASSWORD);
    expect((await selfC.post('/me/real-name', { name: '李自审', idNumber: idNumberFrom('11010519800101123') })).status).toBe(201);
    const application = (await selfC.get(`/admin/real-name-applications?filter=${encodeURIComponent('{"status":"pending"}')}`)).json.find((a: { userId: string }) => a.userId === self.id);
    for (const decision of ['approve', 'reject']) {
      const own = await selfC.post(`/admin/real-name-applications/${application.id}/${decision}`, { reason: '自己审自己' });
      expect([own.status, own.json.error?.code, own.json.error?.message]).toEqual([403, 'OWN_REVIEW', expect.stringContaining('不能审核本人')]);
    }
    expect((await selfC.get('/me/real-name')).json.status).toBe('pending');
    expect((await operator.post(`/admin/real-name-applications/${application.id}/approve`, {})).status).toBe(200);
    expect((await selfC.get('/me/real-name')).json.status).toBe('verified');
  });
});

describe('M7 personal info', () => {
  it('更换手机号 answers the same for a number of another account (no enumeration by a signed-in user); its owner gets a notice, and the change cannot be confirmed', async () => {
    const { c } = await registerNew('换号探测');
    const owner = await createUser(platform.services, '号码主人');
    const fresh = uniqueMobile();
    const forFresh = await c.post('/me/mobile/codes', { newMobile: fresh });
    const forTaken = await c.post('/me/mobile/codes', { newMobile: owner.mobile });
    expect([forFresh.status, forTaken.status]).toEqual([200, 200]);
    expect(Object.keys(forTaken.json).sort()).toEqual(Object.keys(forFresh.json).sort());
    const notice = await platform.services.orm.em.fork().findOneOrFail(SmsOutboxMessageSchema, { mobile: owner.mobile, purpose: 'mobile_change_new' });
    expect(notice.content).not.toMatch(/\d{6}/);
    // Confirming with guessed codes: the same refusal as for a free number.
    const guess = { oldCode: '123456', newCode: '654321' };
    const onFresh = await c.request('PUT', '/me/mobile', { newMobile: fresh, ...guess });
    const onTaken = await c.request('PUT', '/me/mobile', { newMobile: owner.mobile, ...guess });
    expect([onTaken.status, onTaken.json.error.code]).toEqual([onFresh.status, onFresh.json.error.code]);
    expect(onTaken.json.error.code).toMatch(/^SMS_CODE_/);
  });


  it('changes email, mobile (codes to old and new number; other sessions end) and password (other sessions end)', async () => {
    const { c, mobile } = await registerNew('资料');
    const elsewhere = new ApiClient(platform.baseUrl);
    expect((await elsewhere.post('/auth/login', { mobile, password: 'Strong#Pass1' })).status).toBe(200);
    expect((await c.request('PUT', '/me/email', { email: 'not-an-email' })).status).toBe(400);
    expect((await c.request('PUT', '/me/email', { email: 'a@example.com' })).json.user.email).toBe('a@example.com');

    const newMobile = uniqueMobile();
    expect((await c.post('/me/mobile/codes', { newMobile })).status).toBe(200);
    const oldCode = await latestSmsCode(platform.services, mobile);
    const newCode = await latestSmsCode(platform.services, newMobile);
    expect((await c.request('PUT', '/me/mobile', { newMobile, oldCode, newCode: newCode === '000000' ? '111111' : '000000' })).status).toBe(422);
    const changed = await c.request('PUT', '/me/mobile', { newMobile, oldCode, newCode });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    expect(changed.json.user.mobile).toBe(newMobile);
    expect((await c.get('/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/auth/me')).status).toBe(401); // the session opened with the old number ended

    const other = new ApiClient(platform.baseUrl);
    await other.post('/auth/login', { mobile: newMobile, password: 'Strong#Pass1' });
    expect((await other.get('/auth/me')).status).toBe(200);
    expect((await c.request('PUT', '/me/password', { oldPassword: 'wrong', newPassword: 'Newer#Pass2' })).json.error.code).toBe('WRONG_PASSWORD');
    expect((await c.request('PUT', '/me/password', { oldPassword: 'Strong#Pass1', newPassword: 'weak' })).json.error.code).toBe('WEAK_PASSWORD');
    expect((await c.request('PUT', '/me/password', { oldPassword: 'Strong#Pass1', newPassword: 'Newer#Pass2' })).status).toBe(200);
    expect((await c.get('/auth/me')).status).toBe(200);
    expect((await other.get('/auth/me')).status).toBe(401);
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: newMobile, password: 'Newer#Pass2' })).status).toBe(200);
  });

  it('a forgotten password is replaced with an SMS code to the account\'s own number (after an SMS login); a wrong code changes nothing; other sessions end', async () => {
    const u = await createUser(platform.services, '忘记密码');
    const other = new ApiClient(platform.baseUrl);
    await other.login(u.mobile, TEST_PASSWORD);
    // Logged in by SMS code: the current password is not known.
    const c = new ApiClient(platform.baseUrl);
    expect((await c.post('/auth/login/code', { mobile: u.mobile })).status).toBe(200);
    expect((await c.post('/auth/login/sms', { mobile: u.mobile, code: await latestSmsCode(platform.services, u.mobile) })).status).toBe(200);
    expect((await c.request('PUT', '/me/password', { newPassword: 'Forgot#Pass3' })).json.error.message).toBe('请输入原密码或短信验证码');
    const sent = await c.post('/me/password/code');
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    expect(sent.json).toMatchObject({ sentTo: expect.stringContaining('****') });
    const code = await latestSmsCode(platform.services, u.mobile);
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect((await c.request('PUT', '/me/password', { code: wrongCode, newPassword: 'Forgot#Pass3' })).json.error.code).toBe('SMS_CODE_WRONG');
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD })).status).toBe(200);
    expect((await c.request('PUT', '/me/password', { code, newPassword: 'Forgot#Pass3' })).status).toBe(200);
    expect((await other.get('/auth/me')).status).toBe(401);
    expect((await c.get('/auth/me')).status).toBe(200);
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: 'Forgot#Pass3' })).status).toBe(200);
    // The code is used once.
    expect((await c.request('PUT', '/me/password', { code, newPassword: 'Again#Pass4' })).json.error.code).toBe('SMS_CODE_USED');
  });
});
