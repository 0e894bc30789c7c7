/**
 * Notices by SMS (待签署, 催办, contract invitations) go to numbers that other users choose. Without a
 * bound, one account starting or urging many contracts could make the platform send any number of
 * messages to a victim's phone, carrying the attacker's contract title. So every number gets at most
 * `NOTICE_SMS_RULE.max` notices per day, whoever causes them: a counter taken atomically in the
 * sender's transaction (attempt-throttle.ts, key `notice-sms:<mobile>`). Past it the SMS is skipped —
 * a registered user's 站内消息 is still written — and the skip is logged. Verification codes have their
 * own budgets (verification-codes.ts). Titles are shortened in SMS text (`smsTitle`).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsMessage, SmsSender } from '../../integrations/sms';
import { takeAttempt, type ThrottleRule } from '../identity/attempt-throttle';
import { maskMobile } from '../identity/masking';

const DAY_MS = 24 * 3600_000;

/** 20 notices per number per day; the 21st pauses notices to the number for a day. */
export const NOTICE_SMS_RULE: ThrottleRule = { max: 20, windowMs: DAY_MS, lockMs: DAY_MS };

/** A contract title as SMS text carries it: at most this many characters. */
export const SMS_TITLE_MAX = 20;

export const smsTitle = (title: string) => {
  const chars = [...title];
  return chars.length > SMS_TITLE_MAX ? `${chars.slice(0, SMS_TITLE_MAX).join('')}…` : title;
};

/** Sends a notice SMS within the number's daily budget; false when the budget is spent (nothing sent). */
export async function sendNoticeSms(em: EntityManager, sms: SmsSender, message: SmsMessage, now = new Date()): Promise<boolean> {
  const ticket = await takeAttempt(em, `notice-sms:${message.mobile}`, NOTICE_SMS_RULE, now);
  if (!ticket.allowed) {
    console.warn(`[sms] ${message.purpose} to ${maskMobile(message.mobile)} skipped: the number's daily notice budget (${NOTICE_SMS_RULE.max}) is spent`);
    return false;
  }
  await sms.send(message);
  return true;
}
