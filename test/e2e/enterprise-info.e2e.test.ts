/**
 * 信息管理 in a real browser (Chromium) against the real platform (API + worker, Temporal dev
 * server, the run's database, the built UIs from dist/), as the enterprise's 管理员:
 * - contact details are saved directly; a save over someone else's newer change says 已被他人修改
 *   and 重新加载 shows their values where nothing was typed, keeping what was (saved next);
 * - 变更企业名称 puts the enterprise into 待重新认证 (shown in the console and in the portal's
 *   我认证的企业, whose 前往办理 leads back to 信息管理); 放弃变更 before submission brings it back
 *   to normal with the old name and every seal untouched;
 * - 变更法人 with its confirmation: the 法定代表人章 shows 已作废 in 印章管理, its authorisation gone.
 * The main chain (rename → signing blocked → submit → operator approves → new seals) is
 * test/e2e/enterprise-recertification.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnterpriseChangeSchema } from '../../domain/enterprises/enterprise-change.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const NAME = `钱塘数智科技有限公司（E2E ${Date.now() % 100000}）`;
// As the API stores it (full-width brackets become ASCII ones).
const NEW_NAME = `钱塘数智集团有限公司(E2E ${Date.now() % 100000})`;
const SEAL_TYPES = ['official', 'contract', 'legal_rep'];

let platform: TestPlatform;
let browser: Browser;
let session: UserSession;
let admin: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let enterpriseId = '';

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });
const withStatus = (scope: Page | Locator, testId: string, status: string) => scope.locator(`[data-testid="${testId}"][data-status="${status}"]`);
const enterprise = () => em().findOneOrFail(EnterpriseSchema, { id: enterpriseId });

async function openInfoPage(page: Page) {
  await page.goto('/admin/enterprise-info');
  await page.getByTestId('enterprise-info-name').waitFor();
}

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/admin-ui/index.html')) || !fs.existsSync(path.resolve('dist/portal-ui/index.html'))) {
    throw new Error('the UIs are not built: run `npm run build:ui` first');
  }
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  admin = await createUser(platform.services, '信息管理员甲');
  member = await createUser(platform.services, '法务经办乙');
  enterpriseId = (await createCertifiedEnterprise(platform.services, admin, NAME, SEAL_TYPES)).id;
  await addMember(platform.services, enterpriseId, admin, member);
  // The member may use the 法定代表人章 (removed with it by 变更法人).
  const db = em();
  const legalRep = await db.findOneOrFail(SealSchema, { enterpriseId, type: 'legal_rep' });
  db.create(SealAuthorizationSchema, { id: randomUUID(), sealId: legalRep.id, enterpriseId, userId: member.id, grantedBy: admin.id, grantedAt: new Date() });
  await db.flush();

  session = await newUserSession(browser, platform.baseUrl);
  const { page } = session;
  await signInThroughApi(page, { mobile: admin.mobile, password: TEST_PASSWORD }, '/admin/');
  const switchHere = page.getByTestId(`console-switch-${enterpriseId}`);
  await switchHere.or(page.getByTestId('acting-identity')).first().waitFor();
  if (await switchHere.isVisible()) await switchHere.click();
  await page.getByTestId('acting-identity').waitFor();
}, 120_000);

// A failed step leaves a screenshot of the admin's page behind (test-artifacts/screenshots/).
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && session) await screenshot(session.page, `enterprise-info-failed-${ctx.task.name.slice(0, 12)}`).catch(() => undefined);
});

afterAll(async () => {
  await session?.context.close();
  await releaseBrowser(browser);
  await platform?.stop();
});

describe('信息管理', () => {
  it('saves contact details; a stale version says 已被他人修改 and 重新加载 shows the newer values, keeping the typed one', async () => {
    const { page } = session;
    await page.getByTestId('menu-enterprise-info').click();
    await page.getByTestId('enterprise-info-name').waitFor();
    expect(await page.getByTestId('enterprise-info-name').textContent()).toBe(NAME);
    expect(await page.getByTestId('enterprise-standing').getAttribute('data-standing')).toBe('normal');
    expect(await page.getByTestId('enterprise-info-uscc').textContent()).toBe((await enterprise()).uscc);

    await page.getByTestId('enterprise-info-contactName').fill('王晓明');
    await page.getByTestId('enterprise-info-contactMobile').fill('0571-88886666');
    await page.getByTestId('enterprise-info-contactEmail').fill('contact@qiantang.example');
    await page.getByTestId('enterprise-info-address').fill('浙江省杭州市西湖区文三路 100 号');
    await page.getByTestId('enterprise-info-save').click();
    await eventually(async () => (await enterprise()).contactName).toBe('王晓明');
    const saved = await enterprise();
    expect([saved.contactMobile, saved.contactEmail, saved.address]).toEqual(['0571-88886666', 'contact@qiantang.example', '浙江省杭州市西湖区文三路 100 号']);
    // The form shows the saved version (re-read after saving) before anyone else changes it.
    await expect.poll(() => page.getByTestId('enterprise-info-contact-form').getAttribute('data-version')).toBe(String(saved.version));
    expect(await page.getByTestId('enterprise-info-save').isDisabled()).toBe(true);

    // Another administrator changes the address meanwhile (a newer version).
    const db = em();
    const other = await db.findOneOrFail(EnterpriseSchema, { id: enterpriseId });
    other.address = '浙江省杭州市滨江区江南大道 1 号';
    await db.flush();

    await page.getByTestId('enterprise-info-contactName').fill('王晓红');
    // Leaving for another console page with the edit unsaved asks first; 留在此页 keeps it.
    await page.getByTestId('menu-members').click();
    await page.getByTestId('leave-dialog').waitFor();
    await page.getByTestId('leave-stay').click();
    await page.getByTestId('leave-dialog').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('enterprise-info-contactName').inputValue()).toBe('王晓红');
    await page.getByTestId('enterprise-info-save').click();
    const stale = page.getByTestId('enterprise-info-stale');
    await stale.waitFor();
    expect(await stale.textContent()).toContain('已被他人修改');
    expect((await enterprise()).contactName).toBe('王晓明');
    await screenshot(page, 'enterprise-info-stale', { settle: true });

    await page.getByTestId('enterprise-info-reload').click();
    await stale.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('enterprise-info-address').inputValue()).toBe('浙江省杭州市滨江区江南大道 1 号');
    // What was typed stays; saved now (on the newer version), it keeps the other administrator's address.
    expect(await page.getByTestId('enterprise-info-contactName').inputValue()).toBe('王晓红');
    await page.getByTestId('enterprise-info-save').click();
    await eventually(async () => (await enterprise()).contactName).toBe('王晓红');
    expect((await enterprise()).address).toBe('浙江省杭州市滨江区江南大道 1 号');
    await expect.poll(() => page.getByTestId('enterprise-info-save').isDisabled()).toBe(true);
  });

  it('变更企业名称 → 待重新认证 (console and 我认证的企业 → 前往办理) → 放弃变更 → normal, old name, seals untouched', async () => {
    const { page } = session;
    const activeSeals = () => em().count(SealSchema, { enterpriseId, status: 'active' });
    const activeBefore = await activeSeals();
    await openInfoPage(page);
    // A contact detail being typed when the rename starts: the rename's newer version does not replace it.
    const versionBefore = await page.getByTestId('enterprise-info-contact-form').getAttribute('data-version');
    await page.getByTestId('enterprise-info-contactEmail').fill('typing@qiantang.example');

    await page.getByTestId('enterprise-info-rename').click();
    const dialog = page.getByTestId('enterprise-info-rename-dialog');
    // The consequences are stated before confirming: blocked from now, nothing voided until 提交.
    const consequences = (await dialog.getByTestId('enterprise-info-rename-consequences').textContent()) ?? '';
    expect(consequences).toContain('待重新认证');
    expect(consequences).toContain('不会作废任何印章');
    await dialog.getByTestId('enterprise-info-rename-name').fill(NEW_NAME);
    await dialog.getByTestId('enterprise-info-rename-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    await page.locator('[data-testid="enterprise-standing"][data-standing="recertifying"]').waitFor();
    expect(await page.getByTestId('enterprise-standing').textContent()).toBe('待重新认证');
    expect(await page.getByTestId('enterprise-info-contact-form').getAttribute('data-version')).not.toBe(versionBefore);
    expect(await page.getByTestId('enterprise-info-contactEmail').inputValue()).toBe('typing@qiantang.example');
    await withStatus(page, 'recertification-status', 'drafting').waitFor();
    expect(await page.getByTestId('recertification-names').textContent()).toContain(NEW_NAME);
    await page.getByTestId('enterprise-info-recertifying').waitFor();
    // 变更法人 is not offered while re-certifying; the submit form is.
    expect(await page.getByTestId('enterprise-info-legal-rep').isDisabled()).toBe(true);
    await page.getByTestId('recertification-submit-form').waitFor();
    expect(await page.getByTestId('recertification-submit-name').inputValue()).toBe(NEW_NAME);
    const e = await enterprise();
    expect([e.standing, e.name]).toEqual(['recertifying', NAME]);
    const change = await em().findOneOrFail(EnterpriseChangeSchema, { enterpriseId, kind: 'rename' });
    expect([change.status, change.newValue]).toEqual(['drafting', NEW_NAME]);
    expect(await activeSeals()).toBe(activeBefore);
    await screenshot(page, 'enterprise-info-drafting', { settle: true });

    // The portal's 我认证的企业 shows 待重新认证; 前往办理 leads to 信息管理 as this enterprise.
    await page.goto('/my-enterprises');
    const row = page.locator(`[data-testid="my-enterprise-row"][data-id="${enterpriseId}"]`);
    await row.getByTestId('enterprise-standing').waitFor();
    expect(await row.getByTestId('enterprise-standing').textContent()).toBe('待重新认证');
    expect(await row.getByTestId('enterprise-open-change').getAttribute('data-status')).toBe('drafting');
    const go = row.getByTestId('enterprise-recertification-open');
    expect(await go.getAttribute('data-action')).toBe('continue');
    await go.click();
    await page.waitForURL('**/admin/enterprise-info');
    await withStatus(page, 'recertification-status', 'drafting').waitFor();

    // 放弃变更 (before the point of no return).
    await page.getByTestId('recertification-abandon').click();
    await page.getByTestId('recertification-abandon-confirm').click();
    await page.locator('[data-testid="enterprise-standing"][data-standing="normal"]').waitFor();
    expect(await page.getByTestId('enterprise-info-name').textContent()).toBe(NAME);
    expect(await page.getByTestId('recertification-panel').count()).toBe(0);
    await withStatus(page, 'change-row', 'abandoned').waitFor();
    await eventually(async () => (await em().findOneOrFail(EnterpriseChangeSchema, { id: change.id })).status).toBe('abandoned');
    const after = await enterprise();
    expect([after.standing, after.name]).toEqual(['normal', NAME]);
    expect(await activeSeals()).toBe(activeBefore);
  });

  it('变更法人 with its confirmation: the 法定代表人章 shows 已作废 in 印章管理 and its authorisation is gone', async () => {
    const { page } = session;
    const legalRep = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'legal_rep', status: 'active' });
    expect(await em().count(SealAuthorizationSchema, { sealId: legalRep.id })).toBe(1);
    await openInfoPage(page);

    await page.getByTestId('enterprise-info-legal-rep').click();
    const dialog = page.getByTestId('enterprise-info-legal-rep-dialog');
    expect(await dialog.getByTestId('enterprise-info-legal-rep-consequences').textContent()).toContain('法定代表人章将被作废');
    await dialog.getByTestId('enterprise-info-legal-rep-name').fill('赵新民');
    await dialog.getByTestId('enterprise-info-legal-rep-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('enterprise-info-legal-rep-value').textContent()).toBe('赵新民');
    await withStatus(page, 'change-row', 'completed').waitFor();

    const voided = await em().findOneOrFail(SealSchema, { id: legalRep.id });
    expect([voided.status, voided.voidReason]).toEqual(['voided', 'legal_representative_changed']);
    expect(await em().count(SealAuthorizationSchema, { sealId: legalRep.id })).toBe(0);
    expect((await enterprise()).legalRepresentative).toBe('赵新民');
    // Only the 法定代表人章: the other seals stay active.
    expect(await em().count(SealSchema, { enterpriseId, status: 'active' })).toBe(SEAL_TYPES.length - 1);

    await page.getByTestId('menu-seals').click();
    const row = page.getByTestId('seal-row').filter({ has: page.locator('[data-testid="seal-status"][data-status="voided"]') });
    await row.waitFor();
    expect(await row.getByTestId('seal-status').textContent()).toContain('已作废');
    expect(await row.textContent()).toContain('法定代表人章');
    await screenshot(page, 'enterprise-info-legal-rep-voided', { settle: true });
  });

  it('提交重新认证 (the confirmation lists what is voided) → 重新认证审核 rejects with a reason → resubmitted without a new letter → approved', async () => {
    const { page } = session;
    const renamed = `钱塘数智控股有限公司(E2E ${Date.now() % 100000})`;
    const { uscc } = await enterprise();
    const liveSeals = await em().count(SealSchema, { enterpriseId, status: { $ne: 'voided' } });
    await openInfoPage(page);
    await page.getByTestId('enterprise-info-rename').click();
    await page.getByTestId('enterprise-info-rename-name').fill(renamed);
    await page.getByTestId('enterprise-info-rename-confirm').click();
    await withStatus(page, 'recertification-status', 'drafting').waitFor();

    await page.getByTestId('recertification-submit-uscc').fill(uscc);
    await page.getByTestId('recertification-submit-letter').setInputFiles({ name: '授权书.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await makePdf(1)) });
    await page.getByTestId('recertification-submit').click();
    const impact = page.getByTestId('recertification-submit-impact');
    await impact.waitFor();
    expect(await impact.getAttribute('data-seals')).toBe(String(liveSeals));
    expect(await impact.textContent()).toContain('提交后不可撤回');
    expect(await impact.textContent()).toContain(`作废 ${liveSeals} 枚印章`);
    await screenshot(page, 'enterprise-info-submit-confirm', { fullPage: false, settle: true });
    await page.getByTestId('recertification-submit-confirm').click();
    await withStatus(page, 'recertification-status', 'under_review').waitFor();
    // Past the point of no return: no 放弃变更 any more; the seals are voided.
    expect(await page.getByTestId('recertification-abandon').count()).toBe(0);
    expect(await em().count(SealSchema, { enterpriseId, status: { $ne: 'voided' } })).toBe(0);

    // The operator rejects with a reason in 重新认证审核.
    const operator = await createUser(platform.services, '平台审核员丙', 'operator');
    const ops = await newUserSession(browser, platform.baseUrl);
    try {
      const op = ops.page;
      await signInThroughApi(op, { mobile: operator.mobile, password: TEST_PASSWORD }, '/admin/');
      await op.getByTestId('menu-recertifications').click();
      // The letter's download fails (no connection): the console says so in its own words, not the browser's "Failed to fetch".
      const isLetter = (url: URL) => /^\/api\/admin\/recertifications\/[^/]+\/letter$/.test(url.pathname);
      await op.route(isLetter, (route) => route.abort('internetdisconnected'));
      await op.getByTestId('recertification-row').filter({ hasText: renamed }).click();
      await op.getByTestId('recertification-show').waitFor();
      await expect.poll(() => op.getByTestId('authorization-letter').textContent()).toContain('网络错误，请检查连接后重试');
      await op.unroute(isLetter);
      await op.reload();
      expect(await op.getByTestId('recertification-new-name').textContent()).toBe(renamed);
      expect(await op.getByTestId('recertification-uscc').textContent()).toContain(uscc);
      await op.getByTestId('letter-frame').waitFor();
      await op.getByTestId('recertification-reject').click();
      await op.getByTestId('recertification-reject-reason').fill('授权书缺少公章');
      await op.getByTestId('recertification-reject-confirm').click();
      await withStatus(op, 'recertification-show', 'rejected').waitFor();

      // The admin sees the reason (the page follows the review) and resubmits, keeping the letter.
      await withStatus(page, 'recertification-status', 'rejected').waitFor();
      expect(await page.getByTestId('recertification-reject-reason-shown').textContent()).toContain('授权书缺少公章');
      expect(await page.getByTestId('recertification-submit-uscc').inputValue()).toBe(uscc);
      await page.getByTestId('recertification-submit').click();
      await page.getByTestId('recertification-submit-confirm').click();
      await withStatus(page, 'recertification-status', 'under_review').waitFor();

      await op.reload();
      await withStatus(op, 'recertification-show', 'under_review').waitFor();
      await op.getByTestId('recertification-approve').click();
      await withStatus(op, 'recertification-show', 'approved').waitFor();
    } finally {
      await ops.context.close();
    }

    await page.locator('[data-testid="enterprise-standing"][data-standing="normal"]').waitFor();
    await expect.poll(() => page.getByTestId('enterprise-info-name').textContent()).toBe(renamed);
    await withStatus(page, 'change-row', 'approved').waitFor();
    const after = await enterprise();
    expect([after.name, after.standing]).toEqual([renamed, 'normal']);
    expect(await em().count(SealSchema, { enterpriseId, status: 'active' })).toBe(liveSeals);
  });
});
