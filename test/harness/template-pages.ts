/** The portal's 模板管理 pages as the e2e tests drive them (templates-manage, templates-start). */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const fieldRow = (page: Page, key: string) => page.locator(`[data-testid="field-row"][data-key="${key}"]`);
export const roleRow = (page: Page, index: number) => page.getByTestId('role-row').nth(index);
export const templateEditPage = (page: Page) => page.getByTestId('template-edit-page');

export async function openTemplates(page: Page) {
  await page.getByTestId('menu-templates').click();
  await page.getByTestId('templates-page').waitFor();
}

/**
 * 模板文件 → 新建模板: kind, file, name, 业务类型, 应用场景 → the editor of the new template; answers its
 * id. With `checkDialog`, first submits with nothing chosen (the dialog's own rule answers at the
 * file) and checks the name proposed from the file's name.
 */
export async function createTemplate(page: Page, kind: 'word' | 'web', file: string, name: string, options: { checkDialog?: boolean } = {}): Promise<string> {
  await openTemplates(page);
  await page.getByTestId('template-create').click();
  const dialog = page.getByTestId('template-create-dialog');
  await dialog.getByTestId(`template-kind-${kind}`).check();
  if (options.checkDialog) {
    await dialog.getByTestId('template-create-submit').click();
    await expect.poll(() => dialog.textContent()).toContain('请选择文件');
  }
  await dialog.getByTestId('template-file-input').setInputFiles(file);
  await dialog.getByTestId('template-file-input-name').waitFor();
  if (options.checkDialog) expect(await dialog.getByTestId('template-name').inputValue()).toBe(path.basename(file).replace(/\.[^.]+$/, ''));
  await dialog.getByTestId('template-name').fill(name);
  await dialog.getByTestId('template-business-type').fill('采购');
  await dialog.getByTestId('template-scenario').fill('设备采购');
  await dialog.getByTestId('template-create-submit').click();
  await page.waitForURL(/\/templates\/[^/]+$/);
  await templateEditPage(page).and(page.locator(`[data-kind="${kind}"]`)).waitFor();
  return decodeURIComponent(/\/templates\/([^/]+)$/.exec(page.url())![1]!);
}

/** 保存, then waits until the page shows the saved version. */
export async function saveTemplate(page: Page) {
  await page.getByTestId('template-save').click();
  await templateEditPage(page).and(page.locator('[data-dirty="false"]')).waitFor();
}

/** 添加角色: the new role (row `index`) with its name and kind. */
export async function addRole(page: Page, index: number, name: string, kind: 'person' | 'enterprise' | 'department') {
  await page.getByTestId('role-add').click();
  await roleRow(page, index).getByTestId('role-name').fill(name);
  await roleRow(page, index).getByTestId('role-kind').selectOption(kind);
}

/** The Web editor's palette row of a role (its id) or of the body fields ('fields'). */
export const paletteOf = (page: Page, participant: string) => page.locator(`[data-testid="placement-participant"][data-participant="${participant}"]`);
/** A body field's chip in the palette, and its box once placed. */
export const fieldChip = (page: Page, key: string) => paletteOf(page, 'fields').locator(`[data-testid="palette-item"][data-kind="field"][data-ref="${key}"]`);
export const placedField = (page: Page, key: string) => page.locator(`[data-testid="placed-mark"][data-kind="field"][data-ref="${key}"]`);
