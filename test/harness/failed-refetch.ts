/**
 * A page's background read of its record failing: the next GET of one API path answers 503 (the API's error body,
 * Retry-After), and the page reads it again as when the window regains focus (react-query refetches its queries on
 * `visibilitychange`). What a react-admin Show page then does with the failure is the test's to check.
 */
import type { Locator, Page, Route } from 'playwright-core';

export const UNAVAILABLE_ERROR = { code: 'TEMPORAL_UNAVAILABLE', message: '服务暂时不可用，请稍后重试', messageEn: 'The service is temporarily unavailable; retry shortly' };

/** Resolves once the page's refetch of `apiPath` (exact path, GET) was answered 503; later reads go through. */
export async function refetchAnswered503(page: Page, apiPath: string, timeoutMs = 10_000): Promise<void> {
  let answered!: () => void;
  const done = new Promise<void>((resolve) => (answered = resolve));
  let used = false;
  const matches = (url: URL) => url.pathname === apiPath;
  const handler = async (route: Route) => {
    if (used || route.request().method() !== 'GET') return route.fallback();
    used = true;
    await route.fulfill({ status: 503, headers: { 'Retry-After': '5' }, contentType: 'application/json', body: JSON.stringify({ error: UNAVAILABLE_ERROR }) });
    answered();
  };
  await page.route(matches, handler);
  try {
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no refetch of ${apiPath} within ${timeoutMs} ms`)), timeoutMs)));
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await page.unroute(matches, handler);
  }
}

/** The react-admin notification that followed: the server's message, or react-admin's own 数据不存在. */
export const errorNotification = (page: Page): Locator => page.locator('.MuiSnackbarContent-message', { hasText: new RegExp(`${UNAVAILABLE_ERROR.message}|数据不存在`) }).first();
