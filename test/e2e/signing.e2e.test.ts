/**
 * The walking skeleton in a real browser (Chromium) against the real platform (API + worker,
 * real Temporal dev server, the run's database, the built UIs from dist/), on a v2 contract:
 * 发起合同 (wizard: two persons, one per step, a 人名章 each dragged onto the pages) → two signers
 * sign with SMS codes → 已完成 → download → pdfsig → 文件验证 (intact and tampered) → the mistakes a
 * user can make (an error from the API keeps the wizard's data; a wrong SMS code) → the operator's
 * view in the admin console.
 * Enterprise / parallel steps, CC, invitations and expiry: contract-lifecycle.e2e.test.ts; the
 * stored mark coordinates: contract-create.e2e.test.ts; lists, 拒签, 撤销, 催办: contract-lists.e2e.test.ts.
 * Screenshots go to test-artifacts/screenshots/, the signed PDF to test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { pdfsig } from '../../documents/pdf/test-helpers';
import { markSize } from '../../domain/contracts/mark-geometry';
import { ARTIFACTS_DIR, launchBrowser, loginThroughUi, newUserSession, releaseBrowser, screenshot, signInThroughApi, waitForDialogToClose, type UserSession } from '../harness/browser';
import { createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { dropPoint, drag } from '../harness/placement';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy } from '../harness/registration';

type TestUser = { id: string; name: string; mobile: string };

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let signer1: TestUser;
let signer2: TestUser;
let operator: TestUser;
let s1: UserSession;
let s2: UserSession;

/** Filled in as the flow goes. */
let contractId = '';
const signedPdfPath = path.join(ARTIFACTS_DIR, 'signed-contract.pdf');
const CONTRACT_TITLE = '设备采购合同（E2E）';

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html')) || !fs.existsSync(path.resolve('dist/admin-ui/index.html'))) {
    throw new Error('the UIs are not built: run `npm run build:ui` first');
  }
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-e2e-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  signer1 = await createUser(platform.services, '王小明');
  signer2 = await createUser(platform.services, '李华');
  operator = await createUser(platform.services, '平台管理员', 'operator');
  s1 = await newUserSession(browser, platform.baseUrl);
  s2 = await newUserSession(browser, platform.baseUrl);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

/** data-* values of all elements matched, in document order. */
const dataOf = (locator: Locator, attribute: string) => locator.evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attribute);

/** Participants' statuses on the contract page (portal and admin console), by step. */
const participantStatuses = (page: Page) => dataOf(page.getByTestId('participant-row'), 'data-status');
const statusOf = (page: Page) => page.getByTestId('contract-status').first().getAttribute('data-status');

/** Polls a page-derived value until it matches (Playwright-style auto-waiting, no sleeps). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

async function writeTempFile(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(tmpDir, name);
  await fs.promises.writeFile(file, bytes);
  return file;
}

async function openCreatePage(page: Page) {
  await page.getByTestId('menu-create').click();
  await page.getByTestId('create-form').waitFor();
}

/**
 * The 发起合同 wizard up to its last step: the file, one person per step (the given numbers and names), a
 * 人名章 for each dragged onto page `pageOf(i)`, the title (and CC numbers). Does not submit.
 */
async function fillWizard(page: Page, fields: { file: string; title: string; signers: { mobile: string; name: string }[]; pageOf: (i: number) => number; cc?: string[] }) {
  await page.getByTestId('create-file-input').setInputFiles(fields.file);
  await page.getByTestId('create-file-input-name').waitFor();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('participants-step').waitFor();
  for (const [i, signer] of fields.signers.entries()) {
    if (i > 0) {
      await page.getByTestId('add-step').click();
      await page.getByTestId('add-step-person').click();
    }
    await page.getByTestId(`participant-mobile-${i}`).fill(signer.mobile);
    await page.getByTestId(`participant-name-${i}`).fill(signer.name);
  }
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('placement-step').waitFor();
  await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
  for (const i of fields.signers.keys()) {
    const palette = page.getByTestId('placement-participant').nth(i);
    await drag(page, palette.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, fields.pageOf(i), markSize('name_seal'), { x: 100 + 200 * i, y: 600 }));
  }
  await eventually(() => page.getByTestId('placed-mark').count()).toBe(fields.signers.length);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('details-step').waitFor();
  await page.getByTestId('create-title').fill(fields.title);
  for (const mobile of fields.cc ?? []) {
    await page.getByTestId('cc-mobile').fill(mobile);
    await page.getByTestId('cc-add').click();
  }
}

/** 签署 → 获取验证码 → the code from the SMS outbox → 确认签署, on an open contract page; `whileSigning` runs before the dialog is awaited closed. */
async function signOnContractPage(page: Page, signer: TestUser, whileSigning?: (dialog: Locator) => Promise<void>) {
  await page.getByTestId('sign-button').click();
  const dialog = page.getByTestId('sign-dialog');
  await dialog.waitFor();
  const code = await codeSentBy(platform.services, signer.mobile, () => dialog.getByTestId('sms-send').click());
  await dialog.getByTestId('sms-sent-to').waitFor();
  // The dialog shows the masked number the code went to.
  expect(await dialog.getByTestId('sms-sent-to').textContent()).toContain(signer.mobile.slice(-4));
  await dialog.getByTestId('sms-code-input').fill(code);
  await dialog.getByTestId('sign-confirm').click();
  await whileSigning?.(dialog);
  await waitForDialogToClose(dialog, 60_000);
}

const trailRow = (page: Page, type: string) => page.locator(`[data-testid="trail-row"][data-type="${type}"]`).first();

// ---------------------------------------------------------------- the flow

describe('walking skeleton in the browser', () => {
  it('signer 1 logs in and starts a two-step contract through 发起合同; an error from the API keeps the wizard’s data', async () => {
    const { page } = s1;
    await loginThroughUi(page, { mobile: signer1.mobile, password: TEST_PASSWORD });
    expect(await page.getByTestId('app-name').textContent()).toBeTruthy();
    await openCreatePage(page);

    const countContracts = () => platform.services.orm.em.fork().count(ContractSchema, {});
    const before = await countContracts();
    const pdfFile = await writeTempFile('purchase-contract.pdf', await makePdf(2));
    // An expiry 5 minutes ahead: the wizard takes any future time, only the API knows its 10-minute minimum and says so.
    const inMinutes = (minutes: number) =>
      page.evaluate((ms) => {
        const d = new Date(Date.now() + ms);
        const two = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
      }, minutes * 60_000);
    // A CC number nobody registered (accepted like any other: the answer tells nothing about the number).
    const ccMobile = uniqueMobile();
    await fillWizard(page, { file: pdfFile, title: CONTRACT_TITLE, signers: [signer1, signer2], pageOf: (i) => i + 1, cc: [ccMobile] });
    const defaultExpiry = await page.getByTestId('create-expires-at').inputValue();
    await page.getByTestId('create-expires-at').fill(await inMinutes(5));
    await page.getByTestId('create-submit').click();
    const error = page.getByTestId('create-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('截止时间至少应在');
    expect(page.url()).toContain('/contracts/create');
    expect(await page.getByTestId('create-title').inputValue()).toBe(CONTRACT_TITLE);
    expect(await countContracts()).toBe(before);
    await screenshot(page, '05-create-api-error');

    // Only the expiry is changed; everything else (file, participants, marks, title, CC) is still there.
    await page.getByTestId('create-expires-at').fill(defaultExpiry);
    expect(await page.getByTestId('cc-chip').allTextContents()).toEqual([ccMobile]);
    await page.getByTestId('create-submit').click();

    // Lands on the new contract's page.
    await page.waitForURL(/\/contracts\/[^/]+\/show/);
    const show = page.getByTestId('contract-show');
    await show.waitFor();
    contractId = (await show.getAttribute('data-contract-id')) ?? '';
    expect(contractId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await countContracts()).toBe(before + 1);
    expect(await page.getByTestId('contract-title').textContent()).toBe(CONTRACT_TITLE);
    await eventually(() => statusOf(page)).toBe('in_progress');
    await eventually(() => participantStatuses(page)).toEqual(['pending', 'waiting']);
    expect(await page.getByTestId('participant-name').allTextContents()).toEqual([expect.stringContaining(signer1.name), expect.stringContaining(signer2.name)]);
    await page.getByTestId('my-turn-hint').waitFor();
    await trailRow(page, 'created').waitFor();
    await screenshot(page, '01-contract-created');
  });

  it('signer 1 signs with the SMS code; a 503 on the way is sent again by the dialog (正在处理), not shown as an error', async () => {
    const { page } = s1;
    // The first sign request meets 503 with Retry-After, as while the contract's workflow task is
    // being retried: the dialog shows 正在处理 and sends the same code again after the wait.
    const sent: string[] = [];
    await page.route('**/api/contracts/*/sign', async (route) => {
      sent.push(route.request().postData() ?? '');
      if (sent.length > 1) return route.continue();
      const error = { code: 'TEMPORAL_UNAVAILABLE', message: '签署服务暂时不可用，请稍后重试（验证码仍然有效）', messageEn: 'The signing service is temporarily unavailable; retry shortly (your code stays valid)' };
      return route.fulfill({ status: 503, headers: { 'Retry-After': '2' }, contentType: 'application/json', body: JSON.stringify({ error }) });
    });
    await signOnContractPage(page, signer1, async (dialog) => {
      await dialog.getByTestId('sign-processing').waitFor();
      expect(await dialog.getByTestId('sign-error').count()).toBe(0);
    });
    await page.unroute('**/api/contracts/*/sign');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]); // the same code, the same request
    await eventually(() => participantStatuses(page)).toEqual(['signed', 'pending']);
    expect(await statusOf(page)).toBe('in_progress');
    await page.getByTestId('sign-button').waitFor({ state: 'detached' });
    await trailRow(page, 'signed').waitFor();
    await screenshot(page, '02-signer1-signed');
  });

  it('signer 2 finds it under 待我签署, signs, and the contract is 已完成', async () => {
    const { page } = s2;
    await signInThroughApi(page, { mobile: signer2.mobile, password: TEST_PASSWORD }, '/');
    await page.getByTestId('menu-todo').click();
    await eventually(() => page.getByTestId('menu-todo-count').textContent()).toContain('1');
    const row = page.locator(`[data-testid="contract-row"][data-id="${contractId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('contract-row-title').textContent()).toBe(CONTRACT_TITLE);
    await row.getByTestId('contract-row-title').click();

    await page.locator(`[data-testid="contract-show"][data-contract-id="${contractId}"]`).waitFor();
    expect(page.url()).toContain(`/contracts/${contractId}/show`);
    await page.getByTestId('my-turn-hint').waitFor();
    await signOnContractPage(page, signer2);

    await eventually(() => statusOf(page)).toBe('completed');
    expect(await page.getByTestId('contract-status').first().textContent()).toBe('已完成');
    await eventually(() => participantStatuses(page)).toEqual(['signed', 'signed']);
    await trailRow(page, 'completed').waitFor();
    await screenshot(page, 'signed-contract');
  });

  it('the signed PDF downloads and pdfsig finds two valid, trusted signatures', async () => {
    const { page } = s2;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-link').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
    await download.saveAs(signedPdfPath);
    const pdf = new Uint8Array(fs.readFileSync(signedPdfPath));
    expect(new TextDecoder('latin1').decode(pdf.subarray(0, 5))).toBe('%PDF-');

    const { stdout, signatures } = pdfsig(pdf, platform.services.ca.rootCertificatePem());
    console.log(`pdfsig ${signedPdfPath}:\n${stdout}`);
    expect(signatures).toHaveLength(2);
    for (const block of signatures) {
      expect(block).toContain('Signature is Valid.');
      expect(block).toContain('Certificate is Trusted.');
    }
    expect(signatures[0]).toContain(`Signer Certificate Common Name: ${signer1.name}`);
    expect(signatures[1]).toContain(`Signer Certificate Common Name: ${signer2.name}`);
    expect(signatures[1]).toContain('Total document signed');
  });

  it('文件验证 reports the signed PDF as 本平台签署 / 文件完整, and a tampered copy as modified', async () => {
    const { page } = s1;
    await page.getByTestId('menu-verify').click();
    const input = page.getByTestId('verify-file-input');
    await input.setInputFiles(signedPdfPath);

    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-platform')).toBe('true');
    expect(await result.getAttribute('data-intact')).toBe('true');
    expect(await page.getByTestId('verify-file-name').textContent()).toBe('signed-contract.pdf');
    expect(await page.getByTestId('verify-platform').textContent()).toBe('本平台签署');
    expect(await page.getByTestId('verify-integrity').textContent()).toBe('文件完整');
    expect(await page.getByTestId('verify-count').textContent()).toContain('2');
    const rows = page.getByTestId('verify-signature-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining(signer1.name), expect.stringContaining(signer2.name)]);
    expect(await dataOf(rows, 'data-intact')).toEqual(['true', 'true']);
    expect(await dataOf(rows, 'data-platform')).toEqual(['true', 'true']);
    await screenshot(page, '03-verify-intact');

    // One digit of the first /MediaBox changed: still a readable PDF, no longer the signed bytes.
    const tampered = new Uint8Array(fs.readFileSync(signedPdfPath));
    const text = new TextDecoder('latin1').decode(tampered);
    const at = text.indexOf('/MediaBox') + text.slice(text.indexOf('/MediaBox')).search(/[1-9]/);
    expect(at).toBeGreaterThan(0);
    tampered[at] = tampered[at] === 0x39 ? 0x38 : tampered[at]! + 1;
    await input.setInputFiles(await writeTempFile('tampered-contract.pdf', tampered));

    await page.locator('[data-testid="verify-file-name"]', { hasText: 'tampered-contract.pdf' }).waitFor();
    expect(await page.getByTestId('verify-result').getAttribute('data-intact')).toBe('false');
    expect(await page.getByTestId('verify-integrity').textContent()).toBe('签署后被修改');
    expect(await dataOf(page.getByTestId('verify-signature-row'), 'data-intact')).toContain('false');
    await screenshot(page, '04-verify-tampered');
  });
});

describe('bad input in the UI', () => {
  it('a wrong SMS code is refused inside the sign dialog', async () => {
    const { page } = s1;
    await openCreatePage(page);
    await fillWizard(page, { file: await writeTempFile('nda.pdf', await makePdf(1)), title: '保密协议（E2E）', signers: [signer1, signer2], pageOf: () => 1 });
    await page.getByTestId('create-submit').click();
    await page.waitForURL(/\/contracts\/[^/]+\/show/);
    await page.getByTestId('my-turn-hint').waitFor();
    await page.getByTestId('sign-button').click();
    const dialog = page.getByTestId('sign-dialog');
    const code = await codeSentBy(platform.services, signer1.mobile, () => dialog.getByTestId('sms-send').click());
    await dialog.getByTestId('sms-sent-to').waitFor();
    await dialog.getByTestId('sms-code-input').fill(code === '000000' ? '111111' : '000000');
    await dialog.getByTestId('sign-confirm').click();

    const error = dialog.getByTestId('sign-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('验证码错误');
    expect(await error.textContent()).toContain('还可尝试 4 次');
    await screenshot(page, '06-sign-wrong-code', { fullPage: false });
    await dialog.getByTestId('sign-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing was signed.
    expect(await participantStatuses(page)).toEqual(['pending', 'waiting']);
  });
});

describe('admin console', () => {
  it('the operator sees the contract with its Temporal link, the SMS outbox and the audit events', async () => {
    const { context, page } = await newUserSession(browser, platform.baseUrl);
    try {
      await signInThroughApi(page, { mobile: operator.mobile, password: TEST_PASSWORD }, '/admin/');
      await page.getByTestId('menu-contracts').click();
      const row = page.locator(`[data-testid="contract-row"][data-id="${contractId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('completed');
      expect(await row.textContent()).toContain(CONTRACT_TITLE);
      const href = (await row.getByTestId('temporal-link').getAttribute('href')) ?? '';
      expect(href.startsWith(platform.config.temporal.uiUrl)).toBe(true);
      expect(decodeURIComponent(href)).toContain(`contract:${contractId}`);
      await screenshot(page, '07-admin-contracts');

      await row.getByText(CONTRACT_TITLE).click();
      const show = page.getByTestId('admin-contract-show');
      await show.waitFor();
      expect(await show.getByTestId('contract-title').textContent()).toBe(CONTRACT_TITLE);
      expect(decodeURIComponent((await show.getByTestId('temporal-link').getAttribute('href')) ?? '')).toContain(`contract:${contractId}`);
      await eventually(() => participantStatuses(page)).toEqual(['signed', 'signed']);
      await screenshot(page, '08-admin-contract-show');

      await show.getByTestId('contract-audit-link').click();
      expect(page.url()).toContain(encodeURIComponent(contractId));
      // Newest first: 下载合同, 签署完成, two signatures with their codes, 发起合同.
      const events = page.getByTestId('audit-event-row');
      const count = (label: string) => async () => (await events.allTextContents()).filter((t) => t.includes(label)).length;
      await eventually(count('下载合同')).toBeGreaterThanOrEqual(1);
      for (const label of ['发起合同', '签署完成']) expect(await count(label)(), label).toBe(1);
      for (const label of ['发送签署验证码', '意愿认证通过', '签署（盖章并数字签名）']) expect(await count(label)(), label).toBe(2);
      expect(await events.allTextContents()).not.toEqual(expect.arrayContaining([expect.stringContaining('签署验证码错误')]));
      await screenshot(page, '09-admin-audit-events');

      await page.getByTestId('menu-sms-outbox').click();
      await page.getByTestId('sms-outbox-table').waitFor();
      for (const signer of [signer1, signer2]) {
        // The newest may be a notice (待签署 / 已完成); a code went to each signer.
        await page.getByTestId('sms-row').filter({ hasText: signer.mobile }).filter({ hasText: /验证码 \d{6}/ }).first().waitFor();
      }
      await screenshot(page, '10-admin-sms-outbox');
    } finally {
      await context.close();
    }
  });
});
