/**
 * 从模板发起 in Chromium against the real platform (API + worker, Temporal dev server, real
 * LibreOffice for Word templates, the built portal):
 * - a Word template (the demo purchase contract: tags, goods table, 合计（大写）, keyword-placed marks):
 *   发起合同 → 从模板发起 → pick it → fill the form (a bad amount is refused with the server rule's
 *   words; 金额大写 is spelled out as the amount is typed) → 甲方 an enterprise found through the lookup,
 *   乙方 a person → details → preview of the generated PDF → start → the enterprise's operator and the
 *   person sign → 已完成; pdfsig: both signatures valid; pdftotext: the filled values are in the PDF;
 * - a Web template (text fields in boxes on an uploaded PDF, marks at fixed places), the same way with
 *   two persons;
 * - a template disabled while a user is filling it in refuses to start (the page says 已停用), is no
 *   longer offered in the picker, and its link says why.
 * The templates are set up through the template API as their owner (the management pages have their
 * own e2e file, templates-manage.e2e.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import type { TemplateDefinitionInput } from '../../domain/templates/template-definition';
import { launchBrowser, loginThroughUi, newUserSession, screenshot, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let initiator: User;
let buyer: User;
let seller: User;
let operator: User;
let enterprise: { id: string; name: string };
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
    await loginThroughUi(sessions[k].page, { mobile: u.mobile, password: TEST_PASSWORD });
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- template set-up through the API

interface TemplateView {
  id: string;
  version: number;
  status: string;
  enabled: boolean;
  tags: string[] | null;
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['post']>>, what: string): Promise<T> {
  if (!res.ok()) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Upload, define and publish a template as `request`'s user (its owner). */
async function publishedTemplate(request: APIRequestContext, args: { kind: 'word' | 'web'; name: string; file: string; definition: TemplateDefinitionInput }): Promise<TemplateView> {
  const created = await ok<TemplateView>(
    await request.post('/api/templates', {
      multipart: {
        file: { name: path.basename(args.file), mimeType: args.kind === 'word' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf', buffer: fs.readFileSync(args.file) },
        info: JSON.stringify({ kind: args.kind, name: args.name, businessType: '采购', scenario: '设备采购' }),
      },
    }),
    'create template',
  );
  const defined = await ok<TemplateView>(
    await request.put(`/api/templates/${created.id}`, { data: { version: created.version, name: args.name, businessType: '采购', scenario: '设备采购', definition: args.definition } }),
    'define template',
  );
  const published = await ok<TemplateView>(await request.post(`/api/templates/${created.id}/publish`, { data: { version: defined.version }, timeout: 120_000 }), 'publish template');
  expect([published.status, published.enabled]).toEqual(['published', true]);
  return published;
}

const text = (key: string, label: string, required = true) => ({ key, label, type: 'text' as const, required, defaultValue: null, maxLength: 60, derivedFrom: null, libraryFieldId: null, box: null });

/** The demo purchase contract: every tag a field, 总金额大写 spelled out from 总金额; 甲方 (enterprise, 合同专用章) and 乙方 (person) by keyword. */
const WORD_DEFINITION: TemplateDefinitionInput = {
  fields: [
    text('合同编号', '合同编号'),
    text('甲方名称', '甲方名称'),
    text('乙方名称', '乙方名称'),
    { ...text('签订日期', '签订日期'), type: 'date', maxLength: null },
    text('交货地点', '交货地点'),
    text('货物名称', '货物名称'),
    text('规格型号', '规格型号', false),
    { ...text('数量', '数量'), type: 'number', maxLength: null },
    { ...text('单价', '单价'), type: 'amount', maxLength: null },
    { ...text('总金额', '总金额'), type: 'amount', maxLength: null },
    { ...text('总金额大写', '合计（大写）'), type: 'amount_capital', maxLength: null, derivedFrom: '总金额' },
  ],
  roles: [
    { id: 'r1', name: '甲方', kind: 'enterprise', step: 1, canRefuse: false, marks: [{ kind: 'seal', sealType: 'contract', keyword: '甲方（盖章）：', occurrence: 'first', offsetX: 90, offsetY: -40 }] },
    { id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, marks: [{ kind: 'name_seal', keyword: '乙方（签字）：', occurrence: 'first', offsetX: 90, offsetY: -10 }] },
  ],
};

const box = (y: number) => ({ page: 1, x: 56.8, y, width: 480, height: 20, fontSize: 12, align: 'left' as const });

/** The demo PDF with three fields drawn under its text and the two parties' 人名章 above their 签章 lines. */
const WEB_DEFINITION: TemplateDefinitionInput = {
  fields: [
    { ...text('项目名称', '项目名称'), box: box(600) },
    { ...text('补充金额', '补充金额'), type: 'amount', maxLength: null, box: box(630) },
    { ...text('补充金额大写', '补充金额（大写）'), type: 'amount_capital', maxLength: null, derivedFrom: '补充金额', box: box(660) },
  ],
  roles: [
    { id: 'r1', name: '甲方', kind: 'person', step: 1, canRefuse: false, marks: [{ kind: 'name_seal', page: 1, x: 150, y: 520 }] },
    { id: 'r2', name: '乙方', kind: 'person', step: 1, canRefuse: false, marks: [{ kind: 'name_seal', page: 1, x: 400, y: 520 }] },
  ],
};

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

/** From the details step: the title, then 预览 (waits for the generated PDF's pages) → 发起签署 → the contract's id. */
async function previewAndStart(page: Page, title: string, screenshotName: string): Promise<string> {
  await page.getByTestId('details-step').waitFor();
  await page.getByTestId('create-title').fill(title);
  await next(page);
  const preview = page.getByTestId('preview-step');
  await preview.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 90_000 });
  await page.locator('[data-testid="preview-pages"] [data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor({ timeout: 60_000 });
  await screenshot(page, screenshotName);
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
  it('Word template: fill (client-side checks in the server’s words), map 甲方 to an enterprise and 乙方 to a person, preview, start; both sign; pdfsig valid, values in the PDF', async () => {
    const template = await publishedTemplate(sessions.initiator.page.request, { kind: 'word', name: `设备采购合同模板-${RUN}`, file: WORD_DOCX, definition: WORD_DEFINITION });
    const { page } = sessions.initiator;
    await pickTemplate(page, template.id);

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
    await screenshot(page, 'template-start-02-roles');
    await next(page);

    // The title starts as the template's name.
    await page.getByTestId('details-step').waitFor();
    expect(await page.getByTestId('create-title').inputValue()).toBe(`设备采购合同模板-${RUN}`);
    const title = `激光打印机采购合同-${RUN}`;
    const contractId = await previewAndStart(page, title, 'template-start-03-word-preview');

    const contract = await em().findOneOrFail(ContractSchema, { id: contractId });
    expect([contract.title, contract.templateId, contract.lifecycle]).toEqual([title, template.id, 2]);
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

  it('Web template: text fields drawn in their boxes; two persons sign; pdfsig valid, the values in the PDF', async () => {
    const template = await publishedTemplate(sessions.initiator.page.request, { kind: 'web', name: `设备采购补充协议-${RUN}`, file: WEB_PDF, definition: WEB_DEFINITION });
    const { page } = sessions.initiator;
    await pickTemplate(page, template.id);
    await fillFields(page, { 项目名称: '办公电脑追加采购', 补充金额: '8800' });
    await eventually(() => field(page, '补充金额大写').inputValue()).toBe('捌仟捌佰元整');
    await next(page);
    await page.getByTestId('roles-step').waitFor();
    await page.getByTestId('role-mobile-r1').fill(buyer.mobile);
    await page.getByTestId('role-mobile-r2').fill(seller.mobile);
    await next(page);
    const contractId = await previewAndStart(page, `补充协议-${RUN}`, 'template-start-06-web-preview');
    const contract = await em().findOneOrFail(ContractSchema, { id: contractId });
    expect(contract.templateId).toBe(template.id);

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
    const template = await publishedTemplate(sessions.initiator.page.request, { kind: 'web', name: `即将停用的模板-${RUN}`, file: WEB_PDF, definition: WEB_DEFINITION });
    const { page } = sessions.initiator;
    await pickTemplate(page, template.id);
    await fillFields(page, { 项目名称: '停用测试', 补充金额: '100' });
    await next(page);
    await page.getByTestId('role-mobile-r1').fill(buyer.mobile);
    await page.getByTestId('role-mobile-r2').fill(seller.mobile);
    await next(page);
    await page.getByTestId('details-step').waitFor();
    await next(page);
    await page.getByTestId('preview-step').and(page.locator('[data-state="ready"]')).waitFor({ timeout: 90_000 });

    // The owner disables it meanwhile (here: the same user, in another tab's request).
    await ok(await sessions.initiator.context.request.post(`/api/templates/${template.id}/disable`), 'disable');
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
