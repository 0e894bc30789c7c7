/**
 * 模板管理 in Chromium against the real platform (API + worker, Temporal dev server, real
 * LibreOffice for Word templates, the built portal), driven only through the pages:
 * - Word: 新建模板 uploads the demo purchase contract (.docx) → the tags found become the field table;
 *   the author types labels, types (日期, 数字, 金额, 金额大写 spelled out from 总金额) and required flags
 *   (a bad default value is refused at the field with the server's rule); adds the roles 甲方 (企业,
 *   合同专用章) and 乙方 (个人, 人名章) placed by 关键字定位; 预览 shows the generated PDF; a keyword that
 *   is not in the document is refused at 发布 with the server's message naming it; fixed → 已发布.
 * - Web: a field made in 模板字段管理 and a new field are dragged onto the pages of an uploaded PDF,
 *   one resized by its corner, font size and alignment set; the roles' marks dragged onto pages 1
 *   and 2 → 发布. The stored definition has exactly the positions the browser showed.
 * - 停用 in the list: the Word template is shown 已停用, is no longer usable (GET ?usable=1), and the
 *   filter 已停用 lists it; 删除 (with confirmation) removes the Web template for good.
 * - 共享: an enterprise's administrator shares its template with another enterprise, view-only; that
 *   enterprise's administrator sees it with the 共享 badge and read-only (no 保存 / 发布 / 删除), until
 *   the owner makes the share editable.
 * - Nothing typed is lost: the source PDF answering 503 says the server's message (not pdf.js's English) and
 *   重试 loads it; a save over someone else's newer save (409) offers 重新加载, which keeps the page's edits
 *   and shows the other change where nothing was edited, and the next 保存 succeeds; unsaved edits guard
 *   leaving: closing the tab (beforeunload), 返回 and the browser's back button (离开此页面？, 留在此页 keeps them), and
 *   the language switch (切换语言？) and the acting identity's (切换身份？).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markSize } from '../../domain/contracts/mark-geometry';
import type { User } from '../../domain/identity/user.entity';
import { LibraryFieldSchema } from '../../domain/templates/library-field.entity';
import { TemplateShareSchema } from '../../domain/templates/template-share.entity';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { drag, dropPoint } from '../harness/placement';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { addRole, createTemplate, fieldChip, fieldRow, openTemplates, paletteOf, placedField, roleRow, saveTemplate } from '../harness/template-pages';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let author: User;
let session: UserSession;

const RUN = Date.now().toString(36).slice(-5);
const WORD_NAME = `采购合同模板${RUN}`;
const WEB_NAME = `设备租赁模板${RUN}`;
const WORD_DOCX = path.resolve('templates/demo/purchase-contract.docx');
/** A new Web field box (WebLayoutEditor DEFAULT_FIELD_BOX). */
const FIELD_BOX = { width: 160, height: 22 };

let wordId = '';
let webId = '';

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout, interval: 250 });
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(0.75);

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-templates-manage-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  author = await createUser(platform.services, '林模板');
  session = await newUserSession(browser, platform.baseUrl);
  await signInThroughApi(session.page, { mobile: author.mobile, password: TEST_PASSWORD }, '/');
}, 180_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function publish(page: Page) {
  await page.getByTestId('template-publish').click();
}

describe('模板管理 through the portal', () => {
  it('creates a Word template, defines its fields and keyword-placed roles, previews and publishes it', async () => {
    const { page } = session;
    wordId = await createTemplate(page, 'word', WORD_DOCX, WORD_NAME, { checkDialog: true });

    // The tags found in the .docx, each a field (optional text by default).
    expect(await page.getByTestId('template-tags').textContent()).toContain('{总金额大写}');
    await eventually(() => page.getByTestId('field-row').count()).toBe(11);

    const setType = (key: string, type: string) => fieldRow(page, key).getByTestId('field-type').selectOption(type);
    await setType('签订日期', 'date');
    await setType('数量', 'number');
    await setType('单价', 'amount');
    await setType('总金额', 'amount');
    await setType('总金额大写', 'amount_capital');
    await fieldRow(page, '总金额大写').getByTestId('field-derived').selectOption('总金额');
    await fieldRow(page, '总金额').getByTestId('field-label').fill('总金额（元）');
    for (const key of ['合同编号', '甲方名称', '乙方名称', '签订日期', '总金额']) await fieldRow(page, key).getByTestId('field-required').check();
    await fieldRow(page, '合同编号').getByTestId('field-max-length').fill('30');

    // A default value the field's type refuses: the same rule as the server, shown at the field.
    await fieldRow(page, '签订日期').getByTestId('field-default').fill('2026-02-30');
    await page.getByTestId('template-save').click();
    await expect.poll(() => fieldRow(page, '签订日期').textContent()).toContain('请输入日期，格式 YYYY-MM-DD');
    await fieldRow(page, '签订日期').getByTestId('field-default').fill('2026-12-01');

    // 甲方: an enterprise with its 合同专用章 at 甲方（盖章）：; 乙方: a person (may refuse) with a 人名章.
    await addRole(page, 0, '甲方', 'enterprise');
    await roleRow(page, 0).getByTestId('mark-add').click();
    const sealMark = roleRow(page, 0).getByTestId('role-mark').first();
    expect(await sealMark.getByTestId('mark-kind').inputValue()).toBe('seal');
    await sealMark.getByTestId('mark-seal-type').selectOption('contract');
    await sealMark.getByTestId('mark-keyword').fill('甲方（盖章）：');
    await sealMark.getByTestId('mark-occurrence').selectOption('last');
    await sealMark.getByTestId('mark-offset-x').fill('90');
    await sealMark.getByTestId('mark-offset-y').fill('-20');

    await addRole(page, 1, '乙方', 'person');
    expect(await roleRow(page, 1).getByTestId('role-step').inputValue()).toBe('2');
    await roleRow(page, 1).getByTestId('role-can-refuse').check();
    await roleRow(page, 1).getByTestId('mark-add').click();
    const nameMark = roleRow(page, 1).getByTestId('role-mark').first();
    await nameMark.getByTestId('mark-kind').selectOption('name_seal');
    // A keyword the document does not contain: only generation with sample values finds that out.
    await nameMark.getByTestId('mark-keyword').fill('丙方（签字）：');
    await nameMark.getByTestId('mark-offset-x').fill('90');
    await nameMark.getByTestId('mark-offset-y').fill('-20');
    await saveTemplate(page);

    await publish(page);
    const error = page.getByTestId('template-error');
    await error.waitFor({ timeout: 120_000 });
    expect(await error.textContent()).toContain('丙方（签字）：');
    expect(await page.getByTestId('template-edit-status').getAttribute('data-status')).toBe('draft');
    await screenshot(page, 'templates-word-keyword-missing');

    await nameMark.getByTestId('mark-keyword').fill('乙方（签字）：');
    await saveTemplate(page);

    // 预览: the .docx filled with sample values, converted by LibreOffice, drawn by pdf.js.
    await page.getByTestId('template-preview').click();
    const preview = page.getByTestId('template-preview-dialog');
    await preview.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor({ timeout: 120_000 });
    expect(Number(await preview.getByTestId('template-preview-pages').getAttribute('data-page-count'))).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'templates-word-preview', { fullPage: false });
    await preview.getByTestId('template-preview-close').click();

    await publish(page);
    await page.locator('[data-testid="template-edit-status"][data-status="published"]').waitFor({ timeout: 120_000 });
    await screenshot(page, 'templates-word-published');

    const stored = await em().findOneOrFail(DocumentTemplateSchema, { id: wordId });
    expect([stored.kind, stored.name, stored.businessType, stored.scenario, stored.status, stored.enabled, stored.ownerType, stored.ownerId]).toEqual(['word', WORD_NAME, '采购', '设备采购', 'published', true, 'user', author.id]);
    const byKey = Object.fromEntries(stored.definition.fields.map((f) => [f.key, f]));
    expect(byKey['签订日期']).toMatchObject({ type: 'date', required: true, defaultValue: '2026-12-01' });
    expect(byKey['总金额']).toMatchObject({ type: 'amount', required: true, label: '总金额（元）' });
    expect(byKey['总金额大写']).toMatchObject({ type: 'amount_capital', derivedFrom: '总金额', required: false });
    expect(byKey['合同编号']).toMatchObject({ type: 'text', required: true, maxLength: 30 });
    expect(byKey['规格型号']).toMatchObject({ type: 'text', required: false });
    expect(stored.definition.roles).toEqual([
      expect.objectContaining({ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, canRefuse: false, marks: [expect.objectContaining({ kind: 'seal', sealType: 'contract', keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 90, offsetY: -20 })] }),
      expect.objectContaining({ id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, marks: [expect.objectContaining({ kind: 'name_seal', keyword: '乙方（签字）：', offsetX: 90, offsetY: -20 })] }),
    ]);
  });

  it('builds a Web template from a library field and a new one, drags fields and marks onto the pages and publishes it', async () => {
    const { page } = session;

    // 模板字段管理: a field for the library (its default value is checked with the amount rule first).
    await page.getByTestId('menu-template-fields').click();
    await page.getByTestId('template-fields-page').waitFor();
    await page.getByTestId('library-field-create').click();
    const dialog = page.getByTestId('library-field-dialog');
    await dialog.getByTestId('library-field-name').fill('租金总额');
    await dialog.getByTestId('library-field-type').selectOption('amount');
    await dialog.getByTestId('library-field-required').check();
    await dialog.getByTestId('library-field-default').fill('一万');
    await dialog.getByTestId('library-field-save').click();
    await expect.poll(() => dialog.textContent()).toContain('请输入数字，最多两位小数');
    await dialog.getByTestId('library-field-default').fill('');
    await dialog.getByTestId('library-field-save').click();
    await page.locator('[data-testid="library-row"][data-name="租金总额"]').waitFor();
    const libraryField = await em().findOneOrFail(LibraryFieldSchema, { name: '租金总额', ownerId: author.id });

    const pdfFile = path.join(tmpDir, 'lease-contract.pdf');
    fs.writeFileSync(pdfFile, await makePdf(2));
    webId = await createTemplate(page, 'web', pdfFile, WEB_NAME, { checkDialog: true });
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    expect(await page.getByTestId('pdf-pages').getAttribute('data-page-count')).toBe('2');

    // Fields: 租金总额 from the library, 承租方地址 new.
    await page.getByTestId('library-field-pick').fill('租金');
    await page.getByTestId('library-field-option').filter({ hasText: '租金总额' }).click();
    await page.getByTestId('library-field-add').click();
    await page.getByTestId('new-field-label').fill('承租方地址');
    await page.getByTestId('new-field-add').click();
    await eventually(() => page.getByTestId('field-row').count()).toBe(2);
    const rentKey = (await page.getByTestId('field-row').nth(0).getAttribute('data-key'))!;
    const addressKey = (await page.getByTestId('field-row').nth(1).getAttribute('data-key'))!;
    expect([rentKey, addressKey]).toEqual(['租金总额', '承租方地址']);

    // Roles: 甲方 (enterprise) and 乙方 (person), both in step 1.
    await addRole(page, 0, '出租方', 'enterprise');
    await addRole(page, 1, '承租方', 'person');
    await roleRow(page, 1).getByTestId('role-step').fill('1');

    await drag(page, fieldChip(page, rentKey), () => dropPoint(page, 1, FIELD_BOX, { x: 100, y: 600 }));
    await drag(page, fieldChip(page, addressKey), () => dropPoint(page, 1, FIELD_BOX, { x: 100, y: 650 }));
    await placedField(page, addressKey).waitFor();
    near(Number(await placedField(page, rentKey).getAttribute('data-x')), 100);
    near(Number(await placedField(page, rentKey).getAttribute('data-y')), 600);
    // A placed field's chip cannot be dropped a second time.
    expect(await fieldChip(page, rentKey).getAttribute('class')).toContain('Mui-disabled');

    // Resize the address box by its corner: 40 pt wider (the box keeps its aspect ratio).
    const resize = placedField(page, addressKey).getByTestId('placed-mark-resize');
    await resize.scrollIntoViewIfNeeded();
    const scale = Number(await page.locator('[data-pdf-page="1"]').getAttribute('data-scale'));
    const handle = (await resize.boundingBox())!;
    const grab = { x: handle.x + handle.width - 3, y: handle.y + handle.height - 3 };
    await drag(page, resize, { x: grab.x + 40 * scale, y: grab.y }, grab);
    await eventually(async () => Number(await placedField(page, addressKey).getAttribute('data-width'))).toBeGreaterThan(FIELD_BOX.width + 30);
    const resized = { width: Number(await placedField(page, addressKey).getAttribute('data-width')), height: Number(await placedField(page, addressKey).getAttribute('data-height')) };
    near(resized.height / resized.width, FIELD_BOX.height / FIELD_BOX.width);
    await fieldRow(page, addressKey).getByTestId('field-font-size').fill('14');
    await fieldRow(page, addressKey).getByTestId('field-align').selectOption('center');

    // Marks: 出租方's 合同专用章 on page 1, 承租方's 人名章 on page 2.
    const seal = markSize('seal', 'contract');
    const nameSeal = markSize('name_seal');
    const lessor = (await roleRow(page, 0).getAttribute('data-role-id'))!;
    const lessee = (await roleRow(page, 1).getAttribute('data-role-id'))!;
    await drag(page, paletteOf(page, lessor).locator('[data-testid="palette-item"][data-kind="seal"][data-seal-type="contract"]'), () => dropPoint(page, 1, seal, { x: 380, y: 520 }));
    await drag(page, paletteOf(page, lessee).locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 2, nameSeal, { x: 120, y: 300 }));
    await eventually(() => page.locator('[data-testid="placed-mark"]:not([data-kind="field"])').count()).toBe(2);
    await screenshot(page, 'templates-web-layout');

    const shown = await page.locator('[data-testid="placed-mark"]').evaluateAll((els) =>
      els.map((e) => ({ participant: e.getAttribute('data-participant'), kind: e.getAttribute('data-kind'), ref: e.getAttribute('data-ref'), page: Number(e.getAttribute('data-page')), x: Number(e.getAttribute('data-x')), y: Number(e.getAttribute('data-y')), width: Number(e.getAttribute('data-width')), height: Number(e.getAttribute('data-height')) })),
    );

    await publish(page);
    await page.locator('[data-testid="template-edit-status"][data-status="published"]').waitFor({ timeout: 120_000 });

    const stored = await em().findOneOrFail(DocumentTemplateSchema, { id: webId });
    expect([stored.kind, stored.status, stored.enabled, stored.sourcePages?.length]).toEqual(['web', 'published', true, 2]);
    const [rent, address] = stored.definition.fields;
    const shownRent = shown.find((m) => m.ref === rentKey)!;
    const shownAddress = shown.find((m) => m.ref === addressKey)!;
    expect(rent).toMatchObject({ key: rentKey, label: '租金总额', type: 'amount', required: true, libraryFieldId: libraryField.id });
    expect(rent!.box).toEqual({ page: 1, x: shownRent.x, y: shownRent.y, width: FIELD_BOX.width, height: FIELD_BOX.height, fontSize: 12, align: 'left' });
    expect(address).toMatchObject({ key: addressKey, label: '承租方地址', type: 'text', libraryFieldId: null });
    expect(address!.box).toEqual({ page: 1, x: shownAddress.x, y: shownAddress.y, width: resized.width, height: resized.height, fontSize: 14, align: 'center' });
    const [lessorRole, lesseeRole] = stored.definition.roles;
    expect([lessorRole!.kind, lessorRole!.step, lesseeRole!.kind, lesseeRole!.step]).toEqual(['enterprise', 1, 'person', 1]);
    const shownSeal = shown.find((m) => m.participant === lessor)!;
    const shownName = shown.find((m) => m.participant === lessee)!;
    expect(lessorRole!.marks).toEqual([expect.objectContaining({ kind: 'seal', sealType: 'contract', page: 1, x: shownSeal.x, y: shownSeal.y })]);
    expect(lesseeRole!.marks).toEqual([expect.objectContaining({ kind: 'name_seal', page: 2, x: shownName.x, y: shownName.y })]);
    near(shownSeal.x, 380);
    near(shownSeal.y, 520);
    near(shownName.y, 300);
  });

  it('disables the Word template from the list and deletes the Web template after confirmation', async () => {
    const { page, context } = session;
    await openTemplates(page);
    const wordRow = page.locator(`[data-testid="template-row"][data-id="${wordId}"]`);
    await wordRow.and(page.locator('[data-enabled="true"][data-status="published"]')).waitFor();
    await wordRow.getByTestId('template-toggle-enabled').click();
    await page.locator(`[data-testid="template-row"][data-id="${wordId}"][data-enabled="false"]`).waitFor();
    expect(await wordRow.getByTestId('template-enabled').textContent()).toBe('已停用');
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: wordId })).enabled).toBe(false);
    // No longer offered to start contracts; the Web template still is.
    const usable = (await (await context.request.get('/api/templates?usable=1')).json()) as { data: { id: string }[] };
    expect(usable.data.map((t) => t.id)).toEqual([webId]);

    // Filter 已停用: only the disabled one.
    await page.getByTestId('template-filter-enabled-select').click();
    await page.getByTestId('template-filter-enabled-false').click();
    await eventually(() => page.getByTestId('template-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([wordId]);
    await screenshot(page, 'templates-list-disabled');
    await page.getByTestId('template-filter-enabled-select').click();
    await page.getByTestId('template-filter-enabled-all').click();
    await eventually(() => page.getByTestId('template-row').count()).toBe(2);

    // 删除: cancel keeps it, confirm removes it for good.
    const webRow = page.locator(`[data-testid="template-row"][data-id="${webId}"]`);
    await webRow.getByTestId('template-delete').click();
    await page.getByTestId('confirm-cancel').click();
    await webRow.getByTestId('template-delete').click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain(WEB_NAME);
    await page.getByTestId('template-delete-confirm').click();
    await webRow.waitFor({ state: 'detached' });
    expect(await em().findOne(DocumentTemplateSchema, { id: webId })).toBeNull();
    await eventually(() => page.getByTestId('template-row').count()).toBe(1);
  });

  it('keeps the edits: the source PDF failing (503) says why and 重试 loads it; a 409 on 保存 offers 重新加载, which keeps them', async () => {
    const { page, context } = session;
    const pdfFile = path.join(tmpDir, 'conflict-notice.pdf');
    fs.writeFileSync(pdfFile, await makePdf(1));
    // The source PDF's first download is refused as the API refuses a busy document engine.
    let refusals = 1;
    const isSource = (url: URL) => /^\/api\/templates\/[^/]+\/source$/.test(url.pathname);
    await page.route(isSource, async (route) => {
      if (route.request().method() !== 'GET' || refusals-- <= 0) return route.continue();
      await route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '2' }, body: JSON.stringify({ error: { code: 'PDF_ENGINE_BUSY', message: '文件（文档、图片）处理繁忙，请稍后重试', messageEn: 'File processing is busy' } }) });
    });
    const id = await createTemplate(page, 'web', pdfFile, `冲突告知函${RUN}`);
    const pdfError = page.getByTestId('pdf-pages-error');
    await pdfError.waitFor();
    expect(await pdfError.textContent()).toContain('PDF 无法显示：文件（文档、图片）处理繁忙，请稍后重试');
    await page.getByTestId('pdf-pages-retry').click();
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    expect(await pdfError.count()).toBe(0);
    await page.unroute(isSource);

    // The author renames it and adds a role; leaving the tab now asks first.
    const name = `冲突告知函（修订）${RUN}`;
    await page.getByTestId('template-edit-name').fill(name);
    await addRole(page, 0, '告知方', 'enterprise');
    const leavingAsks = () => page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
    expect(await leavingAsks()).toBe(true);
    // So does leaving it inside the portal (返回, the browser's back button): 留在此页 keeps the page and its edits.
    const leaveDialog = page.getByTestId('leave-dialog');
    for (const leave of [() => page.getByTestId('template-back').click(), () => page.goBack()]) {
      await leave();
      await leaveDialog.waitFor();
      expect(await leaveDialog.textContent()).toContain('您有未保存的修改');
      await page.getByTestId('leave-stay').click();
      await leaveDialog.waitFor({ state: 'hidden' });
      expect(new URL(page.url()).pathname).toBe(`/templates/${id}`);
      expect(await page.getByTestId('template-edit-name').inputValue()).toBe(name);
    }
    // Switching the language remounts the app (the edits would go): it asks too; 取消 keeps the page in Chinese with the edits.
    await page.getByTestId('locale-en').click();
    await leaveDialog.waitFor();
    expect(await leaveDialog.textContent()).toContain('切换语言会重新加载页面');
    await page.getByTestId('leave-stay').click();
    await leaveDialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('locale-zh-CN').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('template-edit-name').inputValue()).toBe(name);

    // Someone else saves the template meanwhile: a new 应用场景.
    const theirs = (await (await context.request.get(`/api/templates/${id}`)).json()) as { version: number; name: string; businessType: string | null; definition: unknown };
    const put = await context.request.put(`/api/templates/${id}`, { data: { version: theirs.version, name: theirs.name, businessType: theirs.businessType, scenario: '告知送达', definition: theirs.definition } });
    expect(put.status()).toBe(200);

    await page.getByTestId('template-save').click();
    const conflict = page.getByTestId('template-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('模板已被他人修改');
    await page.getByTestId('template-reload').click();
    await page.getByTestId('template-conflict-reloaded').waitFor();
    // The edits stay; the field not edited here shows the other change.
    expect(await page.getByTestId('template-edit-name').inputValue()).toBe(name);
    expect(await roleRow(page, 0).getByTestId('role-name').inputValue()).toBe('告知方');
    expect(await page.getByTestId('template-edit-scenario').inputValue()).toBe('告知送达');
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();

    await saveTemplate(page);
    expect(await leavingAsks()).toBe(false);
    // Nothing unsaved: the language switches at once (and back).
    await page.getByTestId('locale-en').click();
    await expect.poll(() => page.getByTestId('template-back').textContent()).toContain('Back to the list');
    expect(await leaveDialog.count()).toBe(0);
    await page.getByTestId('locale-zh-CN').click();
    await expect.poll(() => page.getByTestId('template-back').textContent()).toContain('返回列表');
    // Saved: 返回 goes straight to the list.
    await page.getByTestId('template-back').click();
    await page.waitForURL((url) => url.pathname === '/templates');
    expect(await leaveDialog.count()).toBe(0);
    const stored = await em().findOneOrFail(DocumentTemplateSchema, { id });
    expect([stored.name, stored.scenario, stored.definition.roles.map((r) => r.name)]).toEqual([name, '告知送达', ['告知方']]);
  });

  it('shares an enterprise template view-only, then editable, with another enterprise', async () => {
    const ownerAdmin = await createUser(platform.services, '许共享');
    const receiverAdmin = await createUser(platform.services, '何接收');
    const owner = await createCertifiedEnterprise(platform.services, ownerAdmin, `模板共享甲方科技有限公司${RUN}`);
    const receiver = await createCertifiedEnterprise(platform.services, receiverAdmin, `模板共享乙方科技有限公司${RUN}`);
    const actAs = async (s: UserSession, enterpriseId: string) => {
      expect((await s.context.request.post('/api/auth/acting', { data: { enterpriseId } })).status()).toBe(200);
      await s.page.goto('/templates');
      await s.page.getByTestId('templates-page').waitFor();
    };

    const ownerSession = await newUserSession(browser, platform.baseUrl);
    await signInThroughApi(ownerSession.page, { mobile: ownerAdmin.mobile, password: TEST_PASSWORD }, '/');
    await actAs(ownerSession, owner.id);
    const pdfFile = path.join(tmpDir, 'shared-notice.pdf');
    fs.writeFileSync(pdfFile, await makePdf(1));
    const sharedName = `共享告知函${RUN}`;
    const id = await createTemplate(ownerSession.page, 'web', pdfFile, sharedName, { checkDialog: true });
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id })).ownerId).toBe(owner.id);

    // 共享 from the list: the other enterprise through the lookup, not editable.
    const op = ownerSession.page;
    await op.getByTestId('template-back').click();
    await op.locator(`[data-testid="template-row"][data-id="${id}"]`).getByTestId('template-share').click();
    const dialog = op.getByTestId('template-share-dialog');
    await dialog.getByTestId('share-none').waitFor();
    await dialog.getByTestId('share-add').click();
    expect(await dialog.getByTestId('share-error').textContent()).toBe('请选择企业');
    await dialog.getByTestId('share-enterprise').fill(receiver.name.slice(0, 8));
    await op.getByTestId('share-enterprise-option').filter({ hasText: receiver.name }).click();
    await dialog.getByTestId('share-add').click();
    const shareRow = dialog.locator(`[data-testid="share-row"][data-enterprise-id="${receiver.id}"]`);
    await shareRow.waitFor();
    expect(await shareRow.textContent()).toContain('仅查看和使用');
    expect((await em().findOneOrFail(TemplateShareSchema, { templateId: id, enterpriseId: receiver.id })).editable).toBe(false);
    await screenshot(op, 'templates-share-dialog', { fullPage: false });

    // The receiving enterprise: 共享 · 只读, no owner actions; the editor is view-only.
    const receiverSession = await newUserSession(browser, platform.baseUrl);
    const rp = receiverSession.page;
    await signInThroughApi(rp, { mobile: receiverAdmin.mobile, password: TEST_PASSWORD }, '/');
    await actAs(receiverSession, receiver.id);
    const sharedRow = rp.locator(`[data-testid="template-row"][data-id="${id}"]`);
    expect(await sharedRow.getByTestId('template-shared-badge').textContent()).toBe('共享 · 只读');
    expect(await sharedRow.getByTestId('template-toggle-enabled').count()).toBe(0);
    expect(await sharedRow.getByTestId('template-delete').count()).toBe(0);
    await sharedRow.getByTestId('template-open').click();
    await rp.getByTestId('template-view-only').waitFor();
    expect(await rp.getByTestId('template-view-only').textContent()).toContain(owner.name);
    expect(await rp.getByTestId('template-save').count()).toBe(0);
    expect(await rp.getByTestId('template-publish').count()).toBe(0);
    expect(await rp.getByTestId('template-edit-name').isDisabled()).toBe(true);
    expect(await rp.getByTestId('role-add').isDisabled()).toBe(true);
    await screenshot(rp, 'templates-shared-view-only');

    // Made editable by the owner: the receiver may now edit (保存 / 发布 shown) but still not own it.
    // The switch follows the stored share: it turns on once the PUT answered and the list was re-read.
    await shareRow.getByTestId('share-row-editable').click();
    await shareRow.locator('[data-testid="share-row-editable"]:checked').waitFor({ state: 'attached' });
    await expect.poll(async () => (await em().findOneOrFail(TemplateShareSchema, { templateId: id, enterpriseId: receiver.id })).editable).toBe(true);
    await rp.reload();
    await rp.getByTestId('template-edit-page').waitFor();
    expect(await rp.getByTestId('template-view-only').count()).toBe(0);
    await rp.getByTestId('template-save').waitFor();
    expect(await rp.getByTestId('template-share-open').count()).toBe(0);
    // With an edit unsaved, switching the acting identity (it reloads the page) asks first; 留在此页 keeps the edit and the identity.
    await rp.getByTestId('template-edit-name').fill(`${sharedName}（接收方修改）`);
    await rp.getByTestId('identity-switch').click();
    await rp.getByTestId('identity-option-personal').click();
    const leaveDialog = rp.getByTestId('leave-dialog');
    await leaveDialog.waitFor();
    expect(await leaveDialog.textContent()).toContain('切换身份会重新加载页面');
    await rp.getByTestId('leave-stay').click();
    await leaveDialog.waitFor({ state: 'hidden' });
    expect(await rp.getByTestId('template-edit-name').inputValue()).toBe(`${sharedName}（接收方修改）`);
    expect(await rp.getByTestId('identity-current').textContent()).toContain(receiver.name);
    await ownerSession.context.close();
    await receiverSession.context.close();
  });
});
