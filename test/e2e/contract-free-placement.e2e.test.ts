/**
 * Free placement at signing time, in Chromium against the real platform (API + worker, Temporal
 * dev server, the run's database, the built portal): the initiator starts a contract whose person
 * participant has `placement: 'free'` (POST /api/contracts from the initiator's browser session);
 * on the contract page the signer's 签署 opens the placement mode (PlacementEditor with the
 * participant's palette), the signer drags a 人名章 and a 日期章 onto page 1, 下一步 opens the SMS
 * step, the signature carries the placed marks, and the contract is 已完成 with the marks stored
 * where they were dropped (not preset, applied by document version 1). Without a handwritten
 * signature the 手写签名 chip is disabled and says why; a refusal by the server (a wrong code) shows
 * in the SMS dialog, and cancelling it returns to the placement mode with the marks kept; leaving the page with
 * marks placed asks first (离开此页面？). A background read of the
 * contract answered 503 meanwhile (the window regaining focus) keeps the page, the dialog with its typed code and the
 * placed marks, and shows the server's message (react-admin's default: 数据不存在 and back to the list).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import type { User } from '../../domain/identity/user.entity';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { errorNotification, refetchAnswered503, UNAVAILABLE_ERROR } from '../harness/failed-refetch';
import { drag, dropPoint } from '../harness/placement';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let initiator: User;
let signer: User;
let si: UserSession;
let ss: UserSession;

const RUN = Date.now().toString(36).slice(-5);
const TITLE = `自由签章合同-${RUN}`;
const NAME_SEAL_AT = { x: 90, y: 610 };
const DATE_AT = { x: 300, y: 700 };

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 250 });

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  initiator = await createUser(platform.services, '冯发起');
  signer = await createUser(platform.services, '褚自签');
  [si, ss] = await Promise.all([newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl)]);
  await signInThroughApi(si.page, { mobile: initiator.mobile, password: TEST_PASSWORD }, '/');
  await signInThroughApi(ss.page, { mobile: signer.mobile, password: TEST_PASSWORD }, '/');
}, 180_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

/** POST /api/contracts from the initiator's session: one person participant who places their marks when signing. */
async function startFreeContract(page: Page): Promise<string> {
  const spec = {
    title: TITLE,
    contractNo: null,
    remarks: null,
    actAs: 'person',
    participants: [{ step: 1, kind: 'person', mobile: signer.mobile, name: signer.name, canRefuse: false, note: null, placement: 'free', marks: [] }],
    cc: [],
  };
  const res = await page.request.post('/api/contracts', {
    multipart: { file: { name: `${TITLE}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(await makePdf(2)) }, spec: JSON.stringify(spec) },
  });
  const body = (await res.json()) as { id?: string };
  if (res.status() !== 201 || !body.id) throw new Error(`POST /api/contracts → ${res.status()}: ${JSON.stringify(body)}`);
  return body.id;
}

describe('free placement at signing time', () => {
  it('the signer drags a 人名章 and a 日期章 onto page 1, signs with the SMS code; the marks are stored where dropped', async () => {
    const contractId = await startFreeContract(si.page);
    const page = ss.page;
    await page.goto(`/contracts/${contractId}/show`);
    await page.locator(`[data-testid="contract-show"][data-contract-id="${contractId}"]`).waitFor();

    // 签署 opens the placement mode; 下一步 stays disabled until a mark is placed.
    await page.getByTestId('sign-button').click();
    const panel = page.getByTestId('free-placement');
    await panel.waitFor();
    expect(await page.getByTestId('sign-dialog').count()).toBe(0);
    expect(await panel.getByTestId('free-placement-next').isDisabled()).toBe(true);
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    const palette = await panel.getByTestId('palette-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(palette).toEqual(['name_seal', 'handwritten', 'date']);

    await drag(page, panel.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 1, markSize('name_seal'), NAME_SEAL_AT));
    await drag(page, panel.locator('[data-testid="palette-item"][data-kind="date"]'), () => dropPoint(page, 1, markSize('date'), DATE_AT));
    await eventually(() => page.getByTestId('placed-mark').count()).toBe(2);
    const placed = await page.getByTestId('placed-mark').evaluateAll((els) =>
      els.map((e) => ({ kind: e.getAttribute('data-kind'), page: Number(e.getAttribute('data-page')), x: Number(e.getAttribute('data-x')), y: Number(e.getAttribute('data-y')) })),
    );
    await screenshot(page, 'free-placement-01-placed');

    // The SMS step, then the signature with the placed marks.
    await panel.getByTestId('free-placement-next').click();
    const dialog = page.getByTestId('sign-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('sign-marks-count').textContent()).toContain('2');
    const code = await codeSentBy(platform.services, signer.mobile, () => dialog.getByTestId('sms-send').click());
    await dialog.getByTestId('sms-code-input').fill(code);
    await dialog.getByTestId('sign-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await eventually(() => page.getByTestId('contract-status').first().getAttribute('data-status')).toBe('completed');
    // Back on the contract page: the applied marks are drawn over the signed document.
    await eventually(() => page.locator('[data-testid="mark-box"][data-applied="true"]').count()).toBe(2);
    await screenshot(page, 'free-placement-02-completed');

    // Stored: two marks placed by the signer, applied by version 1, at the dropped coordinates.
    const near = (actual: number | null, expected: number) => expect(Math.abs((actual ?? NaN) - expected)).toBeLessThan(0.75);
    const marks = await platform.services.orm.em.fork().find(ContractMarkSchema, { contractId }, { orderBy: { kind: 'asc' } });
    expect(marks.map((m) => m.kind).sort()).toEqual(['date', 'name_seal']);
    for (const m of marks) {
      expect(m.preset).toBe(false);
      expect(m.appliedVersion).toBe(1);
      expect(m.page).toBe(1);
      const shown = placed.find((p) => p.kind === m.kind)!;
      expect(m.x).toBe(shown.x);
      expect(m.y).toBe(shown.y);
      const target = m.kind === 'date' ? DATE_AT : NAME_SEAL_AT;
      near(m.x, target.x);
      near(m.y, target.y);
    }
  });

  it('手写签名 without a handwritten signature cannot be placed; a refusal shows in the dialog; cancelling keeps the placed marks', async () => {
    const contractId = await startFreeContract(si.page);
    const page = ss.page;
    await page.goto(`/contracts/${contractId}/show`);
    await page.locator(`[data-testid="contract-show"][data-contract-id="${contractId}"]`).waitFor();
    await page.getByTestId('sign-button').click();
    const panel = page.getByTestId('free-placement');
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    const handwritten = panel.locator('[data-testid="palette-item"][data-kind="handwritten"]');
    expect(await handwritten.getAttribute('class')).toContain('Mui-disabled');
    await drag(page, panel.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 1, markSize('name_seal'), NAME_SEAL_AT));
    await eventually(() => page.getByTestId('placed-mark').count()).toBe(1);

    await panel.getByTestId('free-placement-next').click();
    const dialog = page.getByTestId('sign-dialog');
    await dialog.waitFor();
    const code = await codeSentBy(platform.services, signer.mobile, () => dialog.getByTestId('sms-send').click());
    const wrongCode = code === '000000' ? '111111' : '000000';
    await dialog.getByTestId('sms-code-input').fill(wrongCode);

    // The contract read again in the background (the window regains focus) and answered 503: the page stays, with the
    // dialog, its code and the placed mark, and says what the server said.
    await refetchAnswered503(page, `/api/contracts/${contractId}`);
    expect(await errorNotification(page).textContent()).toContain(UNAVAILABLE_ERROR.message);
    expect(new URL(page.url()).pathname).toBe(`/contracts/${contractId}/show`);
    expect(await dialog.getByTestId('sms-code-input').inputValue()).toBe(wrongCode);
    expect(await page.getByTestId('placed-mark').count()).toBe(1);

    await dialog.getByTestId('sign-confirm').click();
    await eventually(() => dialog.getByTestId('sign-error').textContent()).toContain('验证码');
    await screenshot(page, 'free-placement-03-error');

    // Cancel: back in the placement mode with the mark still placed; nothing was signed.
    await dialog.getByTestId('sign-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('placed-mark').count()).toBe(1);
    expect(await platform.services.orm.em.fork().count(ContractMarkSchema, { contractId })).toBe(0);
    expect(await page.getByTestId('contract-status').first().getAttribute('data-status')).toBe('in_progress');

    // Leaving the page through the menu with a mark placed asks first: 留在此页 keeps it, 放弃修改并离开 leaves.
    const leaveDialog = page.getByTestId('leave-dialog');
    await page.getByTestId('menu-todo').click();
    await leaveDialog.waitFor();
    await page.getByTestId('leave-stay').click();
    await leaveDialog.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/contracts/${contractId}/show`);
    expect(await page.getByTestId('placed-mark').count()).toBe(1);
    await page.getByTestId('menu-todo').click();
    await page.getByTestId('leave-confirm').click();
    await page.waitForURL((url) => url.pathname === '/contracts/todo');
  });
});
