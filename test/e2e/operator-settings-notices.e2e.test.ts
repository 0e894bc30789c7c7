/**
 * In Chromium against the real platform and the built UIs: the 站内消息 bell (portal: unread badge,
 * open, read one, 全部已读, a refused 全部已读 says why), the operators' 系统配置 page (enabled seal types, CA poll
 * interval with its bound refused in zh-CN, a save over another operator's keeps the input, leaving with an unsaved value asks
 * first), the operators' CA 订单 / 证书 lists (filters, Temporal link), and their 模板
 * list and detail (停用 with a reason).
 * Screenshots go to test-artifacts/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import type { User } from '../../domain/identity/user.entity';
import { notify } from '../../domain/notifications/notify';
import { getSetting, SETTING_DEFAULTS, SETTING_KEYS, updateSetting } from '../../domain/platform/settings';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { addSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let operator: User;
let member: User;
let so: UserSession;
let su: UserSession;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html')) || !fs.existsSync(path.resolve('dist/admin-ui/index.html'))) {
    throw new Error('the UIs are not built: run `npm run build:ui` first');
  }
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  [operator, member] = await Promise.all([createUser(platform.services, '配置运营员', 'operator'), createUser(platform.services, '消息用户')]);
  [so, su] = await Promise.all([newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl)]);
});

afterAll(async () => {
  // Settings are shared by the run: put the defaults back.
  if (platform) for (const key of SETTING_KEYS) await updateSetting(em(), key, SETTING_DEFAULTS[key], SYSTEM_ACTOR);
  await releaseBrowser(browser);
  await platform?.stop();
});

describe('notices, platform settings and operator lists in the browser', () => {
  it('the bell shows the unread count, opens the list, reads one and then all', async () => {
    const e = em();
    notify(e, { userId: member.id, kind: 'test.notice', title: '证书即将到期', body: '印章证书将于 7 天后到期', at: new Date(Date.now() - 60_000) });
    notify(e, { userId: member.id, kind: 'test.notice', title: '欢迎使用 SealFlow', body: '这是一条站内消息' });
    await e.flush();
    const page = su.page;
    await signInThroughApi(page, { mobile: member.mobile, password: TEST_PASSWORD }, '/');
    const badge = page.getByTestId('notification-unread');
    await expect.poll(() => badge.getAttribute('data-count')).toBe('2');
    await page.getByTestId('notification-bell').click();
    const items = page.getByTestId('notification-item');
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.first().textContent()).toContain('欢迎使用 SealFlow');
    await screenshot(page, 'notifications-bell-open', { fullPage: false, settle: true });
    await items.first().click();
    await expect.poll(() => badge.getAttribute('data-count')).toBe('1');
    // 全部已读 refused (the service unavailable): the server's message is shown and the notice stays unread.
    await page.route('**/api/me/notifications/read-all', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'DATABASE_BUSY', message: '系统繁忙，请稍后重试', messageEn: 'The system is busy; please retry shortly' } }) }),
    );
    await page.getByTestId('notification-read-all').click();
    await page.getByText('系统繁忙，请稍后重试').waitFor();
    expect(await badge.getAttribute('data-count')).toBe('1');
    await page.unroute('**/api/me/notifications/read-all');
    await page.getByTestId('notification-read-all').click();
    await expect.poll(() => badge.getAttribute('data-count')).toBe('0');
    expect(await items.first().getAttribute('data-read')).toBe('true');
  });

  it('a notice about an enterprise opens acting for that enterprise (a named operator’s 待签署 link)', async () => {
    const enterprise = await createCertifiedEnterprise(platform.services, member, `通知企业${randomUUID().slice(0, 4)}`);
    const e = em();
    notify(e, { userId: member.id, enterpriseId: enterprise.id, kind: 'contract.to_sign', title: '待签署：企业合同', body: '请代企业签署', link: '/' });
    await e.flush();
    const page = su.page;
    await signInThroughApi(page, { mobile: member.mobile, password: TEST_PASSWORD }, '/');
    const acting = () => page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).acting?.enterpriseId ?? null);
    expect(await acting()).toBeNull();
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-item').filter({ hasText: '待签署：企业合同' }).click();
    await expect.poll(acting).toBe(enterprise.id);
  });

  it('系统配置: operators switch seal types off and set the CA poll interval; out-of-bounds values are refused in zh-CN', async () => {
    const page = so.page;
    await signInThroughApi(page, { mobile: operator.mobile, password: TEST_PASSWORD }, '/admin/platform-settings');
    await page.getByTestId('platform-settings').waitFor();
    // 保存 reloads the settings; the reload is held until the CA poll interval is being edited, which must survive it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/admin/platform-settings', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('seal-type-department').uncheck();
    await page.getByTestId('setting-seal-types-save').click();
    await expect.poll(async () => (await getSetting(em(), 'sealTypes')).map((t) => t.code)).toEqual(['official', 'contract', 'finance', 'hr', 'legal_rep']);
    await page.getByTestId('ca-poll-input').fill('5');
    const reloaded = page.waitForResponse((r) => r.url().endsWith('/api/admin/platform-settings') && r.request().method() === 'GET');
    release();
    await reloaded;
    await page.unroute('**/api/admin/platform-settings');
    // The reload is applied once the seal types card is no longer dirty; the other card kept its input.
    await expect.poll(() => page.getByTestId('setting-seal-types-save').isDisabled()).toBe(true);
    expect(await page.getByTestId('ca-poll-input').inputValue()).toBe('5');

    await page.getByTestId('setting-ca-poll-save').click();
    await page.getByText('CA 状态查询间隔须为 10–86400 秒').waitFor();
    expect(await getSetting(em(), 'caPollIntervalSeconds')).toBe(300);
    await page.getByTestId('ca-poll-input').fill('0120');
    await page.getByTestId('setting-ca-poll-save').click();
    await expect.poll(() => getSetting(em(), 'caPollIntervalSeconds')).toBe(120);
    // Shown as stored: the card is not left looking unsaved (保存 disabled, no leave prompt).
    await expect.poll(() => page.getByTestId('ca-poll-input').inputValue()).toBe('120');
    await expect.poll(() => page.getByTestId('setting-ca-poll-save').isDisabled()).toBe(true);
    await page.getByTestId('setting-ca-poll').getByText('最近修改').waitFor();
    await screenshot(page, 'platform-settings');

    // Put both back (the run's database is shared with the other e2e files, which create 部门章).
    await page.getByTestId('seal-type-department').check();
    await page.getByTestId('setting-seal-types-save').click();
    await expect.poll(async () => (await getSetting(em(), 'sealTypes')).map((t) => t.code)).toContain('department');
    await page.getByTestId('ca-poll-input').fill('300');
    await page.getByTestId('setting-ca-poll-save').click();
    await expect.poll(() => getSetting(em(), 'caPollIntervalSeconds')).toBe(300);

    // Another operator saves the certificate validity while this one types a value: 保存 is refused (409) with the
    // server's message, the input stays beside the value now stored, and saving again overwrites it deliberately.
    await page.getByTestId('validity-input').fill('400');
    // Leaving the page through the menu with an unsaved value asks first; 留在此页 keeps it.
    await page.getByTestId('menu-admin-certificate-orders').click();
    await page.getByTestId('leave-dialog').waitFor();
    await page.getByTestId('leave-stay').click();
    await page.getByTestId('leave-dialog').waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/admin/platform-settings');
    expect(await page.getByTestId('validity-input').inputValue()).toBe('400');
    await updateSetting(em(), 'certificateValidityDays', 500, SYSTEM_ACTOR);
    await page.getByTestId('setting-validity-save').click();
    await page.getByText('该配置已被其他管理员修改，请查看最新值后重新编辑').waitFor();
    const overtaken = page.getByTestId('setting-validity-overtaken');
    await overtaken.waitFor();
    expect(await overtaken.textContent()).toContain('500');
    expect(await page.getByTestId('validity-input').inputValue()).toBe('400');
    await page.getByTestId('setting-validity-save').click();
    await expect.poll(() => getSetting(em(), 'certificateValidityDays')).toBe(400);
    await overtaken.waitFor({ state: 'detached' });
    expect(await page.getByTestId('validity-input').inputValue()).toBe('400');
  });

  it('CA 订单 and 证书: operators find orders and certificates by enterprise and serial, with the Temporal link', async () => {
    const admin = await createUser(platform.services, '订单企业管理员');
    const ent = await createCertifiedEnterprise(platform.services, admin, `浏览器检索${randomUUID().slice(0, 4)}有限公司`);
    const seals = await sealsOf(platform.services, ent.id);
    const e = em();
    const order = e.create(CertificateOrderSchema, {
      id: randomUUID(), enterpriseId: ent.id, sealId: seals[0]!.id, kind: 'new', renewsCertificateId: null, status: 'paid', caOrderId: 'CA-E2E-1', amountFen: 50_000, rejectReason: null,
      privateKeyEncrypted: null, csrPem: null, certificateId: null, createdBy: admin.id, createdAt: new Date(), submittedAt: new Date(), paidAt: new Date(), auditedAt: null, issuedAt: null, endedAt: null, lastPolledAt: null,
    });
    await e.flush();
    const cert = await addSealCertificate(platform.services, seals[1]!, new Date(), 20);

    const page = so.page;
    await page.goto('/admin/admin-certificate-orders');
    await page.locator('[data-testid="admin-order-search"] input, input[data-testid="admin-order-search"]').first().fill(ent.name);
    const row = page.getByTestId('admin-order-row').filter({ hasText: ent.name });
    await row.waitFor();
    expect(await row.textContent()).toContain('已支付');
    expect(await row.getByTestId('temporal-link').getAttribute('href')).toContain(encodeURIComponent(`ca-order:${order.id}`));
    await screenshot(page, 'admin-certificate-orders');

    await page.goto('/admin/admin-certificates');
    await page.locator('[data-testid="admin-certificate-serial"] input, input[data-testid="admin-certificate-serial"]').first().fill(cert.serialNumber.slice(4, 20));
    const certRow = page.getByTestId('admin-certificate-row').filter({ hasText: cert.serialNumber });
    await certRow.waitFor();
    expect(await certRow.textContent()).toContain(ent.name);
    // The row may already be on the unfiltered first page: wait for the (debounced) filter to apply.
    await expect.poll(() => page.getByTestId('admin-certificate-row').count(), { timeout: 10_000 }).toBe(1);
  });

  it('模板: operators find a person\'s template, open it and 停用 it with a reason', async () => {
    const owner = await createUser(platform.services, '模板主人');
    const c = new ApiClient(platform.baseUrl);
    await c.login(owner.mobile, TEST_PASSWORD);
    const name = `浏览器模板${randomUUID().slice(0, 4)}`;
    const form = new FormData();
    form.append('info', JSON.stringify({ kind: 'web', name }));
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 't.pdf');
    const created = await c.request('POST', '/templates', form);
    expect(created.status, JSON.stringify(created.json)).toBe(201);

    const page = so.page;
    await page.goto('/admin/admin-templates');
    await page.locator('[data-testid="admin-template-search"] input, input[data-testid="admin-template-search"]').first().fill(name);
    const row = page.getByTestId('admin-template-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('模板主人');
    expect(await row.textContent()).toContain('草稿');
    await row.click();
    await page.getByTestId('admin-template-show').waitFor();
    await page.getByTestId('admin-template-disable').click();
    await page.getByTestId('admin-template-reason').fill('内容不合规');
    await page.getByTestId('admin-template-confirm').click();
    await page.getByTestId('admin-template-disabled').waitFor();
    expect(await page.getByTestId('admin-template-show').getAttribute('data-enabled')).toBe('false');
    await screenshot(page, 'admin-template-show');
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: created.json.id })).enabled).toBe(false);
  });
});
