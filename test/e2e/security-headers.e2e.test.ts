/**
 * The security headers (helmet CSP, frame-ancestors 'none') against the built UIs in Chromium:
 * the pages that load the most (the contract page with its PDF <object> from /api, the operator's
 * certification review with the 授权书 in a blob: iframe, the SMS outbox) render with no CSP
 * violation, and no other site can frame the apps.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitCertification } from '../../domain/enterprises/certification';
import { UserSchema } from '../../domain/identity/user.entity';
import { launchBrowser, loginThroughUi, newUserSession, releaseBrowser, waitForPdfViewer } from '../harness/browser';
import { uniqueUscc } from '../harness/enterprise-fixtures';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html')) || !fs.existsSync(path.resolve('dist/admin-ui/index.html'))) {
    throw new Error('the UIs are not built: run `npm run build:ui` first');
  }
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

/** Records every CSP violation the page reports (DOM event and console message). */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCsp', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(v: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

describe('security headers in the browser', () => {
  it('the portal contract page draws its PDF pages with pdf.js without CSP violations', async () => {
    const signer = await createUser(platform.services, '页面甲');
    const other = await createUser(platform.services, '页面乙');
    const api = new ApiClient(platform.baseUrl);
    await api.login(signer.mobile, TEST_PASSWORD);
    const created = await api.post('/contracts', contractForm(await makePdf(2), { title: 'CSP 检查合同', expiresAt: new Date(Date.now() + 5 * 86400_000), signers: [{ mobile: signer.mobile, name: signer.name, page: 1, x: 100, y: 650 }, { mobile: other.mobile, name: other.name, page: 2, x: 350, y: 650 }] }));
    expect(created.status).toBe(201);

    const { page, context } = await newUserSession(browser, platform.baseUrl);
    const violations = await watchCsp(page);
    await loginThroughUi(page, { mobile: signer.mobile, password: TEST_PASSWORD });
    await page.goto(`/contracts/${created.json.id}/show`);
    await page.getByTestId('document-preview').waitFor();
    // The portal draws the pages with pdf.js (module worker from 'self'; pages near the screen are drawn): no violation.
    await page.locator('[data-page-count="2"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="pdf-page-canvas"][data-drawn="true"]').first().waitFor({ timeout: 30_000 });
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the admin console (certification review with the 授权书 frame, SMS outbox) loads without CSP violations', async () => {
    const operator = await createUser(platform.services, '运营', 'operator');
    const applicant = await createUser(platform.services, '申请人');
    const em = platform.services.orm.em.fork();
    const certifier = await em.findOneOrFail(UserSchema, { id: applicant.id });
    const enterprise = await submitCertification(em, platform.services.store, certifier, { name: 'CSP 检查有限公司', uscc: uniqueUscc(), legalRepresentative: '法人', sealTypes: ['official'] }, await makePdf(1), { id: applicant.id, name: applicant.name, ip: null });

    const { page, context } = await newUserSession(browser, platform.baseUrl);
    const violations = await watchCsp(page);
    await loginThroughUi(page, { mobile: operator.mobile, password: TEST_PASSWORD }, 'admin');
    await page.goto(`/admin/enterprises/${enterprise.id}/show`);
    await page.getByTestId('letter-frame').waitFor();
    await waitForPdfViewer(page, 1);
    await page.goto('/admin/sms-outbox');
    await page.getByTestId('app-name').waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('another site cannot frame the portal or the admin console', async () => {
    const { page, context } = await newUserSession(browser, platform.baseUrl);
    for (const url of [`${platform.baseUrl}/`, `${platform.baseUrl}/admin/`]) {
      // A page from another origin (about:blank with our HTML) embedding the app.
      await page.goto('about:blank');
      // setContent waits for the load event, which waits for the frame (loaded or refused).
      await page.setContent(`<iframe id="f" src="${url}" width="800" height="600"></iframe>`, { waitUntil: 'load' });
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame?.url(), url).toMatch(/^chrome-error:/);
      expect(frame ? await frame.locator('#root').count().catch(() => 0) : 0, url).toBe(0);
    }
    await context.close();
  });
});
