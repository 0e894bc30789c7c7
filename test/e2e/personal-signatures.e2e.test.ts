/**
 * 个人签章 in Chromium: the PC page shows a QR code for a one-time link; a second, phone-sized
 * browser context (390×844, touch) opens the link without logging in, draws with touch events on
 * the signature_pad canvas and submits; the PC page shows the new signature by itself (no
 * reload) within a few seconds; it is then made the default. Screenshots in test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, USER_CONTEXT } from '../harness/browser';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
});
afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

/** Draws a zig-zag stroke with real touch events (touchstart → touchmove… → touchend) on the element. */
async function drawWithTouch(page: Page, selector: string) {
  const box = (await page.locator(selector).boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  for (const stroke of [
    [0.15, 0.6, 0.3, 0.3, 0.45, 0.65, 0.6, 0.3, 0.8, 0.55],
    [0.25, 0.75, 0.7, 0.75],
  ]) {
    const points = [];
    for (let i = 0; i < stroke.length; i += 2) points.push(at(stroke[i]!, stroke[i + 1]!));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]!] });
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      for (let s = 1; s <= 8; s++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: a.x + ((b.x - a.x) * s) / 8, y: a.y + ((b.y - a.y) * s) / 8 }] });
      }
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

describe('手写签名 captured on a phone via the QR link', () => {
  it('PC shows the QR link, the phone draws and submits, the PC page shows the signature without reload; set it default', async () => {
    const user = await createUser(platform.services, '王小明');
    const pc = await newUserSession(browser, platform.baseUrl);
    await signInThroughApi(pc.page, { mobile: user.mobile, password: TEST_PASSWORD }, '/');
    await pc.page.getByTestId('menu-signatures').click();
    await pc.page.getByTestId('name-seal-card').waitFor();
    expect(await pc.page.getByTestId('name-seal-card').getByTestId('signature-default-chip').isVisible()).toBe(true);
    expect(await pc.page.getByTestId('no-handwritten').isVisible()).toBe(true);

    await pc.page.getByTestId('add-handwritten').click();
    await pc.page.getByTestId('capture-qr').waitFor();
    const link = (await pc.page.getByTestId('capture-link').textContent())!;
    expect(link).toMatch(/\/capture\/[A-Za-z0-9_-]{43}$/);
    expect(await pc.page.getByTestId('capture-countdown').textContent()).toMatch(/二维码 (10:00|9:\d\d) 后失效/);
    // The QR code is drawn in the browser (a data URL), not fetched from anywhere.
    expect(await pc.page.getByTestId('capture-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(pc.page, 'signatures-capture-qr', { fullPage: false, settle: true });

    // The phone: another context, no login, phone viewport with touch.
    const phoneContext = await browser.newContext({
      ...USER_CONTEXT,
      baseURL: platform.baseUrl,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    phoneContext.setDefaultTimeout(UI_TIMEOUT_MS);
    const phone = await phoneContext.newPage();
    await phone.goto(new URL(link).pathname);
    await phone.getByTestId('capture-canvas').waitFor();
    expect(await phone.getByText('**明').count()).toBeGreaterThan(0);
    const canvasBox = (await phone.getByTestId('capture-canvas').boundingBox())!;
    expect(canvasBox.width).toBeGreaterThan(340); // full width on a 390-px phone
    // devicePixelRatio-aware: the backing store is 3× the CSS size.
    expect(await phone.getByTestId('capture-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBe(Math.round(canvasBox.width * 3));
    expect(await phone.getByTestId('capture-submit').isDisabled()).toBe(true);
    await drawWithTouch(phone, '[data-testid="capture-canvas"]');
    await phone.getByTestId('capture-clear').click();
    expect(await phone.getByTestId('capture-submit').isDisabled()).toBe(true);
    await drawWithTouch(phone, '[data-testid="capture-canvas"]');
    await screenshot(phone, 'signatures-phone-drawing', { fullPage: false });
    await phone.getByTestId('capture-submit').click();
    const submittedAt = Date.now();
    await phone.getByTestId('capture-submitted').waitFor();
    expect(await phone.getByTestId('capture-submitted').textContent()).toContain('已提交');

    // The PC page shows it by itself: no reload.
    const card = pc.page.locator('[data-testid^="handwritten-"]');
    await card.first().waitFor({ timeout: 5000 });
    const shownAfterMs = Date.now() - submittedAt;
    expect(shownAfterMs).toBeLessThan(5000);
    // The dialog closes itself once the signature arrived (its exit transition may take a moment).
    await expect.poll(() => pc.page.getByTestId('capture-dialog').count(), { timeout: 5000 }).toBe(0);
    expect(await card.count()).toBe(1);
    const img = card.locator('img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(50);

    await card.getByTestId('signature-set-default').click();
    await card.getByTestId('signature-default-chip').waitFor();
    await expect.poll(() => pc.page.getByTestId('name-seal-card').getByTestId('signature-default-chip').count(), { timeout: 5000 }).toBe(0);
    await screenshot(pc.page, 'signatures-page', { settle: true });
    console.log(`handwritten signature shown on the PC page ${shownAfterMs} ms after the phone submitted`);

    // The link is single use: reopening it on the phone says so.
    await phone.reload();
    await phone.getByTestId('capture-unavailable').waitFor();
    expect(await phone.getByTestId('capture-unavailable').textContent()).toContain('已使用');
    await phoneContext.close();
    await pc.context.close();
  });
});
