/**
 * The portal's contract boxes and the actions on the contract page, in Chromium against the real
 * platform (API + worker + Temporal dev server, the run's database, the built portal from dist/):
 * 待我签署 / 待他人签署 / 已作废 / 抄送我的 with search and filters, 拒签 and 撤销 with a reason
 * (已作废 with the reason and note), 催办 (then refused by the rate limit), 批量下载 of three
 * contracts as one zip, and the same pages at phone width without sideways scrolling. A 撤销 answered 503
 * UPDATE_STILL_RUNNING (accepted, still running) shows 处理中 and is asked again with the same Idempotency-Key.
 * Contracts are started through POST /api/contracts as the initiator's browser session.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { maskMobile } from '../../domain/identity/masking';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

type TestUser = { id: string; name: string; mobile: string };

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let initiator: TestUser;
let signerB: TestUser;
let signerC: TestUser;
let ccUser: TestUser;
let sa: UserSession;
let sb: UserSession;
let sd: UserSession;
let pdf: Uint8Array;

/** Unique per run: tests share the run's database with other files. */
const RUN = Date.now().toString(36).slice(-5);
const T = {
  refuse: `拒签测试合同-${RUN}`,
  revoke: `撤销测试合同-${RUN}`,
  urge: `催办测试合同-${RUN}`,
  cc: `抄送测试合同-${RUN}`,
  plain: `采购框架协议-${RUN}`,
};
const ids: Record<keyof typeof T, string> = { refuse: '', revoke: '', urge: '', cc: '', plain: '' };

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-lists-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  initiator = await createUser(platform.services, '周发起');
  signerB = await createUser(platform.services, '吴签署');
  signerC = await createUser(platform.services, '郑后签');
  ccUser = await createUser(platform.services, '钱抄送');
  [sa, sb, sd] = await Promise.all([newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl), newUserSession(browser, platform.baseUrl)]);
  await signInThroughApi(sa.page, { mobile: initiator.mobile, password: TEST_PASSWORD }, '/');
  await signInThroughApi(sb.page, { mobile: signerB.mobile, password: TEST_PASSWORD }, '/');
  await signInThroughApi(sd.page, { mobile: ccUser.mobile, password: TEST_PASSWORD }, '/');
  pdf = await makePdf(2);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 200 });

interface PersonSpec {
  step: number;
  mobile: string;
  name: string;
  canRefuse?: boolean;
}

/** POST /api/contracts (v2 spec) from the initiator's browser session; returns the contract id. */
async function startContract(page: Page, title: string, participants: PersonSpec[], cc: string[] = [], contractNo: string | null = null): Promise<string> {
  const spec = {
    title,
    contractNo,
    remarks: null,
    actAs: 'person',
    participants: participants.map((p, i) => ({
      step: p.step,
      kind: 'person',
      mobile: p.mobile,
      name: p.name,
      canRefuse: p.canRefuse ?? false,
      note: null,
      placement: 'preset',
      marks: [{ kind: 'name_seal', page: 1, x: 80 + i * 150, y: 600 }],
    })),
    cc: cc.map((mobile) => ({ mobile })),
  };
  const res = await page.request.post('/api/contracts', {
    multipart: { file: { name: `${title}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(pdf) }, spec: JSON.stringify(spec) },
  });
  const body = (await res.json()) as { id?: string; error?: unknown };
  if (res.status() !== 201 || !body.id) throw new Error(`POST /api/contracts → ${res.status()}: ${JSON.stringify(body)}`);
  return body.id;
}

async function openBox(page: Page, box: string) {
  await page.getByTestId(`menu-${box}`).click();
  await page.getByTestId(`contract-list-${box}`).waitFor();
}

const row = (page: Page, id: string) => page.locator(`[data-testid="contract-row"][data-id="${id}"]`);

/** Contract ids shown in the box, in order (every user here is new, so every row is from this file). */
const shownIds = (page: Page) => page.getByTestId('contract-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));

async function openContract(page: Page, id: string) {
  await page.goto(`/contracts/${id}/show`);
  await page.locator(`[data-testid="contract-show"][data-contract-id="${id}"]`).waitFor();
}

/** No sideways scrolling: the page is not wider than the viewport. */
const overflowsX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

// ---------------------------------------------------------------- the flow

describe('contract boxes and actions in the portal', () => {
  it('contracts started by the initiator appear in each party\'s boxes', async () => {
    ids.refuse = await startContract(sa.page, T.refuse, [{ step: 1, mobile: signerB.mobile, name: signerB.name, canRefuse: true }, { step: 2, mobile: signerC.mobile, name: signerC.name }]);
    ids.revoke = await startContract(sa.page, T.revoke, [{ step: 1, mobile: signerB.mobile, name: signerB.name }]);
    ids.urge = await startContract(sa.page, T.urge, [{ step: 1, mobile: signerB.mobile, name: signerB.name }, { step: 1, mobile: signerC.mobile, name: signerC.name }]);
    ids.cc = await startContract(sa.page, T.cc, [{ step: 1, mobile: signerC.mobile, name: signerC.name }], [ccUser.mobile], 'HT-CC-001');
    ids.plain = await startContract(sa.page, T.plain, [{ step: 1, mobile: signerC.mobile, name: signerC.name }], [], `HT-${RUN}`);

    // 待他人签署 of the initiator: all five, newest first.
    const a = sa.page;
    await a.reload();
    await openBox(a, 'waiting');
    await eventually(() => shownIds(a)).toEqual([ids.plain, ids.cc, ids.urge, ids.revoke, ids.refuse]);
    expect(await row(a, ids.cc).getByTestId('contract-row-counterparties').textContent()).toContain(signerC.name);
    expect(await row(a, ids.urge).getByTestId('contract-status').getAttribute('data-status')).toBe('in_progress');
    await screenshot(a, 'lists-01-waiting');

    // 待我签署 of signer B: the three where B signs in step 1; the menu badge counts them.
    const b = sb.page;
    await b.reload();
    await openBox(b, 'todo');
    await eventually(() => shownIds(b)).toEqual([ids.urge, ids.revoke, ids.refuse]);
    await eventually(() => b.getByTestId('menu-todo-count').textContent()).toContain('3');
    expect(await row(b, ids.refuse).getByTestId('contract-row-initiator').textContent()).toContain(initiator.name);

    // 抄送我的 of the CC recipient.
    const d = sd.page;
    await d.reload();
    await openBox(d, 'cc');
    await eventually(() => shownIds(d)).toEqual([ids.cc]);
  });

  it('search and filters narrow the box (title, number, counterparty, initiator, dates)', async () => {
    const a = sa.page;
    await a.getByTestId('list-search').fill('采购框架');
    await eventually(() => shownIds(a)).toEqual([ids.plain]);
    await a.getByTestId('list-search').fill(`HT-${RUN}`);
    await eventually(() => shownIds(a)).toEqual([ids.plain]);
    await a.getByTestId('list-search').fill(signerB.name);
    await eventually(() => shownIds(a)).toEqual([ids.urge, ids.revoke, ids.refuse]);
    await a.getByTestId('list-search').fill('不存在的合同');
    await a.getByTestId('contract-list-empty').waitFor();
    await a.getByTestId('list-reset').click();
    await eventually(() => shownIds(a)).toHaveLength(5);

    // Created today: from = to = today (the browser's day) keeps all; from tomorrow none.
    const today = await a.evaluate(() => new Date().toLocaleDateString('en-CA'));
    const tomorrow = await a.evaluate(() => new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA'));
    await a.getByTestId('list-from').fill(today);
    await a.getByTestId('list-to').fill(today);
    await eventually(() => shownIds(a)).toHaveLength(5);
    await a.getByTestId('list-from').fill(tomorrow);
    await a.getByTestId('list-to').fill(tomorrow);
    await a.getByTestId('contract-list-empty').waitFor();
    await a.getByTestId('list-reset').click();

    // Initiator filter in B's 待我签署: the initiator's name matches all three, another name none.
    const b = sb.page;
    await b.getByTestId('list-initiator').fill(initiator.name);
    await eventually(() => shownIds(b)).toHaveLength(3);
    await b.getByTestId('list-initiator').fill('没有这个人');
    await b.getByTestId('contract-list-empty').waitFor();
    await b.getByTestId('list-reset').click();
    await eventually(() => shownIds(b)).toHaveLength(3);
  });

  it('signer B refuses with a reason: 已作废（拒签） with the note, in both parties\' 已作废', async () => {
    const b = sb.page;
    await row(b, ids.refuse).getByTestId('contract-row-title').click();
    await b.locator(`[data-testid="contract-show"][data-contract-id="${ids.refuse}"]`).waitFor();
    await b.getByTestId('my-turn-hint').waitFor();
    // pdf.js renders both pages with each participant's preset 人名章 box, not yet applied.
    await eventually(() => b.getByTestId('pdf-page').count()).toBe(2);
    await eventually(() => b.locator('[data-testid="mark-box"][data-applied="false"]').count()).toBe(2);
    // Two steps: B in step 1 (current), C waits in step 2.
    expect(await b.getByTestId('step').evaluateAll((els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('data-current')]))).toEqual([
      ['1', 'true'],
      ['2', 'false'],
    ]);
    await b.getByTestId('refuse-button').click();
    const dialog = b.getByTestId('reject-dialog');
    await dialog.waitFor();
    // A reason is required.
    await dialog.getByTestId('reject-confirm').click();
    await dialog.getByTestId('error-message').waitFor();
    await dialog.getByTestId('reject-reason').fill('价格条款与报价单不一致');
    await dialog.getByTestId('reject-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    await b.locator('[data-testid="contract-status"][data-status="voided"][data-void-reason="refused"]').first().waitFor();
    expect(await b.getByTestId('void-banner').textContent()).toContain('拒签');
    expect(await b.getByTestId('void-note').textContent()).toContain('价格条款与报价单不一致');
    expect(await b.locator(`[data-testid="participant-row"][data-status="refused"]`).getByTestId('participant-refused').textContent()).toContain('价格条款与报价单不一致');
    await b.getByTestId('refuse-button').waitFor({ state: 'detached' });
    await b.getByTestId('sign-button').waitFor({ state: 'detached' });
    await screenshot(b, 'lists-02-refused');

    // The initiator finds it in 已作废 with the reason; the reason filter keeps it.
    const a = sa.page;
    await openBox(a, 'voided');
    await eventually(() => shownIds(a)).toEqual([ids.refuse]);
    expect(await row(a, ids.refuse).getByTestId('contract-status').getAttribute('data-void-reason')).toBe('refused');
    expect(await row(a, ids.refuse).getByTestId('contract-status').textContent()).toBe('已作废（拒签）');
    await a.getByTestId('list-status').click();
    await a.getByTestId('list-status-revoked').click();
    await a.getByTestId('contract-list-empty').waitFor();
    await a.getByTestId('list-status').click();
    await a.getByTestId('list-status-refused').click();
    await eventually(() => shownIds(a)).toEqual([ids.refuse]);
    await a.getByTestId('list-reset').click();
  });

  it('the initiator revokes with a reason: 已作废（撤销）; signer B no longer has it to sign', async () => {
    const a = sa.page;
    await openContract(a, ids.revoke);
    // The initiator is no participant here: no 签署 / 拒签, but 撤销 and 催办.
    await a.getByTestId('revoke-button').waitFor();
    expect(await a.getByTestId('sign-button').count()).toBe(0);
    // The 撤销 is carried out, but its answer is 503 UPDATE_STILL_RUNNING (accepted, not finished within the request's
    // wait): the page says 处理中 (no error) and asks again after Retry-After with the same Idempotency-Key.
    const keys: (string | undefined)[] = [];
    const isRevoke = (url: URL) => url.pathname === `/api/contracts/${ids.revoke}/revoke`;
    await a.route(
      isRevoke,
      async (route) => {
        keys.push(route.request().headers()['idempotency-key']);
        if (keys.length > 1) return route.fallback();
        await route.fetch();
        const error = { code: 'UPDATE_STILL_RUNNING', message: '请求已受理，仍在处理中，请稍后刷新查看', messageEn: 'Accepted and still being processed; refresh shortly' };
        return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: JSON.stringify({ error }) });
      },
    );
    await a.getByTestId('revoke-button').click();
    const dialog = a.getByTestId('reject-dialog');
    await dialog.getByTestId('reject-reason').fill('合同条款需重新拟定');
    await dialog.getByTestId('reject-confirm').click();
    await a.locator('[data-testid="decision-pending"], [data-testid="reject-dialog"] [data-testid="error-message"]').first().waitFor();
    expect(await dialog.getByTestId('error-message').count()).toBe(0);
    expect(await a.getByTestId('decision-pending').textContent()).toContain('仍在处理中');
    await dialog.waitFor({ state: 'detached' });
    await a.locator('[data-testid="void-banner"][data-void-reason="revoked"]').waitFor();
    await a.getByTestId('decision-pending').waitFor({ state: 'detached' });
    await a.unroute(isRevoke);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,100}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await a.getByTestId('void-note').textContent()).toContain('合同条款需重新拟定');
    await a.getByTestId('revoke-button').waitFor({ state: 'detached' });

    const b = sb.page;
    await openBox(b, 'todo');
    await eventually(() => shownIds(b)).toEqual([ids.urge]);
    await openBox(b, 'voided');
    await eventually(() => shownIds(b)).toEqual([ids.revoke, ids.refuse]);
    expect(await row(b, ids.revoke).getByTestId('contract-status').getAttribute('data-void-reason')).toBe('revoked');
  });

  it('the initiator urges the pending signers; a second 催办 at once is refused by the rate limit', async () => {
    const a = sa.page;
    await openContract(a, ids.urge);
    await a.getByTestId('urge-button').click();
    const dialog = a.getByTestId('urge-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('urge-participant').count()).toBe(2);
    await dialog.getByTestId('urge-confirm').click();
    const urged = await dialog.getByTestId('urge-urged').textContent();
    expect(urged).toContain(signerB.name);
    expect(urged).toContain(signerC.name);
    await dialog.getByTestId('urge-close').click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => a.getByTestId('participant-urged').count()).toBe(2);

    await a.getByTestId('urge-button').click();
    await dialog.getByTestId('urge-confirm').click();
    await eventually(() => dialog.getByTestId('urge-skipped').count()).toBe(2);
    expect(await dialog.getByTestId('urge-urged').count()).toBe(0);
    await screenshot(a, 'lists-03-urge-rate-limited', { fullPage: false });
    await dialog.getByTestId('urge-close').click();
  });

  it('批量下载: three selected contracts arrive as one zip with three PDFs', async () => {
    const a = sa.page;
    await openBox(a, 'waiting');
    await eventually(() => shownIds(a)).toEqual([ids.plain, ids.cc, ids.urge]);
    for (const id of [ids.plain, ids.cc, ids.urge]) await row(a, id).getByTestId('row-select').check();
    expect(await a.getByTestId('bulk-count').getAttribute('data-count')).toBe('3');
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('bulk-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const zipPath = path.join(tmpDir, 'contracts.zip');
    await download.saveAs(zipPath);
    const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(3);
    expect(names.every((n) => n.endsWith('.pdf'))).toBe(true);
    for (const title of [T.plain, T.cc, T.urge]) expect(names.some((n) => n.includes(title))).toBe(true);
    for (const name of names) expect(execFileSync('unzip', ['-p', zipPath, name]).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Batch 催办 from the list: ids.urge was urged a moment ago (skipped), the others are reminded.
    await a.getByTestId('bulk-urge').click();
    const results = a.getByTestId('urge-results');
    await results.waitFor();
    await eventually(() => results.getByTestId('urge-result').count()).toBe(3);
    expect(await results.locator(`[data-id="${ids.urge}"]`).getAttribute('data-urged')).toBe('0');
    expect(await results.locator(`[data-id="${ids.plain}"]`).getAttribute('data-urged')).toBe('1');
    await results.getByTestId('urge-results-close').click();
  });

  it('the CC recipient sees the contract read-only', async () => {
    const d = sd.page;
    await openContract(d, ids.cc);
    await d.getByTestId('cc-hint').waitFor();
    expect(await d.getByTestId('cc-chip').allTextContents()).toEqual([maskMobile(ccUser.mobile)]); // a CC is shown by the masked number, not by name
    for (const action of ['sign-button', 'refuse-button', 'revoke-button', 'urge-button']) expect(await d.getByTestId(action).count()).toBe(0);
    await d.getByTestId('download-link').waitFor();
  });

  it('signer B signs for their participant with an SMS code; the parallel step waits for C', async () => {
    const b = sb.page;
    await openContract(b, ids.urge);
    await b.getByTestId('sign-button').click();
    const dialog = b.getByTestId('sign-dialog');
    await dialog.getByTestId('sms-send').click();
    await dialog.getByTestId('sms-sent-to').waitFor();
    await dialog.getByTestId('sms-code-input').fill(await latestSmsCode(platform.services, signerB.mobile));
    await dialog.getByTestId('sign-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    const mine = b.locator(`[data-testid="participant-row"][data-kind="person"]`).filter({ hasText: signerB.name });
    await mine.locator('[data-testid="participant-status"][data-status="signed"]').waitFor();
    await mine.getByTestId('participant-signed').waitFor();
    expect(await b.getByTestId('contract-status').first().getAttribute('data-status')).toBe('in_progress');
    await b.getByTestId('sign-button').waitFor({ state: 'detached' });
    await eventually(() => b.locator('[data-testid="mark-box"][data-applied="true"]').count()).toBe(1);
    await screenshot(b, 'lists-06-signed-one-of-two');
  });

  it('phone width: the boxes and the contract page fit without sideways scrolling', async () => {
    const phone = await newUserSession(browser, platform.baseUrl);
    try {
      const { page } = phone;
      await page.setViewportSize({ width: 390, height: 844 });
      await signInThroughApi(page, { mobile: signerC.mobile, password: TEST_PASSWORD }, '/contracts/todo');
      await page.getByTestId('contract-list-todo').waitFor();
      await eventually(() => shownIds(page)).toEqual([ids.plain, ids.cc, ids.urge]);
      expect(await overflowsX(page)).toBe(false);
      // Rows stack: the title is visible without scrolling sideways.
      const box = await row(page, ids.urge).getByTestId('contract-row-title').boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      await screenshot(page, 'lists-04-phone-todo');

      await row(page, ids.urge).getByTestId('contract-row-title').click();
      await page.locator(`[data-testid="contract-show"][data-contract-id="${ids.urge}"]`).waitFor();
      await page.getByTestId('sign-button').waitFor();
      await page.getByTestId('participant-row').first().waitFor();
      expect(await overflowsX(page)).toBe(false);
      await screenshot(page, 'lists-05-phone-contract');
    } finally {
      await phone.context.close();
    }
  });
});
