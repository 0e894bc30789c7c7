/**
 * Both built UIs honour the user's "reduce motion" setting (prefers-reduced-motion): no transitions
 * and no animations (spinners, ripples, fades), and keep them for everybody else. The e2e contexts
 * ask for reduced motion (test/harness/browser.ts USER_CONTEXT), which also spares Chromium's
 * software renderer from redrawing animations all along.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, releaseBrowser } from '../harness/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await releaseBrowser(browser);
});

/** The app's page without its scripts (the rule is in its <head>), plus a spinning probe element. */
function builtPage(app: 'portal-ui' | 'admin-ui'): string {
  const file = path.resolve('dist', app, 'index.html');
  if (!fs.existsSync(file)) throw new Error('the UIs are not built: run `npm run build:ui` first');
  const html = fs.readFileSync(file, 'utf8').replace(/<script\b[\s\S]*?<\/script>/g, '');
  return html.replace(
    '</body>',
    '<style>@keyframes spin { to { transform: rotate(360deg); } } #probe { animation: spin 1s linear infinite; transition: opacity 300ms; }</style><div id="probe"></div></body>',
  );
}

describe('reduced motion', () => {
  for (const app of ['portal-ui', 'admin-ui'] as const) {
    it(`${app}: no animation or transition when the user asks for less motion; unchanged otherwise`, async () => {
      for (const [reducedMotion, expected] of [
        ['reduce', { animationName: 'none', transitionProperty: 'none' }],
        ['no-preference', { animationName: 'spin', transitionProperty: 'opacity' }],
      ] as const) {
        const context = await browser.newContext({ reducedMotion });
        const page = await context.newPage();
        await page.setContent(builtPage(app));
        const style = await page.locator('#probe').evaluate((el) => {
          const s = getComputedStyle(el);
          return { animationName: s.animationName, transitionProperty: s.transitionProperty };
        });
        expect(style, reducedMotion).toEqual(expected);
        await context.close();
      }
    });
  }
});
