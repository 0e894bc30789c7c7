/**
 * 文件验证 in a real browser: a completed contract with an unsigned update rewriting page 1 and one
 * more signature shows "签署后被修改" with, per signature, whether and what changed after it (zh-CN
 * and English); an unreadable file is shown as unreadable; a check that did not run (503, no connection) is not
 * called unreadable and 重试 sends the kept file again. Screenshots in test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareForSigning, signPdf } from '../../documents';
import { appendUpdate } from '../../documents/pdf/hostile-pdfs';
import { renderNameSeal } from '../../documents/seals/name-seal';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let user: { mobile: string };
let tamperedPath: string;

const dataOf = (locator: Locator, attribute: string) => locator.evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attribute);

async function sign(pdf: Uint8Array, order: number, name: string) {
  const { ca } = platform.services;
  const issued = await ca.issueSigningCertificate({ commonName: name, country: 'CN' });
  return signPdf({
    pdf,
    signer: { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, chainPem: ca.chainPem() },
    signerName: name,
    fieldName: `签署方${order}`,
    appearance: { page: 2, x: 60 + 90 * order, y: 600, width: 57, height: 57, png: await renderNameSeal(name) },
  });
}

beforeAll(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-e2e-verify-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  user = await createUser(platform.services, '王小明');
  const completed = await sign(await sign(await prepareForSigning(await makePdf(2)), 1, '张三'), 2, '李四');
  const doc = await PDFDocument.load(completed);
  const page = doc.getPages()[0]!;
  const raw = page.node.get(PDFName.of('Contents'));
  const contents = (raw instanceof PDFArray ? raw.get(0) : raw) as PDFRef;
  const font = /\/(Helvetica-\d+)/.exec(page.node.Resources()!.toString())![1];
  const evil = `BT /${font} 24 Tf 72 700 Td (Pay Mallory 1,000,000) Tj ET`;
  const tampered = appendUpdate(completed, [{ num: contents.objectNumber, body: `<< /Length ${evil.length} >>\nstream\n${evil}\nendstream` }]);
  tamperedPath = path.join(tmpDir, 'tampered-then-signed.pdf');
  fs.writeFileSync(tamperedPath, await sign(tampered, 3, '王五'));
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function openVerify(session: UserSession) {
  await signInThroughApi(session.page, { mobile: user.mobile, password: TEST_PASSWORD }, '/');
  await session.page.getByTestId('menu-verify').click();
  return session.page.getByTestId('verify-file-input');
}

describe('文件验证 shows what changed after each signature', () => {
  it('zh-CN: 签署后被修改, signatures 1 and 2 modified (page 1 content), signature 3 not', async () => {
    const session = await newUserSession(browser, platform.baseUrl);
    const input = await openVerify(session);
    await input.setInputFiles(tamperedPath);
    const result = session.page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('modified');
    expect(await session.page.getByTestId('verify-integrity').textContent()).toBe('签署后被修改');
    expect(await session.page.getByTestId('verify-summary').textContent()).toContain('签署后被修改');
    const cells = session.page.getByTestId('verify-signature-changes');
    expect(await dataOf(cells, 'data-modified')).toEqual(['true', 'true', 'false']);
    expect(await session.page.getByTestId('verify-change').allTextContents()).toEqual(['页面内容被修改（第 1 页）', '页面内容被修改（第 1 页）']);
    expect(await cells.nth(2).textContent()).toContain('签署后未修改');
    await screenshot(session.page, '05-verify-modified-after-signature');
    await session.context.close();
  });

  it('English: "Modified after this signature" with the change', async () => {
    const session = await newUserSession(browser, platform.baseUrl);
    await session.context.addInitScript(() => localStorage.setItem('sealflow.locale', 'en'));
    const input = await openVerify(session);
    await input.setInputFiles(tamperedPath);
    await session.page.getByTestId('verify-result').waitFor();
    expect(await session.page.getByTestId('verify-change').first().textContent()).toBe('Page content changed (page 1)');
    expect(await session.page.getByTestId('verify-signature-changes').first().textContent()).toContain('Modified after this signature');
    await session.context.close();
  });

  it('an unreadable PDF is shown as unreadable, not as unsigned', async () => {
    const session = await newUserSession(browser, platform.baseUrl);
    const input = await openVerify(session);
    const broken = path.join(tmpDir, 'broken.pdf');
    fs.writeFileSync(broken, fs.readFileSync(tamperedPath).subarray(0, 700));
    await input.setInputFiles(broken);
    const error = session.page.getByTestId('verify-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('无法验证此文件');
    expect(await error.textContent()).toContain('无法读取');
    expect(await session.page.getByTestId('verify-result').count()).toBe(0);
    await session.context.close();
  });

  it('a check that did not run (503, then no connection) says why, not 无法验证此文件, and 重试 sends the same file again', async () => {
    const session = await newUserSession(browser, platform.baseUrl);
    const { page } = session;
    const input = await openVerify(session);
    let calls = 0;
    await page.route('**/api/verifications', async (route) => {
      calls += 1;
      if (calls === 1) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'PDF_ENGINE_BUSY', message: '文件（文档、图片）处理繁忙，请稍后重试', messageEn: 'File processing is busy' } }) });
      if (calls === 2) return route.abort('internetdisconnected');
      return route.continue();
    });
    await input.setInputFiles(tamperedPath);
    const error = page.getByTestId('verify-error');
    await expect.poll(() => error.textContent()).toContain('文件（文档、图片）处理繁忙，请稍后重试');
    expect(await error.textContent()).not.toContain('无法验证此文件');
    await page.getByTestId('verify-retry').click();
    await expect.poll(() => error.textContent()).toContain('网络错误，请检查连接后重试');
    expect(await error.textContent()).not.toContain('无法验证此文件');
    await page.getByTestId('verify-retry').click();
    await page.getByTestId('verify-result').waitFor();
    expect(await page.getByTestId('verify-result').getAttribute('data-status')).toBe('modified');
    expect(calls).toBe(3);
    await session.context.close();
  });
});
