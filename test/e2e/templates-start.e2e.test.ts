/**
 * 从模板发起 in Chromium against the real platform (API + worker, Temporal dev server, real
 * LibreOffice for Word templates, the built portal), the templates made through 模板管理's pages:
 * - Word (the demo purchase contract: tags, goods table, 合计（大写）): created, fields typed, 甲方 (企业)
 *   and 乙方 (个人) placed by 关键字定位, published → 模板文件's 发起合同 → fill the form (a bad amount is
 *   refused in the server rule's words; 合计（大写） is spelled out as the amount is typed) → 甲方 an
 *   enterprise found through the lookup, 乙方 a person → details → preview of the generated PDF → start
 *   → the enterprise's operator and the person sign → 已完成; pdfsig: both signatures valid; pdftotext:
 *   the filled values are in the PDF;
 * - Web (the demo PDF with three fields and two 人名章 dragged onto page 1), published → 发起合同 →
 *   从模板发起 → the same with two persons (a value refused by the server is marked at its field); the
 *   values are drawn into the PDF, the page count stays;
 * - the Web template disabled (模板文件 → 停用, in another tab) while it is being filled in refuses to
 *   start (the page says 已停用), is no longer offered in the picker, and its link says why.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { drag, dropPoint } from '../harness/placement';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { addRole, createTemplate, fieldChip, fieldRow, openTemplates, paletteOf, placedField, roleRow, saveTemplate } from '../harness/template-pages';
import { codeSentBy } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let initiator: User;
let buyer: User;
let seller: User;
let operator: User;
let enterprise: { id: string; name: string };
/** The Web template published in the second test (disabled in the third). */
let webTemplateId = '';
const sessions: Record<'initiator' | 'seller' | 'buyer' | 'operator', UserSession> = {} as never;

const RUN = Date.now().toString(36).slice(-5);
const WORD_DOCX = path.resolve('templates/demo/purchase-contract.docx');
const WEB_PDF = path.resolve('templates/demo/demo-contract.pdf');

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout, interval: 250 });

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-template-start-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  initiator = await createUser(platform.services, '尹模板');
  buyer = await createUser(platform.services, '钱甲方');
  seller = await createUser(platform.services, '孙乙方');
  operator = await createUser(platform.services, '周经办');
  const boss = await createUser(platform.services, '郑法人');
  const e = await createCertifiedEnterprise(platform.services, boss, `杭州模板采购科技有限公司${RUN}`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, operator);
  // The 合同专用章 has a certificate and the operator is authorised to use it.
  const seal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(platform.services, platform.config.masterKey, seal, e.name);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: seal.id, userId: operator.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
  for (const [k, u] of [['initiator', initiator], ['seller', seller], ['buyer', buyer], ['operator', operator]] as const) {
    sessions[k] = await newUserSession(browser, platform.baseUrl);
    await signInThroughApi(sessions[k].page, { mobile: u.mobile, password: TEST_PASSWORD }, '/');
  }
}, 180_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- templates made through 模板管理 (U1's pages)

/** A new Web field's box (WebLayoutEditor's default size). */
const FIELD_BOX = { width: 160, height: 22 };

async function saveAndPublish(page: Page) {
  await saveTemplate(page);
  await page.getByTestId('template-publish').click();
  await page.locator('[data-testid="template-edit-status"][data-status="published"]').waitFor({ timeout: 120_000 });
}

/**
 * The demo purchase contract as a Word template: field types (日期, 数字, 金额, 合计（大写） spelled out
 * from 总金额), required flags; 甲方 (企业, 合同专用章) and 乙方 (个人, 可拒签, 人名章) by 关键字定位 → 发布.
 */
async function publishWordTemplate(page: Page, name: string): Promise<string> {
  const id = await createTemplate(page, 'word', WORD_DOCX, name);
  await expect.poll(() => page.getByTestId('field-row').count(), { timeout: UI_TIMEOUT_MS }).toBe(11);
  const setType = (key: string, type: string) => fieldRow(page, key).getByTestId('field-type').selectOption(type);
  await setType('签订日期', 'date');
  await setType('数量', 'number');
  await setType('单价', 'amount');
  await setType('总金额', 'amount');
  await setType('总金额大写', 'amount_capital');
  await fieldRow(page, '总金额大写').getByTestId('field-derived').selectOption('总金额');
  await fieldRow(page, '总金额大写').getByTestId('field-label').fill('合计（大写）');
  for (const key of ['合同编号', '甲方名称', '乙方名称', '签订日期', '交货地点', '货物名称', '数量', '单价', '总金额']) await fieldRow(page, key).getByTestId('field-required').check();

  await addRole(page, 0, '甲方', 'enterprise');
  await roleRow(page, 0).getByTestId('mark-add').click();
  const seal = roleRow(page, 0).getByTestId('role-mark').first();
  await seal.getByTestId('mark-seal-type').selectOption('contract');
  await seal.getByTestId('mark-keyword').fill('甲方（盖章）：');
  await seal.getByTestId('mark-offset-x').fill('90');
  await seal.getByTestId('mark-offset-y').fill('-40');
  await addRole(page, 1, '乙方', 'person');
  await roleRow(page, 1).getByTestId('role-can-refuse').check();
  await roleRow(page, 1).getByTestId('mark-add').click();
  const nameSeal = roleRow(page, 1).getByTestId('role-mark').first();
  await nameSeal.getByTestId('mark-kind').selectOption('name_seal');
  await nameSeal.getByTestId('mark-keyword').fill('乙方（签字）：');
  await nameSeal.getByTestId('mark-offset-x').fill('90');
  await nameSeal.getByTestId('mark-offset-y').fill('-10');
  await saveAndPublish(page);
  return id;
}

/**
 * The demo PDF as a Web template: three new fields (项目名称, 补充金额, its 大写) dragged under the text of
 * page 1; 甲方 and 乙方 (个人, both step 1) with a 人名章 each dragged above their 签章 lines → 发布.
 */
async function publishWebTemplate(page: Page, name: string): Promise<string> {
  const id = await createTemplate(page, 'web', WEB_PDF, name);
  await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
  for (const [label, type] of [['项目名称', 'text'], ['补充金额', 'amount'], ['补充金额大写', 'amount_capital']] as const) {
    await page.getByTestId('new-field-label').fill(label);
    await page.getByTestId('new-field-type').selectOption(type);
    await page.getByTestId('new-field-add').click();
    await fieldRow(page, label).waitFor();
  }
  await fieldRow(page, '补充金额大写').getByTestId('field-derived').selectOption('补充金额');
  await fieldRow(page, '项目名称').getByTestId('field-required').check();
  await fieldRow(page, '补充金额').getByTestId('field-required').check();

  await addRole(page, 0, '甲方', 'person');
  await addRole(page, 1, '乙方', 'person');
  await roleRow(page, 1).getByTestId('role-step').fill('1');

  for (const [i, key] of ['项目名称', '补充金额', '补充金额大写'].entries()) {
    await drag(page, fieldChip(page, key), () => dropPoint(page, 1, FIELD_BOX, { x: 60, y: 600 + 30 * i }));
    await placedField(page, key).waitFor();
  }
  const nameSeal = markSize('name_seal');
  for (const [i, x] of [145, 395].entries()) {
    const role = (await roleRow(page, i).getAttribute('data-role-id'))!;
    await drag(page, paletteOf(page, role).locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 1, nameSeal, { x, y: 560 }));
  }
  await expect.poll(() => page.locator('[data-testid="placed-mark"]:not([data-kind="field"])').count(), { timeout: UI_TIMEOUT_MS }).toBe(2);
  await screenshot(page, 'template-start-00-web-layout');
  await saveAndPublish(page);
  return id;
}

// ---------------------------------------------------------------- UI helpers

const pdfText = (bytes: Uint8Array): string => {
  const file = path.join(tmpDir, `${randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
};

/** 发起合同 → 从模板发起 → the template's card. */
async function pickTemplate(page: Page, templateId: string) {
  await page.getByTestId('menu-create').click();
  await page.getByTestId('create-from-template').click();
  await page.getByTestId('template-picker').waitFor();
  await page.locator(`[data-testid="template-option"][data-id="${templateId}"]`).click();
  await page.locator('[data-testid="template-start"][data-step="fields"]').waitFor();
  await page.getByTestId('fields-step').waitFor();
}

const field = (page: Page, key: string) => page.locator(`[data-testid="template-field"][data-key="${key}"]`);
const next = (page: Page) => page.getByTestId('template-start-next').click();

async function fillFields(page: Page, values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) await field(page, key).fill(value);
}

async function waitForPreview(page: Page) {
  await page.getByTestId('preview-step').and(page.locator('[data-state="ready"]')).waitFor({ timeout: 90_000 });
  await page.locator('[data-testid="preview-pages"] [data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor({ timeout: 60_000 });
}

/**
 * From the details step: the title, then 预览 (waits for the generated PDF's pages) → 发起签署 → the
 * contract's id. `refusedOnce`: the first start request carries this value instead (as if the page had
 * let it through); the server's refusal must mark that field, and the corrected form then starts.
 */
async function previewAndStart(page: Page, title: string, screenshotName: string, refusedOnce?: { key: string; value: string; message: string }): Promise<string> {
  await page.getByTestId('details-step').waitFor();
  await page.getByTestId('create-title').fill(title);
  await next(page);
  await waitForPreview(page);
  await screenshot(page, screenshotName);
  if (refusedOnce) {
    await page.route(
      '**/api/contracts/from-template',
      async (route) => {
        const body = route.request().postDataJSON() as { values: Record<string, string> };
        await route.continue({ postData: JSON.stringify({ ...body, values: { ...body.values, [refusedOnce.key]: refusedOnce.value } }) });
      },
      { times: 1 },
    );
    await page.getByTestId('template-start-submit').click();
    await page.locator('[data-testid="template-start"][data-step="fields"]').waitFor();
    expect(await page.getByTestId('template-start-error').getAttribute('data-code')).toBe('TEMPLATE_FIELD_INVALID');
    expect(await field(page, refusedOnce.key).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('fields-step').textContent()).toContain(refusedOnce.message);
    await screenshot(page, `${screenshotName}-refused`);
    for (const step of ['roles', 'details', 'preview']) {
      await next(page);
      await page.locator(`[data-testid="template-start"][data-step="${step}"]`).waitFor();
    }
    await waitForPreview(page);
  }
  await page.getByTestId('template-start-submit').click();
  await page.waitForURL(/\/contracts\/[^/]+\/show/, { timeout: 120_000 });
  return decodeURIComponent(/\/contracts\/([^/]+)\/show/.exec(page.url())![1]!);
}

async function openContract(page: Page, id: string) {
  await page.goto(`/contracts/${id}/show`);
  await page.locator(`[data-testid="contract-show"][data-contract-id="${id}"]`).waitFor();
}

async function signThroughUi(page: Page, mobile: string, contractId: string) {
  await openContract(page, contractId);
  await page.getByTestId('sign-button').click();
  const dialog = page.getByTestId('sign-dialog');
  await dialog.waitFor();
  const code = await codeSentBy(platform.services, mobile, () => dialog.getByTestId('sms-send').click());
  await dialog.getByTestId('sms-code-input').fill(code);
  await dialog.getByTestId('sign-confirm').click();
  await dialog.waitFor({ state: 'detached', timeout: 60_000 });
}

const statusOf = (page: Page) => page.getByTestId('contract-status').first().getAttribute('data-status');

// ---------------------------------------------------------------- the flows

describe('从模板发起 in the portal', () => {
  it('Word template created and published in 模板管理, started from its row: fill (client-side checks in the server’s words), map 甲方 to an enterprise and 乙方 to a person, preview, start; both sign; pdfsig valid, values in the PDF', async () => {
    const { page } = sessions.initiator;
    const templateId = await publishWordTemplate(page, `设备采购合同模板-${RUN}`);
    // 模板文件: the published row's 发起合同 opens 从模板发起 with it picked.
    await openTemplates(page);
    await page.locator(`[data-testid="template-row"][data-id="${templateId}"]`).getByTestId('template-start-from-row').click();
    await page.locator(`[data-testid="template-start"][data-step="fields"][data-template-id="${templateId}"]`).waitFor();
    await page.getByTestId('fields-step').waitFor();

    const values = {
      合同编号: `CG-${RUN}-01`,
      甲方名称: enterprise.name,
      乙方名称: seller.name,
      签订日期: '2026-12-02',
      交货地点: '杭州市西湖区文三路一号',
      货物名称: '激光打印机',
      规格型号: 'HP-M404',
      数量: '5',
      单价: '246.9',
    };
    await fillFields(page, values);
    // The same rule as the server's: three decimals are refused, in its words, before anything is sent.
    await field(page, '总金额').fill('1234.567');
    await next(page);
    await expect.poll(() => page.getByTestId('fields-step').textContent()).toContain('「总金额」最多保留两位小数');
    expect(await page.locator('[data-testid="template-start"]').getAttribute('data-step')).toBe('fields');
    await field(page, '总金额').fill('1234.5');
    // 合计（大写） is not typed: it is spelled out from 总金额 as it is typed.
    await eventually(() => field(page, '总金额大写').inputValue()).toBe('壹仟贰佰叁拾肆元伍角整');
    expect(await field(page, '总金额大写').getAttribute('readonly')).not.toBeNull();
    await screenshot(page, 'template-start-01-fields');
    await next(page);

    // 甲方: the enterprise (kind fixed by the role), 乙方: the person.
    await page.getByTestId('roles-step').waitFor();
    expect(await page.getByTestId('role-card').evaluateAll((els) => els.map((e) => [e.getAttribute('data-role'), e.getAttribute('data-kind'), e.getAttribute('data-step')]))).toEqual([
      ['r1', 'enterprise', '1'],
      ['r2', 'person', '2'],
    ]);
    await next(page); // nothing named yet: the wizard's own messages
    await page.locator('[data-testid="role-card"][data-role="r2"]').getByText('请输入 11 位手机号').waitFor();
    await page.getByTestId('role-enterprise-r1').fill(enterprise.name.slice(0, 8));
    await page.getByTestId('role-enterprise-r1-option').filter({ hasText: enterprise.name }).click();
    await page.getByTestId('role-mobile-r2').fill(seller.mobile);
    await page.getByTestId('role-name-r2').fill(seller.name);
    await screenshot(page, 'template-start-02-roles');
    await next(page);

    // The title starts as the template's name.
    await page.getByTestId('details-step').waitFor();
    expect(await page.getByTestId('create-title').inputValue()).toBe(`设备采购合同模板-${RUN}`);
    const title = `激光打印机采购合同-${RUN}`;
    const contractId = await previewAndStart(page, title, 'template-start-03-word-preview');

    const contract = await em().findOneOrFail(ContractSchema, { id: contractId });
    expect([contract.title, contract.templateId, contract.lifecycle]).toEqual([title, templateId, 2]);
    const participants = await em().find(ContractSignerSchema, { contractId }, { orderBy: { order: 'asc' } });
    expect(participants.map((p) => [p.kind, p.step, p.canRefuse, p.placement])).toEqual([
      ['enterprise', 1, false, 'preset'],
      ['person', 2, true, 'preset'],
    ]);
    expect([participants[0]!.enterpriseId, participants[1]!.userId]).toEqual([enterprise.id, seller.id]);
    await eventually(() => statusOf(page)).toBe('in_progress');
    await screenshot(page, 'template-start-04-word-contract');

    // 甲方: the operator acting for the enterprise; then 乙方.
    const op = sessions.operator.page;
    await op.getByTestId('identity-switch').click();
    await op.getByTestId(`identity-option-${enterprise.id}`).click();
    await eventually(() => op.getByTestId('identity-current').textContent()).toContain(enterprise.name);
    await signThroughUi(op, operator.mobile, contractId);
    await signThroughUi(sessions.seller.page, seller.mobile, contractId);
    await eventually(() => statusOf(sessions.seller.page)).toBe('completed');
    await screenshot(sessions.seller.page, 'template-start-05-word-completed');

    const signed = await currentDocument(platform.services, contractId);
    const signatures = pdfsigSignatures(signed);
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.valid)).toBe(true);
    expect(signatures[1]!.signer).toContain(seller.name);
    const words = pdfText(signed).replace(/\s+/g, '');
    for (const v of [values.合同编号, enterprise.name, seller.name, '2026年12月2日', values.交货地点, values.货物名称, 'HP-M404', '246.90', '1,234.50', '壹仟贰佰叁拾肆元伍角整']) {
      expect(words, v).toContain(v.replace(/\s+/g, ''));
    }
  });

  it('Web template with dragged fields and marks, published, started through 从模板发起: text fields drawn in their boxes; two persons sign; pdfsig valid, the values in the PDF', async () => {
    const { page } = sessions.initiator;
    webTemplateId = await publishWebTemplate(page, `设备采购补充协议-${RUN}`);
    // 发起合同 → 从模板发起 → its card.
    await pickTemplate(page, webTemplateId);
    await fillFields(page, { 项目名称: '办公电脑追加采购', 补充金额: '8800' });
    await eventually(() => field(page, '补充金额大写').inputValue()).toBe('捌仟捌佰元整');
    await next(page);
    await page.getByTestId('roles-step').waitFor();
    await page.getByTestId('role-mobile-r1').fill(buyer.mobile);
    await page.getByTestId('role-name-r1').fill(buyer.name);
    await page.getByTestId('role-mobile-r2').fill(seller.mobile);
    await page.getByTestId('role-name-r2').fill(seller.name);
    await next(page);
    // A value the page would not let through is refused by the server at the field it names.
    const contractId = await previewAndStart(page, `补充协议-${RUN}`, 'template-start-06-web-preview', { key: '补充金额', value: '-5', message: '「补充金额」不能为负数' });
    const contract = await em().findOneOrFail(ContractSchema, { id: contractId });
    expect(contract.templateId).toBe(webTemplateId);

    await signThroughUi(sessions.buyer.page, buyer.mobile, contractId);
    await signThroughUi(sessions.seller.page, seller.mobile, contractId);
    await eventually(() => statusOf(sessions.seller.page)).toBe('completed');
    const signed = await currentDocument(platform.services, contractId);
    const signatures = pdfsigSignatures(signed);
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.valid)).toBe(true);
    expect(signatures.map((s) => s.signer).join('|')).toContain(buyer.name);
    const words = pdfText(signed).replace(/\s+/g, '');
    for (const v of ['办公电脑追加采购', '8,800.00', '捌仟捌佰元整', '设备采购合同（演示）']) expect(words, v).toContain(v);
    // The page count never changes.
    expect(contract.pageCount).toBe(1);
  });

  it('a template disabled while it is being filled in refuses to start and says why; the picker no longer offers it', async () => {
    const template = { id: webTemplateId };
    const { page } = sessions.initiator;
    await pickTemplate(page, template.id);
    await fillFields(page, { 项目名称: '停用测试', 补充金额: '100' });
    await next(page);
    await page.getByTestId('role-mobile-r1').fill(buyer.mobile);
    await page.getByTestId('role-name-r1').fill(buyer.name);
    await page.getByTestId('role-mobile-r2').fill(seller.mobile);
    await page.getByTestId('role-name-r2').fill(seller.name);
    await next(page);
    await page.getByTestId('details-step').waitFor();
    await next(page);
    await page.getByTestId('preview-step').and(page.locator('[data-state="ready"]')).waitFor({ timeout: 90_000 });

    // Its owner disables it meanwhile, in another tab: 模板文件 → 停用.
    const other = await sessions.initiator.context.newPage();
    await other.goto('/templates');
    await other.getByTestId('templates-page').waitFor();
    await other.locator(`[data-testid="template-row"][data-id="${template.id}"]`).getByTestId('template-toggle-enabled').click();
    await other.locator(`[data-testid="template-row"][data-id="${template.id}"][data-enabled="false"]`).waitFor();
    // No 发起合同 on a disabled row.
    expect(await other.locator(`[data-testid="template-row"][data-id="${template.id}"]`).getByTestId('template-start-from-row').count()).toBe(0);
    await other.close();
    const before = await em().count(ContractSchema, { templateId: template.id });
    await page.getByTestId('template-start-submit').click();
    const error = page.getByTestId('template-start-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('TEMPLATE_NOT_USABLE');
    expect(await error.textContent()).toContain('已停用');
    expect(await em().count(ContractSchema, { templateId: template.id })).toBe(before);
    expect(page.url()).toContain('/contracts/from-template');
    await screenshot(page, 'template-start-07-disabled');

    // The picker lists only usable templates.
    await page.goto('/contracts/from-template');
    await page.getByTestId('template-picker').waitFor();
    await page.getByTestId('template-option').first().waitFor();
    expect(await page.locator(`[data-testid="template-option"][data-id="${template.id}"]`).count()).toBe(0);

    // Its link (as from the template list) says why.
    await page.goto(`/contracts/from-template?template=${template.id}`);
    const linkError = page.getByTestId('template-start-error');
    await linkError.waitFor();
    expect(await linkError.textContent()).toContain('已停用');
    expect(await page.getByTestId('template-start-next').isDisabled()).toBe(true);
  });
});
