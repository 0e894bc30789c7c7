/**
 * Browser helpers for the e2e suite: Debian's Chromium driven by playwright-core (one per test
 * process), one isolated context per user (zh-CN, downloads allowed), screenshots under
 * test-artifacts/screenshots/, and signing in through the API or the apps' own login pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ARTIFACTS_DIR = path.resolve('test-artifacts');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Every context is a browser window, and Chromium 15x gives each window two hidden WebUI renderers for the
  // omnibox popup (chrome://omnibox-popup.top-chrome): about 1.5 s of CPU per context on this machine, in a suite
  // that opens ~60 of them per lane. Headless tests never open the omnibox (8 contexts: 18.6 → 4.6 s of CPU).
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];

/** The users' clock: dates typed into and shown by the UIs are in this zone. */
export const BROWSER_TIME_ZONE = 'Asia/Shanghai';

/**
 * What every test user's browser context shares: Chinese UI, the users' clock, and less motion.
 * The UIs honour prefers-reduced-motion (no spinners, ripples or fades: see their index.html), so
 * Chromium's software renderer does not redraw animations all along: about a fifth less Chromium
 * CPU in e2e (contract-lists + enterprise: 80 → 65 s).
 */
export const USER_CONTEXT = { locale: 'zh-CN', timezoneId: BROWSER_TIME_ZONE, reducedMotion: 'reduce' } as const;

/** Default wait for auto-waiting actions and `waitFor` (signing runs a real workflow). */
export const UI_TIMEOUT_MS = 30_000;

/** Browsers this test process launched and has not closed: what `captureOpenPages` looks at. */
const launched = new Set<Browser>();

let shared: Promise<Browser> | undefined;

/**
 * The test process's Chromium, launched by the first file that asks and kept for the next ones (the
 * e2e project runs a lane's files in one process): a launch per file cost about 0.6 s of each file
 * (6 small files: 69.4 → 65.8 s) and 4 s of Chromium CPU in all. A file ends with `releaseBrowser`,
 * which closes the contexts it opened; Chromium ends with the process (its control pipe closes).
 */
export function launchBrowser(): Promise<Browser> {
  shared ??= chromium.launch({ executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS }).then(
    (browser) => {
      launched.add(browser);
      browser.on('disconnected', () => {
        launched.delete(browser);
        shared = undefined;
      });
      return browser;
    },
    (err: unknown) => {
      // A failed launch is not kept: the next file tries again.
      shared = undefined;
      throw err;
    },
  );
  return shared;
}

/** The end of a file's use of the shared Chromium: every context (user session) it opened is closed. */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  if (browser) await Promise.all(browser.contexts().map((context) => context.close()));
}

export const FAILURES_DIR = path.join(ARTIFACTS_DIR, 'failures');

/** Per page, the last things that went wrong in it (uncaught errors, API answers ≥ 400): printed by `captureOpenPages`. */
const pageTroubles = new WeakMap<Page, string[]>();
const TROUBLES_KEPT = 20;

function noteTrouble(page: Page | null, line: string) {
  if (!page) return;
  const list = pageTroubles.get(page) ?? [];
  list.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  pageTroubles.set(page, list.slice(-TROUBLES_KEPT));
}

/** Records a context's uncaught page errors and failed API answers for `captureOpenPages`. */
export function watchContext(context: BrowserContext): void {
  context.on('weberror', (e) => noteTrouble(e.page(), `uncaught: ${e.error().message}`));
  context.on('response', (r) => {
    if (r.status() < 400) return;
    const url = new URL(r.url());
    noteTrouble(r.frame().page(), `${r.request().method()} ${url.pathname} → ${r.status()}`);
  });
}

/**
 * After a failed test (test/harness/e2e-failure-capture.ts): a screenshot of every open page under
 * test-artifacts/failures/, and each page's address, visible alerts and (for watched contexts) its
 * last uncaught errors and failed API answers printed, so that a failure in CI shows what the
 * users saw. Bounded: a page that does not answer is skipped.
 */
export async function captureOpenPages(testName: string): Promise<void> {
  fs.mkdirSync(FAILURES_DIR, { recursive: true });
  const base = testName.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
  const pages = [...launched].flatMap((b) => b.contexts()).flatMap((c) => c.pages());
  for (const [i, page] of pages.entries()) {
    const file = path.join(FAILURES_DIR, `${base}-${i + 1}.png`);
    const capture = async () => {
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      const alerts = await page.locator('[role="alert"]:visible').allInnerTexts();
      const troubles = pageTroubles.get(page) ?? [];
      return [
        `${page.url()} → ${path.relative(process.cwd(), file)}`,
        ...(alerts.length ? [`alerts: ${alerts.map((a) => a.replace(/\s+/g, ' ')).join(' | ')}`] : []),
        ...(troubles.length ? [`went wrong in it: ${troubles.join('; ')}`] : []),
      ].join('; ');
    };
    const line = await Promise.race([capture(), new Promise<string>((resolve) => setTimeout(() => resolve(`${page.url()}: no answer`), 10_000))]).catch((err: unknown) => `${page.url()}: ${String(err)}`);
    console.log(`[failure capture] ${testName}: page ${i + 1}: ${line}`);
  }
}

export interface UserSession {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser context (own cookies and storage) with one page, for one user. */
export async function newUserSession(browser: Browser, baseUrl: string): Promise<UserSession> {
  const context = await browser.newContext({
    ...USER_CONTEXT,
    baseURL: baseUrl,
    acceptDownloads: true,
    viewport: { width: 1366, height: 900 },
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  watchContext(context);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Saves a screenshot as test-artifacts/screenshots/<name>.png and returns its path. Full page
 * unless told otherwise (use the viewport for open dialogs: their backdrop covers only it).
 * `settle` fast-forwards CSS transitions (focus underlines, menus fading in) to their end state.
 */
export async function screenshot(page: Page, name: string, { fullPage = true, settle = false }: { fullPage?: boolean; settle?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage, ...(settle ? { animations: 'disabled' as const } : {}) });
  return file;
}

/**
 * Scrolls `target` into view as a click does, lets the page settle (two frames: the scroll event and
 * what it re-renders, e.g. the app bar, which hides on the way down and returns on the way up), and
 * says what covers the centre of `target` then, or null when nothing does (a click would reach it).
 */
export async function coveringElement(target: Locator): Promise<string | null> {
  await target.scrollIntoViewIfNeeded();
  await target.page().evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const at = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (!at || el.contains(at)) return null;
    return `<${at.tagName.toLowerCase()}>${at.closest('header') ? ' in the app bar' : ''} at y ${Math.round(box.y)}…${Math.round(box.bottom)} (scrollY ${Math.round(window.scrollY)})`;
  });
}

/** Waits for a dialog to close; still open after `timeout`, the error says what it shows (an error message, 正在处理). */
export async function waitForDialogToClose(dialog: Locator, timeout: number): Promise<void> {
  await dialog.waitFor({ state: 'detached', timeout }).catch(async (err: unknown) => {
    throw new Error(`the dialog is still open after ${timeout / 1000} s, showing: ${await dialog.innerText().catch(() => '?')}`, { cause: err });
  });
}

/**
 * Waits until Chromium's built-in PDF viewer (an extension frame inside the page's <object>)
 * has loaded a document of `pageCount` pages and drawn its thumbnails, so that screenshots
 * show the document rather than an empty viewer.
 */
export async function waitForPdfViewer(page: Page, pageCount: number, timeout = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const viewer = page.frames().find((f) => !f.isDetached() && f.url().startsWith('chrome-extension://'));
    if (viewer) {
      try {
        const left = Math.max(1, deadline - Date.now());
        await viewer.locator('#pagelength').filter({ hasText: new RegExp(`^\\s*${pageCount}\\s*$`) }).waitFor({ timeout: left });
        await viewer.locator('viewer-thumbnail canvas').nth(pageCount - 1).waitFor({ timeout: Math.max(1, deadline - Date.now()) });
        return;
      } catch (e) {
        // The viewer was replaced (a new document version): look again unless time is up.
        if (!viewer.isDetached() || Date.now() >= deadline) throw e;
      }
    }
    if (Date.now() >= deadline) throw new Error('the PDF viewer did not show the document');
    await page.waitForTimeout(100);
  }
}

/**
 * Signs in as the login page does (POST /api/auth/login; the session cookie lands in the page's
 * context), then opens `path` when given; without it the page stays where it is, for a test whose next
 * step opens a page itself. For tests whose subject is not the login page: it saves loading the login
 * page and the home page after it (about 0.9 s a login). `loginThroughUi` keeps the login page itself
 * covered (signing, enterprise; security-headers, whose CSP check includes the login page).
 */
export async function signInThroughApi(page: Page, credentials: { mobile: string; password: string }, path?: string) {
  const answer = await page.request.post('/api/auth/login', { data: { mobile: credentials.mobile, password: credentials.password } });
  if (!answer.ok()) throw new Error(`login of ${credentials.mobile} failed: ${answer.status()} ${await answer.text()}`);
  if (path !== undefined) await page.goto(path);
}

/**
 * Logs in through the login page of the portal (`/login`) or the admin console
 * (`/admin/login`) and waits until the app's layout is shown.
 */
export async function loginThroughUi(page: Page, credentials: { mobile: string; password: string }, app: 'portal' | 'admin' = 'portal') {
  await page.goto(app === 'admin' ? '/admin/login' : '/login');
  await page.getByTestId('login-mobile').fill(credentials.mobile);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
  // Either the layout appears (logged in) or the page reports why not.
  await page.getByTestId('app-name').or(page.getByTestId('login-error')).first().waitFor();
  if (await page.getByTestId('login-error').isVisible()) {
    throw new Error(`login of ${credentials.mobile} failed: ${await page.getByTestId('login-error').textContent()}`);
  }
}
