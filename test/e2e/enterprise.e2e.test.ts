/**
 * Accounts and enterprises in a real browser (Chromium) against the real platform (API + worker,
 * real Temporal dev server, the run's database, the built UIs from dist/):
 * 注册 → 实名认证 (operator review) → 认证企业 (operator review of the 授权书) → a second user
 * registers and applies to join → the 管理员 approves them in 企业控制台 as 印章管理员 with the
 * 合同专用章 (SMS code) → 转让管理员 (admin's code in the console, new admin's code in the portal)
 * → the operator's 审计日志. Only the operator is created directly; everyone else signs up in the UI.
 * On the way: a background read of the review page answered 503 keeps the 驳回 reason being typed; the new
 * administrator's confirmation answered 503 UPDATE_STILL_RUNNING (accepted, still running) shows 处理中, not an error.
 * Screenshots go to test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../domain/audit/audit-actions';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { launchBrowser, loginThroughUi, newUserSession, releaseBrowser, screenshot, waitForPdfViewer, type UserSession } from '../harness/browser';
import { uniqueUscc } from '../harness/enterprise-fixtures';
import { errorNotification, refetchAnswered503, UNAVAILABLE_ERROR } from '../harness/failed-refetch';
import { createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy as codeSentByOutbox, idNumberFrom, registerAndSubmitRealName as registerThroughUi, type Registrant } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let operator: { id: string; name: string; mobile: string };
let sa: UserSession;
let sb: UserSession;
let so: UserSession;

const userA: Registrant = { name: '陈思远', mobile: uniqueMobile(), idNumber: '11010519491231002X', id: '' };
const userB: Registrant = { name: '林晓雨', mobile: uniqueMobile(), idNumber: idNumberFrom('31010419880315123'), id: '' };
const ENTERPRISE_NAME = `星河数据科技有限公司（E2E ${Date.now() % 100000}）`;
const LEGAL_REPRESENTATIVE = '周建国';
const INVALID_USCC = '91350100M000100Y44';
const USCC_ERROR = '统一社会信用代码不正确（18 位，校验位有误）';

/** Filled in as the flow goes. */
let enterpriseId = '';
let contractSealId = '';
let membershipB = '';

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html')) || !fs.existsSync(path.resolve('dist/admin-ui/index.html'))) {
    throw new Error('the UIs are not built: run `npm run build:ui` first');
  }
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-e2e-ent-'));
  [platform, browser] = await Promise.all([startTestPlatform({ ADMIN_TRANSFER_TTL_SECONDS: '600' }), launchBrowser()]);
  operator = await createUser(platform.services, '平台管理员', 'operator');
  [sa, sb, so] = await Promise.all([newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl)]);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

const em = () => platform.services.orm.em.fork();

/** Polls a value until it matches (Playwright-style auto-waiting, no sleeps). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

/** Screenshots with CSS transitions (focus underlines, menus fading in) run to their end. */
const shot = (page: Page, name: string, options: { fullPage?: boolean } = {}) => screenshot(page, name, { ...options, settle: true });

const codeSentBy = (mobile: string, action: () => Promise<void>) => codeSentByOutbox(platform.services, mobile, action);

async function writeTempFile(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(tmpDir, name);
  await fs.promises.writeFile(file, bytes);
  return file;
}

/** The element with this testid and data-status (auto-waits for the status to be reached). */
const withStatus = (page: Page | Locator, testId: string, status: string) => page.locator(`[data-testid="${testId}"][data-status="${status}"]`);

/** Registers through the portal and submits 实名认证 (认证中 until the operator reviews it). */
const registerAndSubmitRealName = (page: Page, user: Registrant, screenshotName?: string) =>
  registerThroughUi(page, platform.services, user, { beforeSubmit: screenshotName ? async () => void (await shot(page, screenshotName)) : undefined });

/** The operator approves a pending 实名认证 in 实名认证审核. */
async function operatorApprovesRealName(user: Registrant) {
  const { page } = so;
  await page.getByTestId('menu-real-name-applications').click();
  const row = page.getByTestId('real-name-application-row').filter({ hasText: user.name });
  await row.waitFor();
  expect(await row.getAttribute('data-status')).toBe('pending');
  expect(await row.textContent()).toContain(user.mobile.slice(-4));
  await row.getByTestId('review-approve').click();
  // The list shows 待审核 only: the approved application leaves it.
  await row.waitFor({ state: 'detached' });
}

/** Reloads 实名认证 until it says 已认证. */
async function expectVerifiedAfterReload(page: Page, user: Registrant) {
  await page.reload();
  const status = withStatus(page, 'realname-status', 'verified');
  await status.waitFor();
  expect(await status.textContent()).toBe('已认证');
  expect(await page.getByTestId('realname-verified').textContent()).toContain(user.name);
}

/** Opens the portal's identity menu (the caller closes it with Escape). */
async function openIdentityMenu(page: Page) {
  await page.getByTestId('identity-switch').click();
  await page.getByTestId('identity-menu').getByRole('menu').waitFor();
}

// ---------------------------------------------------------------- the flow

describe('accounts and enterprises in the browser', () => {
  it('user A registers through /register and submits 实名认证 (认证中)', async () => {
    await registerAndSubmitRealName(sa.page, userA, 'register');
    await shot(sa.page, 'realname-pending');
  });

  it('the operator approves A in 实名认证审核; A reloads and is 已认证', async () => {
    await loginThroughUi(so.page, { mobile: operator.mobile, password: TEST_PASSWORD }, 'admin');
    await so.page.getByTestId('operator-identity').waitFor();
    await operatorApprovesRealName(userA);
    await expectVerifiedAfterReload(sa.page, userA);
  });

  it('A submits 认证企业 in 我的企业; a bad USCC shows the API’s message and keeps the form', async () => {
    const { page } = sa;
    const countEnterprises = () => em().count(EnterpriseSchema, { certifierUserId: userA.id });
    await page.getByTestId('menu-my-enterprises').click();
    await page.getByTestId('my-enterprises-empty').waitFor();
    await page.getByTestId('certify-open').click();
    const dialog = page.getByTestId('certify-dialog');
    await dialog.waitFor();
    // Verified: no 实名认证 hint in the dialog.
    expect(await dialog.getByTestId('realname-required').count()).toBe(0);

    await dialog.getByTestId('certify-name').fill(ENTERPRISE_NAME);
    await dialog.getByTestId('certify-uscc').fill(INVALID_USCC);
    await dialog.getByTestId('certify-legal').fill(LEGAL_REPRESENTATIVE);
    await dialog.getByTestId('certify-file').setInputFiles(await writeTempFile('授权书.pdf', await makePdf(1)));
    await dialog.getByTestId('certify-file-name').waitFor();
    await dialog.getByTestId('certify-seal-official').check();
    await dialog.getByTestId('certify-seal-contract').check();
    await dialog.getByTestId('certify-submit').click();

    // The API's own message for this USCC (same session) is what the dialog shows at the field.
    const api = await page.request.post('/api/enterprises', {
      multipart: {
        name: ENTERPRISE_NAME,
        uscc: INVALID_USCC,
        legalRepresentative: LEGAL_REPRESENTATIVE,
        sealTypes: JSON.stringify(['official', 'contract']),
        file: { name: '授权书.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await makePdf(1)) },
      },
    });
    expect(api.status()).toBe(400);
    const apiMessage = ((await api.json()) as { error: { message: string } }).error.message;
    expect(apiMessage).toContain(USCC_ERROR);
    await dialog.getByText(USCC_ERROR).waitFor();
    await dialog.getByTestId('error-message').waitFor();
    // Nothing was lost, nothing was created.
    expect(await dialog.getByTestId('certify-name').inputValue()).toBe(ENTERPRISE_NAME);
    expect(await dialog.getByTestId('certify-uscc').inputValue()).toBe(INVALID_USCC);
    expect(await dialog.getByTestId('certify-legal').inputValue()).toBe(LEGAL_REPRESENTATIVE);
    expect(await dialog.getByTestId('certify-seal-official').isChecked()).toBe(true);
    expect(await dialog.getByTestId('certify-seal-contract').isChecked()).toBe(true);
    expect(await dialog.getByTestId('certify-file-name').textContent()).toContain('授权书.pdf');
    expect(await countEnterprises()).toBe(0);
    await shot(page, 'certify-invalid-uscc', { fullPage: false });

    // Only the USCC is corrected.
    const uscc = uniqueUscc();
    await dialog.getByTestId('certify-uscc').fill(uscc);
    await dialog.getByTestId('certify-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const row = withStatus(page, 'my-enterprise-row', 'pending').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    enterpriseId = (await row.getAttribute('data-id')) ?? '';
    expect(enterpriseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await row.textContent()).toContain(uscc);
    expect(await row.textContent()).toContain('公章、合同专用章');
    expect(await row.getByTestId('enterprise-status').textContent()).toBe('认证中');
    expect(await countEnterprises()).toBe(1);
    await shot(page, 'enterprise-submitted');
  });

  it('the operator reviews the certification with its 授权书 and approves; A sees 已认证', async () => {
    const { page } = so;
    await page.getByTestId('menu-enterprises').click();
    const row = page.locator(`[data-testid="enterprise-row"][data-id="${enterpriseId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(userA.name);
    await row.getByText(ENTERPRISE_NAME).click();

    const show = withStatus(page, 'enterprise-show', 'pending');
    await show.waitFor();
    expect(page.url()).toContain(`/admin/enterprises/${enterpriseId}/show`);
    expect(await show.getByTestId('enterprise-name').textContent()).toBe(ENTERPRISE_NAME);
    expect(await show.getByTestId('enterprise-legal').textContent()).toBe(LEGAL_REPRESENTATIVE);
    expect(await show.getByTestId('enterprise-certifier').textContent()).toBe(userA.name);
    expect(await show.getByTestId('enterprise-seal-types').textContent()).toBe('公章、合同专用章');
    // The 授权书 is shown (a PDF in a frame).
    await show.getByTestId('letter-frame').waitFor();
    expect(await show.getByTestId('authorization-letter').getAttribute('data-type')).toContain('pdf');
    await waitForPdfViewer(page, 1);
    await shot(page, 'certification-review');

    // A 驳回 reason being typed when the page's background read (the window regains focus) meets a 503: the page
    // and the dialog stay, with the reason, and the server's message shows.
    await show.getByTestId('review-reject').click();
    const reject = page.getByTestId('reject-dialog');
    await reject.getByTestId('reject-reason').fill('授权书盖章不清晰');
    await refetchAnswered503(page, `/api/admin/enterprises/${enterpriseId}`);
    expect(await errorNotification(page).textContent()).toContain(UNAVAILABLE_ERROR.message);
    expect(new URL(page.url()).pathname).toBe(`/admin/enterprises/${enterpriseId}/show`);
    expect(await reject.getByTestId('reject-reason').inputValue()).toBe('授权书盖章不清晰');
    await reject.getByTestId('reject-cancel').click();
    await reject.waitFor({ state: 'detached' });

    await show.getByTestId('review-approve').click();
    await withStatus(page, 'enterprise-show', 'certified').waitFor();

    await sa.page.reload();
    const mine = withStatus(sa.page, 'my-enterprise-row', 'certified');
    await mine.waitFor();
    expect(await mine.getAttribute('data-id')).toBe(enterpriseId);
    expect(await mine.getByTestId('enterprise-status').textContent()).toBe('已认证');
    const seal = await em().findOneOrFail(SealSchema, { enterpriseId, type: 'contract' });
    contractSealId = seal.id;
    expect(await em().count(SealSchema, { enterpriseId })).toBe(2);
  });

  it('user B registers, is verified, and applies to join A’s enterprise', async () => {
    const { page } = sb;
    await registerAndSubmitRealName(page, userB);
    await operatorApprovesRealName(userB);
    await expectVerifiedAfterReload(page, userB);

    await page.getByTestId('menu-my-enterprises').click();
    await page.getByTestId('tab-joined').click();
    await page.getByTestId('memberships-empty').waitFor();
    await page.getByTestId('join-open').click();
    const dialog = page.getByTestId('join-dialog');
    await dialog.getByTestId('join-search').fill(ENTERPRISE_NAME.slice(0, 6));
    const result = dialog.locator(`[data-testid="join-result-row"][data-id="${enterpriseId}"]`);
    await result.waitFor();
    expect(await result.textContent()).toContain(ENTERPRISE_NAME);
    await dialog.getByTestId('join-message').fill('我是销售部的林晓雨，申请加入。');
    await result.getByTestId('join-apply').click();
    await dialog.waitFor({ state: 'detached' });

    const membership = page.locator(`[data-testid="membership-row"][data-enterprise-id="${enterpriseId}"]`);
    await membership.waitFor();
    expect(await membership.getAttribute('data-status')).toBe('pending');
    expect(await membership.getByTestId('membership-status').textContent()).toBe('待审核');
    membershipB = (await membership.getAttribute('data-id')) ?? '';
    expect(membershipB).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('A acts as the enterprise, opens 企业控制台 and approves B as 印章管理员 with the 合同专用章', async () => {
    const { page } = sa;
    await openIdentityMenu(page);
    const option = page.getByTestId(`identity-option-${enterpriseId}`);
    expect(await option.textContent()).toContain('管理员');
    await option.click();
    await page.locator(`[data-testid="identity-switch"][data-acting="${enterpriseId}"]`).waitFor();
    expect(await page.getByTestId('identity-switch').getAttribute('data-role')).toBe('admin');
    expect(await page.getByTestId('identity-current').textContent()).toBe(`${ENTERPRISE_NAME} · 管理员`);

    // Same session cookie: the console opens at 加入企业审核 (or offers the switch if it must).
    await page.getByTestId('console-link').click();
    const application = page.locator(`[data-testid="join-application-row"][data-id="${membershipB}"]`);
    await application.or(page.getByTestId('no-console-access')).or(page.getByTestId('login-title')).first().waitFor();
    if (await page.getByTestId('login-title').isVisible()) await loginThroughUi(page, { mobile: userA.mobile, password: TEST_PASSWORD }, 'admin');
    if (await page.getByTestId('no-console-access').isVisible()) await page.getByTestId(`console-switch-${enterpriseId}`).click();
    await application.waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/join-applications');
    expect(await page.getByTestId('acting-identity').getAttribute('data-enterprise-id')).toBe(enterpriseId);
    expect(await application.textContent()).toContain(userB.name);
    expect(await application.textContent()).toContain('申请加入');
    expect(await application.getByTestId('applicant-realname-status').getAttribute('data-status')).toBe('verified');

    await application.getByTestId('review-approve').click();
    const dialog = page.getByTestId('approve-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('approve-role').selectOption('seal_admin');
    await dialog.getByTestId('approve-business-type-sales').check();
    const seal = dialog.getByTestId(`approve-seal-${contractSealId}`);
    await seal.check();
    expect(await dialog.getByTestId('approve-seals').textContent()).toContain(`${ENTERPRISE_NAME}合同专用章`);
    // Granting a seal needs the granter's code.
    await dialog.getByTestId('approve-code-row').waitFor();
    const code = await codeSentBy(userA.mobile, () => dialog.getByTestId('approve-send-code').click());
    await dialog.getByTestId('approve-code').fill(code);
    expect(await dialog.getByTestId('approve-role').inputValue()).toBe('seal_admin');
    await shot(page, 'join-review', { fullPage: false });
    await dialog.getByTestId('approve-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('join-applications-empty').waitFor();

    await page.getByTestId('menu-members').click();
    const member = page.locator(`[data-testid="member-row"][data-id="${membershipB}"]`);
    await member.waitFor();
    expect(await member.textContent()).toContain(userB.name);
    const role = member.getByTestId('member-role');
    expect(await role.getAttribute('data-role')).toBe('seal_admin');
    expect(await role.textContent()).toBe('印章管理员');
    expect(await member.getByTestId('member-seals').textContent()).toBe(`${ENTERPRISE_NAME}合同专用章`);
    expect(await member.textContent()).toContain('销售');
    const admin = page.getByTestId('member-row').filter({ hasText: userA.name });
    expect(await admin.getByTestId('member-role').getAttribute('data-role')).toBe('admin');
    await shot(page, 'members');
  });

  it('A transfers 管理员 to B: A’s code in the console, B’s in 我的企业; B becomes 管理员 and A leaves', async () => {
    const { page } = sa;
    // From 我认证的企业 in the portal: 转让管理员 opens the console's page as the enterprise.
    await page.goto('/');
    await page.getByTestId('menu-my-enterprises').click();
    const certified = withStatus(page, 'my-enterprise-row', 'certified');
    await certified.getByTestId('enterprise-open-info').waitFor();
    await certified.getByTestId('enterprise-open-transfer').click();
    await page.waitForURL(/\/admin\/admin-transfer/);
    const select = page.getByTestId('transfer-member-select');
    await select.locator(`option[value="${membershipB}"]`).waitFor({ state: 'attached' });
    await select.selectOption(membershipB);
    const adminCode = await codeSentBy(userA.mobile, () => page.getByTestId('transfer-start').click());
    await withStatus(page, 'transfer-status', 'awaiting_admin_code').waitFor();
    expect(await page.getByTestId('transfer-parties').textContent()).toContain(userB.name);
    await page.getByTestId('transfer-code').fill(adminCode);
    // A's confirmation sends B's code.
    const targetCode = await codeSentBy(userB.mobile, () => page.getByTestId('transfer-submit').click());
    await withStatus(page, 'transfer-status', 'awaiting_target_code').waitFor();
    await page.getByTestId('transfer-waiting').waitFor();
    expect(await page.getByTestId('transfer-waiting').textContent()).toContain(userB.name);

    // B: 我的企业 shows the transfer waiting for B's code (already sent: no resend during the cooldown).
    const b = sb.page;
    await b.reload();
    const card = b.getByTestId('transfer-card');
    await card.waitFor();
    expect(await card.getAttribute('data-role')).toBe('target');
    expect(await card.getAttribute('data-status')).toBe('awaiting_target_code');
    expect(await card.textContent()).toContain(ENTERPRISE_NAME);
    // A confirmation answered 503 UPDATE_STILL_RUNNING that never moves the transfer on (here it never reached the
    // server; really: a wrong code, refused by the workflow after the request was accepted): after its re-reads the card
    // is unlocked with 结果未知, so that a code can be entered again (it stayed 处理中 for good).
    const confirmPath = `/api/admin-transfers/${await card.getAttribute('data-id')}/confirm`;
    const stillRunning = { code: 'UPDATE_STILL_RUNNING', message: '请求已受理，仍在处理中，请稍后刷新查看', messageEn: 'Accepted and still being processed; refresh shortly' };
    await b.route((url) => url.pathname === confirmPath, (route) => route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: JSON.stringify({ error: stillRunning }) }), { times: 1 });
    await card.getByTestId('transfer-confirm-code').fill(targetCode);
    await card.getByTestId('transfer-confirm-submit').click();
    await card.getByTestId('transfer-processing').waitFor();
    expect(await card.getByTestId('transfer-confirm-code').isDisabled()).toBe(true);
    await card.getByTestId('transfer-processing').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await card.getByTestId('error-message').textContent()).toContain('结果未知');
    expect(await card.getByTestId('transfer-confirm-code').isEnabled()).toBe(true);

    await card.getByTestId('transfer-confirm-code').fill(targetCode);
    // The confirmation is carried out, but its answer is 503 UPDATE_STILL_RUNNING (accepted, not finished within the
    // request's wait): the card says 处理中 instead of an error and reads the transfers again after Retry-After.
    let carriedOut = 0;
    await b.route(
      (url) => url.pathname === confirmPath,
      async (route) => {
        carriedOut = (await route.fetch()).status();
        await route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: JSON.stringify({ error: stillRunning }) });
      },
      { times: 1 },
    );
    await card.getByTestId('transfer-confirm-submit').click();
    await card.locator('[data-testid="transfer-processing"], [data-testid="error-message"]').first().waitFor();
    expect(await card.getByTestId('error-message').count()).toBe(0);
    expect(await card.getByTestId('transfer-processing').textContent()).toContain('仍在处理中');
    expect(carriedOut).toBe(200);
    await card.waitFor({ state: 'detached' });
    await b.getByTestId('pending-transfers').waitFor({ state: 'detached' });

    // B's identity switcher now offers the enterprise as 管理员.
    await eventually(() => em().findOne(EnterpriseSchema, { id: enterpriseId }).then((e) => e?.adminUserId)).toBe(userB.id);
    const membership = b.locator(`[data-testid="membership-row"][data-enterprise-id="${enterpriseId}"]`);
    await membership.locator('[data-testid="membership-role"][data-role="admin"]').waitFor();
    await openIdentityMenu(b);
    const option = b.getByTestId(`identity-option-${enterpriseId}`);
    expect(await option.textContent()).toContain(ENTERPRISE_NAME);
    expect(await option.textContent()).toContain('管理员');
    expect(await option.textContent()).not.toContain('印章管理员');
    await shot(b, 'transfer-completed', { fullPage: false });
    await option.click();
    await b.locator(`[data-testid="identity-switch"][data-acting="${enterpriseId}"][data-role="admin"]`).waitFor();
    await b.getByTestId('console-link').waitFor();

    // A's console notices that A has left the enterprise.
    await page.getByTestId('transfer-completed').waitFor();
    await shot(page, 'transfer-completed-former-admin');
    // Back in the portal A acts as a person and the enterprise is gone from the switcher.
    await page.goto('/my-enterprises');
    await page.locator('[data-testid="identity-switch"][data-acting="personal"]').waitFor();
    await openIdentityMenu(page);
    await page.getByTestId('identity-option-personal').waitFor();
    expect(await page.getByTestId(`identity-option-${enterpriseId}`).count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(await em().count(MembershipSchema, { enterpriseId, userId: userA.id, status: 'active' })).toBe(0);
  });

  it('the operator’s 审计日志 has every step', async () => {
    const { page } = so;
    // [action, who did it, target id] as the operator's log shows them (filtered by action).
    const expected: [AuditAction, string, string][] = [
      ['user.registered', userA.name, userA.id],
      ['user.registered', userB.name, userB.id],
      ['user.real_name_approved', operator.name, ''],
      ['enterprise.certification_submitted', userA.name, enterpriseId],
      ['enterprise.certified', operator.name, enterpriseId],
      ['membership.applied', userB.name, membershipB],
      ['membership.approved', userA.name, membershipB],
      ['seal.authorization_granted', userA.name, contractSealId],
      ['admin.transfer_started', userA.name, ''],
      ['admin.transfer_confirmed', userA.name, ''],
      ['admin.transfer_completed', userB.name, ''],
    ];
    await page.getByTestId('menu-audit-events').click();
    await page.getByTestId('audit-events-table').waitFor();
    for (const [action, actor, targetId] of expected) {
      await page.goto(`/admin/audit-events?filter=${encodeURIComponent(JSON.stringify(targetId ? { action, targetId } : { action }))}`);
      const rows = page.getByTestId('audit-event-row').filter({ hasText: actor });
      await rows.first().waitFor();
      expect(await rows.first().textContent(), action).toContain(actor);
    }
    await page.goto(`/admin/audit-events?filter=${encodeURIComponent(JSON.stringify({ action: 'admin.transfer_completed' }))}`);
    await page.getByTestId('audit-event-row').first().waitFor();
    await shot(page, 'audit-transfer-completed');

    // And precisely, in the database.
    const events = await em().find(AuditEventSchema, {}, { orderBy: { at: 'asc' } });
    const has = (action: AuditAction, where: (e: (typeof events)[number]) => boolean) => events.some((e) => e.action === action && where(e));
    const detail = (e: (typeof events)[number]) => (e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {});
    for (const u of [userA, userB]) {
      expect(has('user.registered', (e) => e.targetId === u.id), `registered ${u.name}`).toBe(true);
      expect(has('user.real_name_submitted', (e) => detail(e).user === u.id), `real-name submitted ${u.name}`).toBe(true);
      expect(has('user.real_name_approved', (e) => detail(e).user === u.id && e.actorId === operator.id), `real-name approved ${u.name}`).toBe(true);
    }
    expect(has('enterprise.certification_submitted', (e) => e.targetId === enterpriseId && e.actorId === userA.id)).toBe(true);
    expect(has('enterprise.certified', (e) => e.targetId === enterpriseId && e.actorId === operator.id)).toBe(true);
    expect(has('membership.applied', (e) => e.targetId === membershipB && e.enterpriseId === enterpriseId && e.actorId === userB.id)).toBe(true);
    expect(has('membership.approved', (e) => e.targetId === membershipB && detail(e).role === 'seal_admin' && e.actorId === userA.id)).toBe(true);
    expect(has('seal.authorization_granted', (e) => e.targetId === contractSealId && detail(e).member === userB.id && e.actorId === userA.id)).toBe(true);
    expect(has('admin.transfer_completed', (e) => e.enterpriseId === enterpriseId && detail(e).from === userA.id && detail(e).to === userB.id)).toBe(true);
    const grants = await em().find(SealAuthorizationSchema, { enterpriseId, userId: userB.id });
    expect(grants.map((g) => g.sealId)).toEqual([contractSealId]);
  });
});
