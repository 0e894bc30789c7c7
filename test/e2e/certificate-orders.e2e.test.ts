/**
 * 证书订单管理 and 企业证书更新 in a real browser (Chromium) against the real platform and the CA
 * order service: the enterprise administrator sees the order, 继续认证 opens the CA's page for it,
 * 刷新状态 shows what the CA's staff did, 撤销 after payment shows the CA's refusal in the dialog,
 * the order ends 已签发; an expiring certificate is selected on 企业证书更新 and renewed.
 * Screenshots go to test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderProgress } from '../../domain/certificates/certificate-order-progress';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, type UserSession } from '../harness/browser';
import { startTestCaService, type TestCaService } from '../harness/ca-service';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let ca: TestCaService;
let platform: TestPlatform;
let browser: Browser;
let session: UserSession;
let api: ApiClient;
let enterpriseId = '';
let sealId = '';

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/admin-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  ca = await startTestCaService();
  // Polls every 1 s (the activities answer the platform setting; tests shorten it).
  const shortened = <A extends unknown[]>(run: (...a: A) => Promise<OrderProgress>) => async (...a: A) => ({ ...(await run(...a)), nextPollSeconds: 1 });
  [platform, browser] = await Promise.all([
    startTestPlatform(ca.env, { overrideActivities: (real) => ({ submitOrder: shortened(real.submitOrder), pollOrder: shortened(real.pollOrder) }) }),
    launchBrowser(),
  ]);
  const admin = await createUser(platform.services, '证书管理员');
  const enterprise = await createCertifiedEnterprise(platform.services, admin, `云证书科技有限公司（E2E ${Date.now() % 100000}）`, ['official', 'contract']);
  enterpriseId = enterprise.id;
  sealId = (await platform.services.orm.em.fork().findOneOrFail(SealSchema, { enterpriseId, type: 'contract' })).id;
  api = new ApiClient(platform.baseUrl);
  await api.login(admin.mobile, TEST_PASSWORD);
  await api.post('/auth/acting', { enterpriseId });
  session = await newUserSession(browser, platform.baseUrl);
  const req = session.context.request;
  expect((await req.post('/api/auth/login', { data: { mobile: admin.mobile, password: TEST_PASSWORD } })).status()).toBe(200);
  expect((await req.post('/api/auth/acting', { data: { enterpriseId } })).status()).toBe(200);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  await ca?.stop();
});

const orderStatus = async (orderId: string) => (await api.get(`/console/certificate-orders/${orderId}`)).json.status as string;
const chip = (page: Page) => page.getByTestId('certificate-order-row').first().getByTestId('order-status');

describe('certificate orders in the enterprise console', () => {
  let orderId = '';
  let caOrderId = '';

  it('证书订单管理: 继续认证 opens the CA page, 刷新状态 shows the payment, 撤销 shows the CA’s refusal, then 已签发', async () => {
    const applied = await api.post('/console/certificate-orders', { sealId });
    expect(applied.status).toBe(202);
    orderId = applied.json.id;
    await eventually(async () => (await orderStatus(orderId)) === 'pending_payment', 20_000, '待支付');
    caOrderId = (await api.get(`/console/certificate-orders/${orderId}`)).json.caOrderId;

    const { page, context } = session;
    await page.goto('/admin/certificate-orders');
    await expect.poll(() => chip(page).getAttribute('data-status')).toBe('pending_payment');
    expect(await chip(page).textContent()).toBe('待支付');
    await screenshot(page, 'certificate-orders-pending-payment');

    const [caPage] = await Promise.all([context.waitForEvent('page'), page.getByTestId('order-continue').click()]);
    await caPage.waitForURL((url) => url.href.startsWith(`${ca.publicUrl}/orders/`));
    await caPage.close();

    expect(await ca.staff.act(caOrderId, 'mark-paid')).toBe(303);
    await page.getByTestId('order-refresh').click();
    await expect.poll(() => chip(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');

    await page.getByTestId('order-cancel').click();
    await expect.poll(() => page.getByTestId('reject-dialog').textContent()).toContain('撤销原因');
    await page.getByTestId('reject-reason').fill('不再需要该证书');
    await page.getByTestId('reject-confirm').click();
    await expect.poll(() => page.getByTestId('error-message').textContent()).toContain('订单已支付，无法撤销');
    await screenshot(page, 'certificate-orders-cancel-refused', { fullPage: false, settle: true });
    await page.getByTestId('reject-cancel').click();
    expect(await orderStatus(orderId)).toBe('paid');

    for (const step of ['start-audit', 'approve'] as const) expect(await ca.staff.act(caOrderId, step)).toBe(303);
    await eventually(async () => (await orderStatus(orderId)) === 'issued', 20_000, '已签发');
    await page.reload();
    await expect.poll(() => chip(page).getAttribute('data-status')).toBe('issued');
    expect(await page.getByTestId('order-refresh').count()).toBe(0); // ended orders offer no actions
    await screenshot(page, 'certificate-orders-issued');
  });

  it('企业证书更新: the expiring certificate is listed under 即将过期, selected and renewed', async () => {
    const certificateId = (await api.get(`/console/certificate-orders/${orderId}`)).json.certificateId as string;
    await platform.services.orm.em.fork().nativeUpdate(SigningCertificateSchema, { id: certificateId }, { notAfter: new Date(Date.now() + 12 * 86_400_000) });
    const { page } = session;
    await page.goto('/admin/certificates');
    const row = page.getByTestId('certificate-row').first();
    await expect.poll(() => row.getByTestId('certificate-state').textContent()).toBe('剩余 12 天');
    await page.getByTestId('certificates-tab-expired').click();
    await expect.poll(() => page.getByTestId('certificate-row').count()).toBe(0);
    await page.getByTestId('certificates-tab-expiring').click();
    await row.getByRole('checkbox').check();
    await screenshot(page, 'certificates-renew-selected', { settle: true });
    await page.getByTestId('certificates-renew').click();
    await page.waitForURL(/\/admin\/certificate-orders/);
    const orders = (await api.get('/console/certificate-orders')).json as { kind: string; renewsCertificateId: string | null }[];
    expect(orders.filter((o) => o.kind === 'renewal')).toEqual([expect.objectContaining({ renewsCertificateId: certificateId })]);
    await expect.poll(() => page.getByTestId('certificate-order-row').count()).toBe(2);
  });
});
