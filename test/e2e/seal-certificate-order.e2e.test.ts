/**
 * Seals and their certificates end to end in Chromium (issue 7): an enterprise is certified (the
 * approval draws its 公章) → its 管理员 creates a 合同专用章 in 印章管理 → authorises a member
 * with an SMS code → 申请云证书 starts the CertificateOrderWorkflow (`ca-order:<id>`) → the CA's
 * staff, in their own browser context on the CA order service, mark the order paid, audit it and
 * issue → 刷新状态 in 证书订单管理 polls the CA now and the console shows the certificate → the
 * certificate is close to expiry and 企业证书更新 renews it with a new order.
 * Everything real: API + worker, Temporal dev server, the CA order service process, the run's
 * database, the built UIs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { assertSealUsable } from '../../domain/seals/seal-usability';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, latestSmsCode, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let console_: UserSession;
let caStaff: UserSession;
let admin: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let enterpriseId = '';
const ENTERPRISE = '宁波海曙云链供应链管理有限公司';

const em = () => platform.services.orm.em.fork();
const sealRow = (page: Page, text: string) => page.getByTestId('seal-row').filter({ hasText: text });
const orderRows = (page: Page) => page.getByTestId('certificate-order-row');

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/admin-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  admin = await createUser(platform.services, '郑海波');
  member = await createUser(platform.services, '吴佳琪');
  enterpriseId = (await createCertifiedEnterprise(platform.services, admin, ENTERPRISE, ['official'])).id;
  await addMember(platform.services, enterpriseId, admin, member);
  [console_, caStaff] = await Promise.all([newUserSession(browser, platform.baseUrl), newUserSession(browser, inject('caServiceUrl'))]);
}, 120_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

/** The CA's staff open the order on the CA order service and press one button after another. */
async function caStaffIssues(caOrderId: string) {
  const { page } = caStaff;
  await page.goto('/staff/login');
  await page.getByLabel(/工作人员密码/).fill(inject('caServiceStaffPassword'));
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL(/\/staff\/orders/);
  await page.getByPlaceholder(/企业名称/).fill(ENTERPRISE);
  await page.getByRole('button', { name: /筛选/ }).click();
  await page.getByRole('link', { name: caOrderId.slice(0, 8) }).click();
  await page.getByRole('heading', { name: /订单详情/ }).waitFor();
  for (const [button, done] of [
    [/标记已支付/, '已标记为已支付'],
    [/开始审核/, '已开始审核'],
    [/审核通过并签发/, '审核通过，证书已签发'],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    await page.getByText(done).first().waitFor();
  }
  await screenshot(page, 'seal-certificate-ca-issued');
}

describe('seal → authorisation → certificate order → CA issues → renewal', () => {
  it('runs through the console and the CA staff pages', async () => {
    const { page } = console_;
    await signInThroughApi(page, { mobile: admin.mobile, password: TEST_PASSWORD }, '/admin/');
    await page.getByTestId(`console-switch-${enterpriseId}`).or(page.getByTestId('acting-identity')).first().waitFor();
    if (await page.getByTestId(`console-switch-${enterpriseId}`).isVisible()) await page.getByTestId(`console-switch-${enterpriseId}`).click();
    await page.getByTestId('acting-identity').waitFor();

    // 印章管理: the 公章 drawn at certification; create a 合同专用章 drawn from the enterprise's data.
    await page.goto('/admin/seals');
    await expect.poll(() => page.getByTestId('seal-row').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('seal-create').click();
    const create = page.getByTestId('seal-create-dialog');
    await create.getByRole('combobox').click();
    await page.getByTestId('seal-type-contract').click();
    await create.getByTestId('seal-create-submit').click();
    await create.waitFor({ state: 'detached' });
    const contractRow = sealRow(page, '合同专用章');
    await expect.poll(() => contractRow.getByTestId('seal-preview').evaluate((i) => (i as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(400);
    const seal = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'contract' });
    expect(seal.source).toBe('generated');
    expect(await contractRow.getByTestId('seal-certificate').getAttribute('data-state')).toBe('none');

    // 印章授权 to the member, confirmed with the 管理员's SMS code.
    await contractRow.getByTestId('seal-grant').click();
    const grant = page.getByTestId('seal-grant-dialog');
    await grant.getByRole('combobox').click();
    await page.getByTestId(`seal-grant-member-${member.id}`).click();
    await grant.getByTestId('seal-grant-send-code').click();
    await expect.poll(async () => latestSmsCode(platform.services, admin.mobile).catch(() => ''), { timeout: 10_000 }).toMatch(/^\d{6}$/);
    await grant.getByTestId('seal-grant-code').fill(await latestSmsCode(platform.services, admin.mobile));
    await grant.getByTestId('seal-grant-submit').click();
    await grant.getByTestId('seal-grant-current').waitFor();
    await grant.getByRole('button', { name: '关闭' }).click();
    await expect.poll(async () => (await contractRow.getByTestId('seal-users').textContent()) ?? '', { timeout: 10_000 }).toContain('吴佳琪');
    expect(await em().count(SealAuthorizationSchema, { sealId: seal.id, userId: member.id })).toBe(1);
    // Authorised, but no certificate yet: the seal cannot sign.
    await expect(assertSealUsable(em(), { enterpriseId, sealId: seal.id, userId: member.id, now: new Date() })).rejects.toThrow();

    // 申请云证书 → the order workflow submits to the CA: 待支付.
    await contractRow.getByTestId('seal-apply-certificate').click();
    await expect.poll(async () => (await em().findOne(CertificateOrderSchema, { sealId: seal.id }))?.status ?? 'none', { timeout: 30_000 }).toBe('pending_payment');
    const order = await em().findOneOrFail(CertificateOrderSchema, { sealId: seal.id });
    await page.goto('/admin/certificate-orders');
    await expect.poll(() => orderRows(page).count(), { timeout: 15_000 }).toBe(1);
    expect(await orderRows(page).first().getByTestId('order-status').textContent()).toContain('待支付');
    const described = await platform.temporal.workflow.getHandle(`ca-order:${order.id}`).describe();
    expect(described.searchAttributes).toMatchObject({ EnterpriseId: [enterpriseId], OrderStatus: ['pending_payment'] });

    // The CA's staff: paid → audited → issued (the platform polls only every 5 minutes) …
    await caStaffIssues(order.caOrderId!);
    // … so 刷新状态 asks the CA now; the order ends 已签发 and the seal's certificate is stored.
    await orderRows(page).first().getByTestId('order-refresh').click();
    await expect.poll(async () => (await orderRows(page).first().getByTestId('order-status').textContent()) ?? '', { timeout: 30_000 }).toContain('已签发');
    await screenshot(page, 'seal-certificate-orders', { settle: true });
    const certificate = await em().findOneOrFail(SigningCertificateSchema, { ownerType: 'seal', ownerId: seal.id, status: 'active' });
    expect(certificate.subject).toContain(ENTERPRISE);
    expect((await assertSealUsable(em(), { enterpriseId, sealId: seal.id, userId: member.id, now: new Date() })).certificate.id).toBe(certificate.id);

    await page.goto('/admin/seals');
    await expect.poll(() => sealRow(page, '合同专用章').getByTestId('seal-certificate').getAttribute('data-state'), { timeout: 15_000 }).toBe('issued');
    await screenshot(page, 'seal-certificate-issued', { settle: true });

    // 企业证书更新: the certificate is now ten days from expiry; select it and 续期.
    await em().nativeUpdate(SigningCertificateSchema, { id: certificate.id }, { notAfter: new Date(Date.now() + 10 * 86_400_000) });
    await page.goto('/admin/certificates');
    const certRows = page.getByTestId('certificate-row');
    await expect.poll(() => certRows.count(), { timeout: 15_000 }).toBe(1);
    expect(await certRows.first().getByTestId('certificate-state').getAttribute('data-status')).toBe('expiring');
    await certRows.first().getByRole('checkbox').check();
    await page.getByTestId('certificates-renew').click();
    await page.waitForURL(/\/admin\/certificate-orders/);
    await expect.poll(async () => (await em().findOne(CertificateOrderSchema, { sealId: seal.id, kind: 'renewal' }))?.status ?? 'none', { timeout: 30_000 }).toBe('pending_payment');
    const renewal = await em().findOneOrFail(CertificateOrderSchema, { sealId: seal.id, kind: 'renewal' });
    expect(renewal.renewsCertificateId).toBe(certificate.id);
    await expect.poll(() => orderRows(page).count(), { timeout: 15_000 }).toBe(2);
    // The old certificate stays valid until it expires.
    expect((await assertSealUsable(em(), { enterpriseId, sealId: seal.id, userId: member.id, now: new Date() })).certificate.id).toBe(certificate.id);
  });
});
