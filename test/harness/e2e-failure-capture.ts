/**
 * Vitest setup file of the e2e project: when a test fails, every open page is captured (screenshot
 * and alerts, test/harness/browser.ts `captureOpenPages`) before the file's hooks close them.
 */
import { beforeEach } from 'vitest';
import { captureOpenPages } from './browser';

beforeEach((context) => {
  context.onTestFailed(() => captureOpenPages(context.task.name));
});
