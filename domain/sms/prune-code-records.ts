/**
 * Housekeeping of SMS code records (run by the reconcile Schedule with the other pruning): a code's hash is needed
 * while the code may still be checked, not for ever. Removed: sent codes (sms_challenges) and submitted codes
 * (code_submissions, 转让管理员) long after any window that reads them (a code lives 5 minutes; the sending
 * budgets and login throttles look back an hour; a transfer's submissions are read while it runs). A 意愿认证
 * confirmation stays (it is the evidence of a signature) but forgets its code's hash once the request it answers
 * can no longer be repeated (CONFIRMATION_REUSE_MS).
 */
import type { EntityManager } from '@mikro-orm/core';
import { CONFIRMATION_REUSE_MS } from '../contracts/confirm-willingness';
import { WillingnessConfirmationSchema } from '../contracts/willingness-confirmation.entity';
import { CodeSubmissionSchema } from '../enterprises/admin-change.entities';
import { SmsChallengeSchema } from './sms.entities';

/** Sent codes older than this are removed. */
export const SMS_CHALLENGE_RETENTION_MS = 2 * 86_400_000;
/** Submitted codes older than this are removed (longer than a transfer runs). */
export const CODE_SUBMISSION_RETENTION_MS = 7 * 86_400_000;
/** A confirmation's code hash is forgotten this long after it was confirmed. */
export const CONFIRMATION_CODE_HASH_RETENTION_MS = 86_400_000;

export interface CodeRecordsPruneReport {
  smsChallenges: number;
  codeSubmissions: number;
  confirmationCodeHashes: number;
}

export async function pruneCodeRecords(em: EntityManager, now = new Date()): Promise<CodeRecordsPruneReport> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    smsChallenges: await em.nativeDelete(SmsChallengeSchema, { createdAt: { $lt: before(SMS_CHALLENGE_RETENTION_MS) } }),
    codeSubmissions: await em.nativeDelete(CodeSubmissionSchema, { createdAt: { $lt: before(CODE_SUBMISSION_RETENTION_MS) } }),
    confirmationCodeHashes: await em.nativeUpdate(WillingnessConfirmationSchema, { codeHash: { $ne: null }, confirmedAt: { $lt: before(Math.max(CONFIRMATION_CODE_HASH_RETENTION_MS, CONFIRMATION_REUSE_MS)) } }, { codeHash: null }),
  };
}
