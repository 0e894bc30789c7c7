/**
 * Signing up through the portal as a user does: /register with an SMS code, then 实名认证
 * (name + 居民身份证号) left 认证中 for the operator's review. Also the SMS outbox probe the flows
 * read codes and links from.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { UserSchema } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import type { Services } from '../../bootstrap/services';
import { TEST_PASSWORD } from './fixtures';

/** A user who signs up through /register; `id` is filled in once registered. */
export interface Registrant {
  name: string;
  mobile: string;
  idNumber: string;
  id: string;
}

/** 居民身份证号 from its first 17 digits, with the ISO 7064 MOD 11-2 check character. */
export function idNumberFrom(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11]!;
}

let idSequence = Math.floor(Math.random() * 1000);
/**
 * A valid 居民身份证号 no other test of the run uses: one verified account per ID number, and the integration files
 * share one database per run (a fixed number approved in one file is refused in the next).
 */
export function uniqueIdNumber(): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 18_000) * 86_400_000);
  return idNumberFrom(`110105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(idSequence++ % 1000).padStart(3, '0')}`);
}

/** Polls a value until it matches (Playwright-style auto-waiting, no sleeps). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

/**
 * Runs `action` and returns the first SMS to `mobile` that was not in the outbox before it and
 * matches `pattern` (its first capture group), e.g. a 6-digit code sent by a workflow activity.
 */
export async function smsSentBy(services: Services, mobile: string, action: () => Promise<void>, pattern = /(?<!\d)(\d{6})(?!\d)/): Promise<string> {
  const em = () => services.orm.em.fork();
  const before = new Set((await em().find(SmsOutboxMessageSchema, { mobile })).map((m) => m.id));
  await action();
  let found = '';
  await eventually(async () => {
    const fresh = (await em().find(SmsOutboxMessageSchema, { mobile }, { orderBy: { createdAt: 'desc' } })).filter((m) => !before.has(m.id));
    found = fresh.map((m) => pattern.exec(m.content)?.[1]).find((v) => v !== undefined) ?? '';
    return found;
  }).not.toBe('');
  return found;
}

/** The 6-digit code of the first new SMS to `mobile` after `action`. */
export const codeSentBy = (services: Services, mobile: string, action: () => Promise<void>) => smsSentBy(services, mobile, action);

/**
 * /register → 获取验证码 → fills the form (`beforeSubmit` e.g. takes a screenshot) → 注册 → lands on
 * 实名认证 → submits 姓名 + 身份证号 → 认证中 (the operator reviews it).
 */
export async function registerAndSubmitRealName(page: Page, services: Services, user: Registrant, options: { path?: string; beforeSubmit?: () => Promise<void> } = {}) {
  const withStatus = (testId: string, status: string) => page.locator(`[data-testid="${testId}"][data-status="${status}"]`);
  await page.goto(options.path ?? '/register');
  await page.getByTestId('register-mobile').fill(user.mobile);
  const code = await codeSentBy(services, user.mobile, () => page.getByTestId('register-send-code').click());
  await eventually(() => page.getByTestId('register-send-code').getAttribute('data-countdown')).not.toBe('0');
  await page.getByTestId('register-code').fill(code);
  await page.getByTestId('register-name').fill(user.name);
  await page.getByTestId('register-password').fill(TEST_PASSWORD);
  await page.getByTestId('register-password2').fill(TEST_PASSWORD);
  await options.beforeSubmit?.();
  await page.getByTestId('register-submit').click();

  // Registered and logged in: straight to 实名认证, not yet verified.
  await page.getByTestId('realname-page').waitFor();
  expect(new URL(page.url()).pathname).toBe('/real-name');
  await withStatus('realname-status', 'unverified').waitFor();
  const registered = await services.orm.em.fork().findOneOrFail(UserSchema, { mobile: user.mobile });
  expect(registered.name).toBe(user.name);
  user.id = registered.id;

  await page.getByTestId('realname-name').fill(user.name);
  await page.getByTestId('realname-id').fill(user.idNumber);
  await page.getByTestId('realname-submit').click();
  const status = withStatus('realname-status', 'pending');
  await status.waitFor();
  expect(await status.textContent()).toBe('认证中');
  expect(await page.getByTestId('realname-pending').textContent()).toContain(user.name);
  await eventually(() => page.getByTestId('realname-form').count()).toBe(0);
}
