/**
 * 个人资料 → 修改密码 with a forgotten password: the user switches to the SMS code, gets a code to their own number,
 * sets a new password; the new one logs in, the old one no longer does. A refused send (429) counts its Retry-After down.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newUserSession, releaseBrowser, signInThroughApi, UI_TIMEOUT_MS } from '../harness/browser';
import { createUser, latestSmsCode, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
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

describe('修改密码 without the current password', () => {
  it('switches to an SMS code, sends it to the own number, and sets the new password', async () => {
    const user = await createUser(platform.services, '忘记密码用户');
    const { page } = await newUserSession(browser, platform.baseUrl);
    await signInThroughApi(page, { mobile: user.mobile, password: TEST_PASSWORD }, '/');
    await page.getByTestId('menu-profile').click();
    await page.getByTestId('password-mode').click();
    // The first send is refused as too frequent: the message, and 获取验证码 waits out the Retry-After.
    const send = page.getByTestId('password-code-send');
    await page.route('**/api/me/password/code', (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '2' }, body: JSON.stringify({ error: { code: 'SMS_RATE_LIMITED', message: '验证码发送过于频繁，请稍后再试', messageEn: 'Too many codes' } }) }),
    );
    await send.click();
    await page.getByText('验证码发送过于频繁，请稍后再试').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(Number(await send.getAttribute('data-countdown'))).toBeGreaterThan(0);
    expect(await send.isDisabled()).toBe(true);
    await page.unroute('**/api/me/password/code');
    await expect.poll(() => send.isEnabled(), { timeout: 5_000 }).toBe(true);
    await send.click();
    await page.getByText(/验证码已发送至 1\d\d\*\*\*\*\d{4}/).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('password-code').fill(await latestSmsCode(platform.services, user.mobile));
    await page.getByTestId('password-new').fill('Forgot#Pass3');
    await page.getByTestId('password-new2').fill('Forgot#Pass3');
    await page.getByTestId('password-submit').click();
    await page.getByText('密码已修改，其他设备上的登录已退出').waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: user.mobile, password: 'Forgot#Pass3' })).status).toBe(200);
    expect((await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: user.mobile, password: TEST_PASSWORD })).status).toBe(401);
  });
});
