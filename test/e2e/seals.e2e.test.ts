/**
 * 印章管理 in a real browser (Chromium) against the real platform: the 管理员 of a certified
 * enterprise opens the console, sees the drawn seals, creates a 部门章, authorises a member with
 * an SMS code and a validity date, disables a seal, and changes a seal's image (uploaded, then drawn again). With UPDATE_DOCS_SCREENSHOTS=1 the page's
 * screenshot also replaces docs/screenshots/seal-management.png (tests never change tracked files otherwise).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, latestSmsCode, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let session: UserSession;
let admin: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let enterpriseId = '';

const em = () => platform.services.orm.em.fork();
const row = (page: Page, text: string) => page.getByTestId('seal-row').filter({ hasText: text });

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/admin-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  admin = await createUser(platform.services, '印章管理员甲');
  member = await createUser(platform.services, '经办人乙');
  const enterprise = await createCertifiedEnterprise(platform.services, admin, '杭州云签信息科技有限公司', ['official', 'contract', 'finance', 'legal_rep']);
  enterpriseId = enterprise.id;
  await addMember(platform.services, enterpriseId, admin, member);
  session = await newUserSession(browser, platform.baseUrl);
}, 120_000);

afterAll(async () => {
  await session?.context.close();
  await releaseBrowser(browser);
  await platform?.stop();
});

describe('印章管理', () => {
  it('shows the drawn seals, creates a 部门章, authorises a member with validity, disables a seal', async () => {
    const { page } = session;
    await signInThroughApi(page, { mobile: admin.mobile, password: TEST_PASSWORD }, '/admin/');
    await page.getByTestId(`console-switch-${enterpriseId}`).or(page.getByTestId('acting-identity')).first().waitFor();
    if (await page.getByTestId(`console-switch-${enterpriseId}`).isVisible()) await page.getByTestId(`console-switch-${enterpriseId}`).click();
    await page.getByTestId('acting-identity').waitFor();
    await page.goto('/admin/seals');
    await expect.poll(() => page.getByTestId('seal-row').count(), { timeout: 30_000 }).toBe(4);
    // Every preview image really loaded (drawn on first request for seals created without one).
    await expect.poll(() => page.getByTestId('seal-preview').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 400).length), { timeout: 30_000 }).toBe(4);

    // 创建印章: 部门章 for 市场营销部.
    await page.getByTestId('seal-create').click();
    const create = page.getByTestId('seal-create-dialog');
    await create.getByRole('combobox').click();
    await page.getByTestId('seal-type-department').click();
    await create.getByTestId('seal-create-department').fill('市场营销部');
    await create.getByTestId('seal-create-submit').click();
    await create.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('seal-row').count(), { timeout: 15_000 }).toBe(5);
    expect(await em().count(SealSchema, { enterpriseId, type: 'department', departmentName: '市场营销部' })).toBe(1);

    // 印章授权 of the 合同专用章 to the member until a date, with the admin's SMS code.
    const contract = row(page, '合同专用章');
    await contract.getByTestId('seal-grant').click();
    const grant = page.getByTestId('seal-grant-dialog');
    await grant.getByRole('combobox').click();
    await page.getByTestId(`seal-grant-member-${member.id}`).click();
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await grant.getByTestId('seal-grant-expires').fill(until);
    await grant.getByTestId('seal-grant-send-code').click();
    await expect.poll(async () => latestSmsCode(platform.services, admin.mobile).catch(() => ''), { timeout: 10_000 }).toMatch(/^\d{6}$/);
    await grant.getByTestId('seal-grant-code').fill(await latestSmsCode(platform.services, admin.mobile));
    await grant.getByTestId('seal-grant-submit').click();
    await grant.getByTestId('seal-grant-current').waitFor();
    expect(await grant.getByTestId('seal-grant-current').textContent()).toContain('经办人乙');
    await grant.getByRole('button', { name: '关闭' }).click();
    await expect.poll(async () => (await contract.getByTestId('seal-users').textContent()) ?? '', { timeout: 10_000 }).toContain('经办人乙');
    const auth = await em().findOneOrFail(SealAuthorizationSchema, { userId: member.id });
    expect(auth.expiresAt?.toISOString().slice(0, 10)).toBe(until);

    // 停用 the 财务专用章.
    const finance = row(page, '财务专用章');
    await finance.getByTestId('seal-disable').click();
    await page.getByTestId('seal-toggle-confirm').click();
    await expect.poll(() => finance.getByTestId('seal-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('disabled');
    expect((await em().findOneOrFail(SealSchema, { enterpriseId, type: 'finance' })).status).toBe('disabled');

    const file = await screenshot(page, 'seal-management', { settle: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.resolve('docs/screenshots/seal-management.png'));
  });

  it('更换图片: the administrator uploads a new image for a seal, then has it drawn again from the enterprise data', async () => {
    const { page } = session;
    await page.goto('/admin/seals');
    const official = row(page, '公章');
    await official.getByTestId('seal-change-image').waitFor();
    const before = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'official' });

    const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seal-')), 'new-seal.png');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="100%" height="100%" fill="#fff"/><circle cx="250" cy="250" r="200" fill="none" stroke="#c8161d" stroke-width="16"/><circle cx="250" cy="250" r="50" fill="#c8161d"/></svg>';
    fs.writeFileSync(png, await sharp(Buffer.from(svg)).png().toBuffer());
    await official.getByTestId('seal-change-image').click();
    const dialog = page.getByTestId('seal-image-dialog');
    await dialog.getByTestId('seal-image-mode-upload').check();
    await dialog.getByTestId('seal-image-file').setInputFiles(png);
    await dialog.getByTestId('seal-image-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const uploaded = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'official' });
    expect([uploaded.source, uploaded.imageSha256 !== before.imageSha256, uploaded.version]).toEqual(['uploaded', true, before.version + 1]);
    await expect.poll(async () => (await official.textContent()) ?? '', { timeout: 10_000 }).toContain('上传');

    await official.getByTestId('seal-change-image').click();
    await dialog.getByTestId('seal-image-submit').click(); // 按企业信息重新生成 is the default
    await dialog.waitFor({ state: 'detached' });
    const redrawn = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'official' });
    expect([redrawn.source, redrawn.imageSha256 !== uploaded.imageSha256]).toEqual(['generated', true]);
    // Both audited (beside the drawing of its first image when the enterprise was certified).
    expect(await em().count(AuditEventSchema, { targetId: before.id, action: 'seal.image_uploaded' })).toBe(1);
    expect(await em().count(AuditEventSchema, { targetId: before.id, action: 'seal.image_generated' })).toBeGreaterThanOrEqual(1);
  });
});
