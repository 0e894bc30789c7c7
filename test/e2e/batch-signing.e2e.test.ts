/**
 * 批量签署 (M30) in Chromium against the real platform (API + worker + Temporal dev server, the
 * run's database, the built portal from dist/): in 待我签署 the signer selects six contracts, five
 * with preset positions and one where they place their own marks; the 批量签署 dialog lists five
 * eligible and the sixth as not eligible with why; ONE SMS code signs the five, each contract's
 * progress is shown; pdfsig finds one valid signature by the signer in each result. The same on a
 * 390×844 phone with touch (taps, full-screen dialog, no sideways scrolling). On the PC the submission's answer is a
 * 503 after the code was spent (the batch's start met Temporal unavailable) and the first progress poll fails too:
 * the dialog goes on to the progress all the same, may be closed while the error shows, and polling goes on.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ARTIFACTS_DIR, launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { newPhoneSession, overflowsX } from '../harness/touch';

type TestUser = { id: string; name: string; mobile: string };
type Device = 'pc' | 'phone';

let platform: TestPlatform;
let browser: Browser;
let initiator: UserSession;
let pdf: Uint8Array;
const RUN = Date.now().toString(36).slice(-5);

beforeAll(async () => {
  if (!fs.existsSync('dist/portal-ui/index.html')) throw new Error('the UIs are not built: run `npm run build:ui` first');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  const owner = await createUser(platform.services, '冯发起');
  initiator = await newUserSession(browser, platform.baseUrl);
  await signInThroughApi(initiator.page, { mobile: owner.mobile, password: TEST_PASSWORD }, '/');
  pdf = await makePdf(1);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout, interval: 250 });

/** POST /api/contracts from the initiator's session: one person participant, preset 人名章 or free placement. */
async function startContract(title: string, signer: TestUser, free = false): Promise<string> {
  const participant = free
    ? { step: 1, kind: 'person', mobile: signer.mobile, name: signer.name, placement: 'free', marks: [] }
    : { step: 1, kind: 'person', mobile: signer.mobile, name: signer.name, placement: 'preset', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] };
  const spec = { title, actAs: 'person', participants: [participant] };
  const res = await initiator.page.request.post('/api/contracts', {
    multipart: { file: { name: `${title}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(pdf) }, spec: JSON.stringify(spec) },
  });
  const body = (await res.json()) as { id?: string };
  if (res.status() !== 201 || !body.id) throw new Error(`POST /api/contracts → ${res.status()}: ${JSON.stringify(body)}`);
  await eventually(async () => (await em().findOne(ContractSchema, { id: body.id! }))?.status, 20_000).toBe('in_progress');
  return body.id;
}

const BATCH_UNAVAILABLE = {
  code: 'TEMPORAL_UNAVAILABLE',
  message: '批量签署已提交，签署服务暂时不可用，恢复后将自动开始签署，请稍候查看进度',
  messageEn: 'The batch was submitted; the signing service is temporarily unavailable and signing starts once it is back. Check the progress shortly',
};
const POLL_UNAVAILABLE = { code: 'TEMPORAL_UNAVAILABLE', message: '服务暂时不可用，请稍后重试', messageEn: 'The service is temporarily unavailable; retry shortly' };

/**
 * The submission goes through (the code is spent, the batch starts) but the browser gets the 503 of a start that met
 * Temporal unavailable; the first progress poll answers 503 too, and the next ones wait until `releasePolls`.
 */
async function failSubmissionAndFirstPoll(page: Page) {
  let submissions = 0;
  let submittedStatus = 0;
  let polls = 0;
  let releasePolls!: () => void;
  const released = new Promise<void>((resolve) => (releasePolls = resolve));
  const unavailable = (error: object, retryAfter: string) => ({ status: 503, headers: { 'Retry-After': retryAfter }, contentType: 'application/json', body: JSON.stringify({ error }) });
  await page.route(
    (url) => url.pathname === '/api/contracts/batch-sign',
    async (route) => {
      submissions++;
      submittedStatus = (await route.fetch()).status();
      await route.fulfill(unavailable(BATCH_UNAVAILABLE, '2'));
    },
  );
  await page.route(
    (url) => /^\/api\/contracts\/batch-sign\/[0-9a-f-]{36}$/.test(url.pathname),
    async (route) => {
      if (++polls === 1) return route.fulfill(unavailable(POLL_UNAVAILABLE, '1'));
      await released;
      return route.fallback();
    },
  );
  return { releasePolls, submissions: () => submissions, submittedStatus: () => submittedStatus };
}

const row = (page: Page, id: string) => page.locator(`[data-testid="contract-row"][data-id="${id}"]`);
const press = (device: Device, page: Page, selector: string) => (device === 'phone' ? page.locator(selector).tap() : page.locator(selector).click());

describe.each(['pc', 'phone'] as const)('批量签署 in 待我签署 (%s)', (device) => {
  it('select six → five eligible, one not (with why) → one code → five signed, each with a valid signature', async () => {
    const signer = await createUser(platform.services, device === 'pc' ? '褚批签' : '卫手机');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await startContract(`批量签署-${device}-${RUN}-${i}`, signer));
    const freeId = await startContract(`自由签章-${device}-${RUN}`, signer, true);

    const session = device === 'phone' ? await newPhoneSession(browser, platform.baseUrl, { mobile: signer.mobile, password: TEST_PASSWORD }) : await newUserSession(browser, platform.baseUrl);
    try {
      const { page } = session;
      if (device === 'pc') await signInThroughApi(page, { mobile: signer.mobile, password: TEST_PASSWORD });
      await page.goto('/contracts/todo');
      await page.getByTestId('contract-list-todo').waitFor();
      for (const id of [...ids, freeId]) await row(page, id).waitFor();
      for (const id of [...ids, freeId]) await press(device, page, `[data-testid="contract-row"][data-id="${id}"] [data-testid="row-select"]`);
      await eventually(() => page.getByTestId('bulk-count').getAttribute('data-count')).toBe('6');
      if (device === 'phone') expect(await overflowsX(page)).toBe(false);
      await press(device, page, '[data-testid="bulk-batch-sign"]');

      const dialog = page.getByTestId('batch-sign-dialog');
      await dialog.getByTestId('batch-eligible').waitFor();
      await eventually(() => dialog.getByTestId('batch-eligible-item').count()).toBe(5);
      const notEligible = dialog.locator(`[data-testid="batch-not-eligible-item"][data-id="${freeId}"]`);
      expect(await notEligible.getAttribute('data-reason')).toBe('FREE_PLACEMENT');
      expect(await notEligible.textContent()).toContain('自行放置签章');
      if (device === 'phone') {
        // Full screen on the phone: the dialog spans the window, nothing scrolls sideways.
        const paper = (await page.locator('.MuiDialog-paper').boundingBox())!;
        expect(paper.width).toBeGreaterThanOrEqual(389);
        expect(await overflowsX(page)).toBe(false);
      }
      await screenshot(page, `batch-${device}-1-check`, { fullPage: false });

      if (device === 'pc') {
        // A refused send (429 with Retry-After) shows why and counts down: the button waits instead of inviting clicks.
        const refusal = { code: 'SMS_RATE_LIMITED', message: '验证码发送过于频繁，请稍后再试', messageEn: 'Too many codes; try again later' };
        await page.route((url) => url.pathname === '/api/contracts/batch-sign/sms-code', (route) => route.fulfill({ status: 429, headers: { 'Retry-After': '2' }, contentType: 'application/json', body: JSON.stringify({ error: refusal }) }), { times: 1 });
        await press(device, page, '[data-testid="batch-send-code"]');
        await dialog.getByTestId('error-message').waitFor();
        expect(await dialog.getByTestId('error-message').textContent()).toContain('发送过于频繁');
        expect(await dialog.getByTestId('batch-send-code').isDisabled()).toBe(true);
        await eventually(() => dialog.getByTestId('batch-send-code').isEnabled(), 5000).toBe(true);
      }
      await press(device, page, '[data-testid="batch-send-code"]');
      await dialog.getByTestId('batch-code-sent').waitFor();
      const code = await latestSmsCode(platform.services, signer.mobile);
      if (device === 'phone') await dialog.getByTestId('batch-code-input').tap();
      await dialog.getByTestId('batch-code-input').fill(code);
      const failures = device === 'pc' ? await failSubmissionAndFirstPoll(page) : null;
      await press(device, page, '[data-testid="batch-confirm"]');

      const progress = dialog.getByTestId('batch-progress');
      if (failures) {
        // The code is spent and the batch confirmed: the progress shows (not the code step again) with why it waits.
        await dialog.getByTestId('error-message').waitFor();
        expect(await progress.count()).toBe(1);
        expect(await dialog.getByTestId('batch-code-input').count()).toBe(0);
        expect(await dialog.getByTestId('error-message').textContent()).toContain('批量签署已提交');
        // The first poll fails: its message shows, the dialog may be closed meanwhile, and the next poll goes.
        await eventually(() => dialog.getByTestId('error-message').textContent()).toContain('服务暂时不可用，请稍后重试');
        expect(await dialog.getByTestId('batch-close').isEnabled()).toBe(true);
        failures.releasePolls();
        await dialog.getByTestId('error-message').waitFor({ state: 'detached' });
        expect(failures.submissions()).toBe(1);
        expect(failures.submittedStatus()).toBe(202);
      }
      await progress.waitFor();
      await eventually(() => progress.getAttribute('data-status'), 120_000).toBe('done');
      const states = await dialog.getByTestId('batch-progress-item').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-state')]));
      expect(states).toEqual(ids.map((id) => [id, 'signed']));
      expect(await dialog.getByTestId('batch-progress-count').textContent()).toContain('成功 5 份');
      await screenshot(page, `batch-${device}-2-done`, { fullPage: false });
      await press(device, page, '[data-testid="batch-close"]');
      await dialog.waitFor({ state: 'detached' });
      // The signed contracts leave 待我签署; the free-placement one stays.
      await eventually(() => page.getByTestId('contract-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([freeId]);

      for (const id of ids) {
        const signatures = pdfsigSignatures(await currentDocument(platform.services, id));
        expect(signatures).toHaveLength(1);
        expect(signatures[0]).toMatchObject({ valid: true, signer: expect.stringContaining(signer.name) });
      }
    } finally {
      await session.context.close();
    }
  });
});
