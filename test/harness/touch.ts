/**
 * A phone in the e2e suite: a 390×844 browser context with touch, and finger gestures sent as
 * real touch events (Chrome DevTools Protocol `Input.dispatchTouchEvent`), which Chromium turns
 * into pointer events of pointerType 'touch' — what a phone delivers to the portal.
 */
import type { Browser, Page } from 'playwright-core';
import { signInThroughApi, UI_TIMEOUT_MS, USER_CONTEXT, watchContext, type UserSession } from './browser';
import type { Point } from './placement';

export const PHONE_VIEWPORT = { width: 390, height: 844 };

/** A signed-in phone session on a blank page: the test's first step opens the page it is about. */
export async function newPhoneSession(browser: Browser, baseUrl: string, credentials: { mobile: string; password: string }): Promise<UserSession> {
  const context = await browser.newContext({
    ...USER_CONTEXT,
    baseURL: baseUrl,
    acceptDownloads: true,
    viewport: PHONE_VIEWPORT,
    hasTouch: true,
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  watchContext(context);
  const page = await context.newPage();
  await signInThroughApi(page, credentials);
  return { context, page };
}

/** A finger pressed at `from`, moved in steps to `to`, lifted (touchstart → touchmove… → touchend). */
export async function touchDrag(page: Page, from: Point, to: Point, steps = 12): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const at = (p: Point) => [{ x: Math.round(p.x), y: Math.round(p.y), id: 1, radiusX: 4, radiusY: 4, force: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) });
    for (let i = 1; i <= steps; i++) {
      const p = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
}

/** True if the page scrolls sideways (content wider than the window). */
export const overflowsX = (page: Page): Promise<boolean> => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
