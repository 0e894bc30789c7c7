/**
 * 发起合同 v2 in Chromium against the real platform: a PDF → a person (step 1, 可拒签) and a
 * certified enterprise found through the lookup (step 2) → the marks dragged from the palette onto
 * the pages rendered by pdf.js (人名章 and 日期章 on page 1, 合同专用章 on page 2, 骑缝章 over
 * pages 1–3), one box dragged again to a new place → 合同编号, 抄送 → submit. The stored marks
 * (contract_marks) must have the coordinates the drops give: PDF points from the page's top-left
 * corner, computed here from where the mouse let go on the rendered page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import type { User } from '../../domain/identity/user.entity';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { dropPoint, drag } from '../harness/placement';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let initiator: User;
let signer: User;
let ccUser: User;
let enterpriseAdmin: User;
let enterprise: { id: string; name: string };
let session: UserSession;

const TITLE = '采购框架协议（拖放签章 E2E）';

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-create-e2e-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  initiator = await createUser(platform.services, '周发起');
  signer = await createUser(platform.services, '吴签署');
  ccUser = await createUser(platform.services, '郑抄送');
  enterpriseAdmin = await createUser(platform.services, '冯管理');
  const e = await createCertifiedEnterprise(platform.services, enterpriseAdmin, `拖放签章测试科技有限公司${Date.now() % 100000}`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  session = await newUserSession(browser, platform.baseUrl);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

describe('发起合同 with marks dragged onto pdf.js pages', () => {
  it('drags boxes for two participants and stores their coordinates in PDF points', async () => {
    const { page } = session;
    await signInThroughApi(page, { mobile: initiator.mobile, password: TEST_PASSWORD }, '/');
    await page.getByTestId('menu-create').click();
    await page.getByTestId('create-form').waitFor();

    // 1 文件
    const pdfFile = path.join(tmpDir, 'framework-agreement.pdf');
    await fs.promises.writeFile(pdfFile, await makePdf(3));
    await page.getByTestId('create-file-input').setInputFiles(pdfFile);
    await page.getByTestId('create-file-input-name').waitFor();
    await page.getByTestId('wizard-next').click();

    // 2 签署方: a person in step 1 (may refuse), an enterprise in step 2.
    await page.getByTestId('participants-step').waitFor();
    await page.getByTestId('participant-mobile-0').fill(signer.mobile);
    // Every person is named by the initiator (the name their verified name must match): the wizard asks for it.
    await page.getByTestId('wizard-next').click();
    await page.getByText('请填写签署人姓名').waitFor();
    await page.getByTestId('participant-name-0').fill(signer.name);
    await page.getByTestId('participant-can-refuse-0').check();
    await page.getByTestId('add-step').click();
    await page.getByTestId('add-step-enterprise').click();
    await page.getByTestId('participant-enterprise-1').fill(enterprise.name.slice(0, 8));
    await page.getByTestId('participant-enterprise-1-option').filter({ hasText: enterprise.name }).click();
    expect(await page.getByTestId('participant-enterprise-1').inputValue()).toBe(enterprise.name);
    await page.getByTestId('wizard-next').click();

    // 3 签署位置: the pages are drawn by pdf.js.
    await page.getByTestId('placement-step').waitFor();
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    expect(await page.getByTestId('pdf-pages').getAttribute('data-page-count')).toBe('3');
    const person = page.getByTestId('placement-participant').nth(0);
    const company = page.getByTestId('placement-participant').nth(1);
    const personKey = (await person.getAttribute('data-participant'))!;
    const companyKey = (await company.getAttribute('data-participant'))!;

    const nameSeal = markSize('name_seal');
    const date = markSize('date');
    const seal = markSize('seal', 'contract');
    // Pixel rounding of the drop: within half a point of the target.
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(0.75);

    await drag(page, person.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 1, nameSeal, { x: 100, y: 600 }));
    await drag(page, person.locator('[data-testid="palette-item"][data-kind="date"]'), () => dropPoint(page, 1, date, { x: 90, y: 700 }));
    await drag(page, company.locator('[data-testid="palette-item"][data-kind="seal"][data-seal-type="contract"]'), () => dropPoint(page, 2, seal, { x: 380, y: 560 }));
    await drag(page, company.locator('[data-testid="palette-item"][data-kind="riding"][data-seal-type="contract"]'), () => dropPoint(page, 1, { width: seal.width / 3, height: seal.height }, { x: 0, y: 300 }));
    // A box dropped partly off the page is kept on it (right edge of page 1).
    await drag(page, company.locator('[data-testid="palette-item"][data-kind="date"]'), () => dropPoint(page, 1, date, { x: 520, y: 400 }));

    const boxes = page.locator('[data-testid="placed-mark"]');
    await expect.poll(() => boxes.count()).toBe(4);
    const nameBox = page.locator(`[data-testid="placed-mark"][data-participant="${personKey}"][data-kind="name_seal"]`);
    near(Number(await nameBox.getAttribute('data-x')), 100);
    near(Number(await nameBox.getAttribute('data-y')), 600);

    // Move the 人名章 within page 1: grab it near its top-left corner and let go 150 pt to the right, 40 pt up.
    const pageEl = page.locator('[data-pdf-page="1"]');
    await nameBox.scrollIntoViewIfNeeded();
    const scale = Number(await pageEl.getAttribute('data-scale'));
    const nb = (await nameBox.boundingBox())!;
    const grab = { x: nb.x + 10, y: nb.y + 10 };
    await drag(page, nameBox, { x: grab.x + 150 * scale, y: grab.y - 40 * scale }, grab);
    near(Number(await nameBox.getAttribute('data-x')), 250);
    near(Number(await nameBox.getAttribute('data-y')), 560);

    // The riding seal shows one strip at the right edge of each of pages 1–3.
    await expect.poll(() => page.getByTestId('placed-riding-strip').count()).toBe(3);
    await screenshot(page, 'contract-create-placement');

    // What the browser shows is what must be stored.
    const shown = await page.locator('[data-testid="placed-mark"]').evaluateAll((els) =>
      els.map((e) => ({ participant: e.getAttribute('data-participant'), kind: e.getAttribute('data-kind'), sealType: e.getAttribute('data-seal-type') || null, page: Number(e.getAttribute('data-page')), x: Number(e.getAttribute('data-x')), y: Number(e.getAttribute('data-y')) })),
    );
    const companyDate = shown.find((m) => m.participant === companyKey && m.kind === 'date')!;
    near(companyDate.x, 595.28 - date.width);
    near(companyDate.y, 400);
    const companySeal = shown.find((m) => m.participant === companyKey && m.kind === 'seal')!;
    expect(companySeal.page).toBe(2);
    near(companySeal.x, 380);
    near(companySeal.y, 560);
    const riding = (await page.locator('[data-testid="placed-riding-strip"]').first().getAttribute('data-y'))!;
    near(Number(riding), 300);
    await page.getByTestId('wizard-next').click();

    // 4 合同信息与抄送: the title comes from the file name; replace it, add a number and a CC.
    await page.getByTestId('details-step').waitFor();
    expect(await page.getByTestId('create-title').inputValue()).toBe('framework-agreement');
    await page.getByTestId('create-title').fill(TITLE);
    await page.getByTestId('create-contract-no').fill('KJ-2026-0042');
    await page.getByTestId('cc-mobile').fill(ccUser.mobile);
    await page.getByTestId('cc-add').click();
    await page.getByTestId('cc-chip').waitFor();
    expect(await page.getByTestId('create-expires-at').inputValue()).not.toBe('');
    await page.getByTestId('create-submit').click();

    await page.waitForURL(/\/contracts\/[^/]+\/show/);
    const contractId = decodeURIComponent(/\/contracts\/([^/]+)\/show/.exec(page.url())![1]!);

    const em = platform.services.orm.em.fork();
    const contract = await em.findOneOrFail(ContractSchema, { id: contractId });
    expect(contract.title).toBe(TITLE);
    expect(contract.contractNo).toBe('KJ-2026-0042');
    expect(contract.lifecycle).toBe(2);
    const participants = await em.find(ContractSignerSchema, { contractId }, { orderBy: { order: 'asc' } });
    expect(participants.map((p) => [p.kind, p.step, p.canRefuse, p.placement])).toEqual([
      ['person', 1, true, 'preset'],
      ['enterprise', 2, false, 'preset'],
    ]);
    expect(participants[0]!.userId).toBe(signer.id);
    expect(participants[1]!.enterpriseId).toBe(enterprise.id);
    const cc = await em.find(ContractCcSchema, { contractId });
    expect(cc.map((c) => c.userId)).toEqual([ccUser.id]);

    const marks = await em.find(ContractMarkSchema, { contractId });
    const of = (participantId: string, kind: string) => marks.filter((m) => m.participantId === participantId && m.kind === kind);
    const [personId, companyId] = [participants[0]!.id, participants[1]!.id];
    expect(marks).toHaveLength(5);
    expect(marks.every((m) => m.preset)).toBe(true);

    const storedName = of(personId, 'name_seal')[0]!;
    expect([storedName.page, storedName.width, storedName.height]).toEqual([1, nameSeal.width, nameSeal.height]);
    near(storedName.x!, 250);
    near(storedName.y!, 560);
    const shownName = shown.find((m) => m.participant === personKey && m.kind === 'name_seal')!;
    expect([storedName.x, storedName.y]).toEqual([shownName.x, shownName.y]);

    const storedDate = of(personId, 'date')[0]!;
    expect(storedDate.page).toBe(1);
    near(storedDate.x!, 90);
    near(storedDate.y!, 700);

    const storedSeal = of(companyId, 'seal')[0]!;
    expect([storedSeal.page, storedSeal.sealType, storedSeal.x, storedSeal.y]).toEqual([2, 'contract', companySeal.x, companySeal.y]);
    near(storedSeal.width!, seal.width);

    const storedRiding = of(companyId, 'riding')[0]!;
    expect([storedRiding.sealType, storedRiding.page, storedRiding.pageFrom, storedRiding.pageTo]).toEqual(['contract', null, 1, 3]);
    near(storedRiding.y!, 300);

    const storedCompanyDate = of(companyId, 'date')[0]!;
    expect([storedCompanyDate.page, storedCompanyDate.x, storedCompanyDate.y]).toEqual([1, companyDate.x, companyDate.y]);
    expect(storedCompanyDate.x! + storedCompanyDate.width!).toBeLessThanOrEqual(595.28 + 0.01);
  });
});
