/**
 * What one person may start (发起合同, from an upload or a template): each start stores a document of up
 * to MAX_UPLOAD_BYTES for as long as the contract is kept and sends SMS notices to its signers, so an
 * account (or a stolen session) starting in a loop would fill the disk and spend the SMS budget.
 * - CONTRACT_START_RULE: starts per initiator in 10 minutes — far above a person at the wizard, and a
 *   template generation starts one contract per request too;
 * - CONTRACT_UPLOAD_RULE: kibibytes of contract documents per initiator in a day.
 * Counted before the document is inspected ("count, then check": an upload that fails inspection counts
 * too), atomically (attempt-throttle.ts), so parallel requests cannot pass the limit together. A
 * retried request with the same Idempotency-Key returns its contract before this (nothing counted).
 */
import type { EntityManager } from '@mikro-orm/core';
import { takeAttemptOrRefuse, type ThrottleRule } from '../identity/attempt-throttle';

export const CONTRACT_START_RULE: ThrottleRule = { max: 100, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };

/** 1 GiB a day, counted in KiB; once over it, locked for a day (a lock that ran out starts a new window: a shorter one would grant a new GiB). */
export const CONTRACT_UPLOAD_RULE: ThrottleRule = { max: 1024 * 1024, windowMs: 24 * 3_600_000, lockMs: 24 * 3_600_000 };

/** Counts one start of `documentBytes` for `userId`; throws 429 when either limit is used up. */
export async function takeContractStartQuota(em: EntityManager, userId: string, documentBytes: number, now = new Date()): Promise<void> {
  await takeAttemptOrRefuse(em, `contract-start:${userId}`, CONTRACT_START_RULE, { code: 'CONTRACT_START_RATE_LIMITED', message: '发起合同过于频繁，请稍后再试', messageEn: 'Too many contracts started; try again later' }, now);
  const kib = Math.max(1, Math.ceil(documentBytes / 1024));
  await takeAttemptOrRefuse(
    em,
    `contract-upload-kib:${userId}`,
    CONTRACT_UPLOAD_RULE,
    { code: 'CONTRACT_UPLOAD_QUOTA_EXCEEDED', message: '今日上传的合同文件已超过 1 GB，请稍后再试', messageEn: 'Contract documents uploaded today exceed 1 GB; try again later' },
    now,
    kib,
  );
}
