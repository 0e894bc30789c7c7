/**
 * The CA order service's pages in Chromium (the run's CA service from global-setup): a CA staff
 * member signs in, filters the list, marks an order paid, starts the audit and issues; the
 * applicant page follows. Real form POSTs, so the CSRF rules (Origin of the page + hidden token)
 * are checked the way a browser sends them; no CSP violation on any page.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHttpCaOrderGateway } from '../../integrations/ca-orders/http-ca-order-gateway';
import { createKeyAndCsr } from '../../integrations/ca/csr';
import { launchBrowser, newUserSession, releaseBrowser, screenshot } from '../harness/browser';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const baseUrl = inject('caServiceUrl');
const gateway = createHttpCaOrderGateway({ baseUrl, apiKey: inject('caServiceApiKey'), timeoutMs: 15_000 });
let browser: Browser;
let platform: TestPlatform;

beforeAll(async () => {
  // A platform on the run's database sets up the platform CA the service issues with.
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
});
afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

describe('CA staff pages in Chromium', () => {
  it('sign in → filter → 标记已支付 → 开始审核 → 审核通过并签发; the applicant page shows each status', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'seal' });
    const enterpriseName = `浏览器测试${randomUUID().slice(0, 6)}科技有限公司`;
    const order = await gateway.submit({ platformOrderId: randomUUID(), enterpriseName, uscc: '91330106MA2B3C4D5E', sealId: randomUUID(), sealName: '合同专用章', csrPem, validityDays: 365, kind: 'new' });
    const applicantUrl = await gateway.applicantUrl(order.caOrderId);

    const { context, page } = await newUserSession(browser, baseUrl);
    const violations = watchCsp(page);
    try {
      await page.goto('/staff/orders');
      await expect.poll(() => page.url()).toBe(`${baseUrl}/staff/login`);
      await page.getByLabel(/工作人员密码/).fill(inject('caServiceStaffPassword'));
      await page.getByRole('button', { name: /登录/ }).click();
      await page.waitForURL(`${baseUrl}/staff/orders`);

      await page.getByPlaceholder(/企业名称/).fill(enterpriseName);
      await page.getByRole('button', { name: /筛选/ }).click();
      await page.getByText('共 1 个订单').waitFor();
      await screenshot(page, 'ca-staff-order-list');
      await page.getByRole('link', { name: order.caOrderId.slice(0, 8) }).click();
      await page.getByRole('heading', { name: /订单详情/ }).waitFor();

      const applicant = await context.newPage();
      await applicant.goto(applicantUrl);
      await applicant.getByText('请联系 CA 完成支付').waitFor();

      for (const [button, done, status] of [
        [/标记已支付/, '已标记为已支付', 'paid'],
        [/开始审核/, '已开始审核', 'auditing'],
        [/审核通过并签发/, '审核通过，证书已签发', 'issued'],
      ] as const) {
        await page.getByRole('button', { name: button }).click();
        await page.getByText(done).first().waitFor();
        expect((await gateway.get(order.caOrderId)).status).toBe(status);
      }
      await screenshot(page, 'ca-staff-order-issued');
      expect(await page.getByText('证书序列号').count()).toBe(1);

      await applicant.reload();
      await applicant.getByText('证书已签发，请返回平台查看证书').waitFor();
      await screenshot(applicant, 'ca-applicant-issued');
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
