import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { decryptSecret, encryptSecret } from '../../integrations/ca/key-encryption';
import type { IdentityVerifier } from '../../integrations/identity/identity-verifier';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { claimContractInvitations } from '../contracts/invitations';
import { AppError, invalid, notFound } from '../errors';
import { conflictOnDuplicate, isConcurrentChange, isUniqueViolation, retryOnDeadlock, updateWhere } from '../persistence/concurrency';
import { takeAttemptOrRefuse, type ThrottleRule } from './attempt-throttle';
import { maskIdNumber } from './masking';
import { RealNameApplicationSchema, type RealNameApplication } from './real-name-application.entity';
import { idNumberHash } from './real-name-id-hash';
import { UserSchema, type User } from './user.entity';
import { isValidChineseIdNumber, personName } from './validators';
import { refuseOwnReview } from '../platform/own-review';

export const realNameSchema = z.object({
  // The seal's rule (documents/seals/person-name.ts): every verified name can be stamped and signed.
  name: personName(),
  idNumber: z.string({ required_error: '请输入身份证号' }).trim().toUpperCase().refine((v) => isValidChineseIdNumber(v), '身份证号不正确（位数、校验码或出生日期有误）'),
});

export const REAL_NAME_LABELS = {
  unverified: { zh: '未认证', en: 'Not verified' },
  pending: { zh: '认证中', en: 'Pending review' },
  verified: { zh: '已认证', en: 'Verified' },
  rejected: { zh: '已驳回', en: 'Rejected' },
} as const;

/**
 * 实名认证 as GET /api/me/real-name answers it (portal-ui imports the type): the user's status with its label, and
 * their latest application (`last`) if any: the name, the masked ID number, why it was rejected, when it was submitted.
 */
export const presentRealNameState = (user: User, last: RealNameApplication | null) => ({
  status: user.realNameStatus,
  statusLabel: REAL_NAME_LABELS[user.realNameStatus].zh,
  statusLabelEn: REAL_NAME_LABELS[user.realNameStatus].en,
  name: last?.name ?? null,
  idNumberMasked: last?.idNumberMasked ?? null,
  rejectReason: last?.status === 'rejected' ? last.rejectReason : null,
  submittedAt: last?.createdAt.toISOString() ?? null,
});
export type RealNameStateView = ReturnType<typeof presentRealNameState>;

const verificationPending = () => new AppError('conflict', 'VERIFICATION_PENDING', '实名认证审核中，请耐心等待', 'Your verification is being reviewed');

/**
 * One verified account per 居民身份证号. The answer says only that the number is verified on another account — never
 * which (no name, mobile or masked mobile): the number's owner needs to know why they are refused and where to turn;
 * anyone else learns no more than "this number has an account here", and only after the identity check passed and
 * within REAL_NAME_SUBMIT_RULE.
 */
const idNumberTaken = () =>
  new AppError('conflict', 'ID_NUMBER_TAKEN', '该身份证号已在其他账号完成实名认证。如非本人操作，请联系平台客服申诉', 'This ID number is already verified on another account. If that was not you, contact platform support');
/** The operator's answer when the number was verified on another account before this application was approved. */
const idNumberTakenOnApproval = () =>
  new AppError('conflict', 'ID_NUMBER_TAKEN', '该身份证号已在其他账号完成实名认证，此申请不能通过，已自动驳回', 'This ID number is already verified on another account; the application cannot be approved and was rejected');
/** The reject reason the applicant then reads (GET /me/real-name). */
const TAKEN_REASON = '该身份证号已在其他账号完成实名认证，如非本人操作请联系平台客服';

/** Submissions that reach the one-account-per-number check, per user (each answer tells whether a number is taken). */
export const REAL_NAME_SUBMIT_RULE: ThrottleRule = { max: 10, windowMs: 24 * 3_600_000, lockMs: 24 * 3_600_000 };

/** The approved application that holds this ID number's hash, if any (at most one: unique live key). */
const liveHolder = (em: EntityManager, hash: string) => em.fork().findOne(RealNameApplicationSchema, { liveKey: hash });

const legacyPasses = new Map<string, Promise<void>>();

/**
 * Lazy back-fill of `idNumberHash` (and the live key of approved rows) on applications written before the column:
 * the migration cannot compute an HMAC over a number only the master key decrypts. Runs once per process and master
 * key (before the first submission or review that needs the rule); each row is written with `… WHERE id_number_hash
 * IS NULL`, so parallel processes do it harmlessly twice. Approved rows are taken oldest decision first: a number
 * verified on two accounts before the rule keeps its live key on the first; the later row keeps only its hash and
 * is reported (warning with the application ids, no ID number) for an operator to look into.
 */
function ensureIdNumberHashes(em: EntityManager, masterKey: string): Promise<void> {
  let pass = legacyPasses.get(masterKey);
  if (!pass) {
    pass = backfillIdNumberHashes(em, masterKey).then(() => undefined, (err: unknown) => {
      legacyPasses.delete(masterKey); // tried again by the next request
      throw err;
    });
    legacyPasses.set(masterKey, pass);
  }
  return pass;
}

/** One pass of the back-fill (ensureIdNumberHashes runs it once per process); answers the ids of rows it could not make live. */
export async function backfillIdNumberHashes(db: EntityManager, masterKey: string): Promise<{ filled: number; notLive: string[] }> {
  const em = db.fork();
  const result = { filled: 0, notLive: [] as string[] };
  const rows = await em.find(RealNameApplicationSchema, { idNumberHash: null }, { orderBy: { reviewedAt: 'asc', createdAt: 'asc', id: 'asc' } });
  const approvedFirst = [...rows.filter((r) => r.status === 'approved'), ...rows.filter((r) => r.status !== 'approved')];
  for (const row of approvedFirst) {
    let hash: string;
    try {
      hash = idNumberHash(decryptSecret(row.idNumberEncrypted, masterKey).toString('utf8'), masterKey);
    } catch (err) {
      console.warn(`[real-name] application ${row.id}: ID number hash not back-filled (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    const live = row.status === 'approved' ? hash : null;
    try {
      result.filled += await updateWhere(em, RealNameApplicationSchema, { id: row.id, idNumberHash: null }, { idNumberHash: hash, liveKey: live });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const holder = await liveHolder(em, hash);
      console.warn(`[real-name] application ${row.id} (user ${row.userId}) was approved for an ID number already verified by application ${holder?.id ?? '?'} (user ${holder?.userId ?? '?'}) before one account per ID number was enforced: operators should look into it`);
      result.filled += await updateWhere(em, RealNameApplicationSchema, { id: row.id, idNumberHash: null }, { idNumberHash: hash });
      result.notLive.push(row.id);
    }
  }
  return result;
}

/** M2 个人实名认证: name + 居民身份证号 + the account's mobile go to the identity verifier. */
export async function submitRealName(em: EntityManager, verifier: IdentityVerifier, masterKey: string, user: User, input: z.infer<typeof realNameSchema>, actor: AuditActor) {
  if (user.realNameStatus === 'verified') throw new AppError('conflict', 'ALREADY_VERIFIED', '您已完成实名认证', 'You are already verified');
  if (user.realNameStatus === 'pending') throw verificationPending();
  const check = await verifier.check({ name: input.name, idNumber: input.idNumber, mobile: user.mobile });
  if (check.outcome === 'mismatch') throw invalid('IDENTITY_MISMATCH', check.reason ?? '身份信息核验不一致', 'The identity details do not match');
  await takeAttemptOrRefuse(em, `real-name:${user.id}`, REAL_NAME_SUBMIT_RULE, { code: 'REAL_NAME_RATE_LIMITED', message: '实名认证提交过于频繁，请明天再试', messageEn: 'Too many verification attempts; try again tomorrow' });
  // One verified account per ID number: refused here when the number is verified already; the unique live key
  // (real-name-application.entity.ts) holds the rule when two accounts are approved at once.
  await ensureIdNumberHashes(em, masterKey);
  const hash = idNumberHash(input.idNumber, masterKey);
  if (await liveHolder(em, hash)) {
    console.warn(`[real-name] submission of user ${user.id} refused: ID number ${maskIdNumber(input.idNumber)} is verified on another account`);
    throw idNumberTaken();
  }
  // One application in review per person: the user's status is claimed (unverified / rejected → pending) in the
  // transaction that writes the application, so of two parallel submissions one is refused (two used to be
  // pending, and approving the second replaced an identity already verified).
  const application = await conflictOnDuplicate(() =>
    em.transactional(async (tx) => {
      const claimed = await updateWhere(tx, UserSchema, { id: user.id, realNameStatus: { $in: ['unverified', 'rejected'] } }, { realNameStatus: 'pending' });
      if (claimed !== 1) throw verificationPending();
      const fresh = await tx.findOneOrFail(UserSchema, { id: user.id }, { refresh: true });
      const created = tx.create(RealNameApplicationSchema, {
        id: randomUUID(),
        userId: user.id,
        name: input.name,
        idNumberEncrypted: encryptSecret(input.idNumber, masterKey),
        idNumberMasked: maskIdNumber(input.idNumber),
        idNumberHash: hash,
        mobile: user.mobile,
        status: 'pending',
        rejectReason: null,
        reviewedBy: null,
        reviewedAt: null,
        createdAt: new Date(),
      });
      recordAudit(tx, actor, { action: 'user.real_name_submitted', targetType: 'real_name', targetId: created.id, detail: { user: user.id, idNumber: created.idNumberMasked } });
      if (check.outcome === 'verified') decide(tx, created, fresh, { approve: true }, actor);
      return created;
    }),
    // Verified at once (a real provider) while the same number was approved on another account: nothing written.
    idNumberTaken,
  );
  await em.refresh(user);
  // Contracts this mobile number was invited to are now the verified user's (M21).
  if (check.outcome === 'verified') await claimContractInvitations(em, user, actor);
  return application;
}

function decide(em: EntityManager, application: RealNameApplication, user: User, decision: { approve: boolean; reason?: string }, actor: AuditActor) {
  application.status = decision.approve ? 'approved' : 'rejected';
  application.rejectReason = decision.approve ? null : (decision.reason ?? null);
  application.reviewedBy = actor.id;
  application.reviewedAt = new Date();
  user.realNameStatus = decision.approve ? 'verified' : 'rejected';
  if (decision.approve) user.name = application.name;
  // Unique: the flush of an approval fails when the number is verified on another account (also set by the entity hook).
  application.liveKey = decision.approve ? application.idNumberHash : null;
  recordAudit(em, actor, {
    action: decision.approve ? 'user.real_name_approved' : 'user.real_name_rejected',
    targetType: 'real_name',
    targetId: application.id,
    detail: { user: user.id, reason: decision.reason ?? null },
  });
}

const SUPERSEDED = '该用户的实名认证已由其他申请决定，此申请不再有效';
const alreadyReviewed = () => new AppError('conflict', 'ALREADY_REVIEWED', '该申请已审核', 'This application was already reviewed');

/**
 * Platform operator review (embedded verifier: checksum + operator review). In one transaction
 * that first claims the application with `UPDATE … WHERE status = 'pending'`: of two operators
 * deciding at once, exactly one decides (the other gets ALREADY_REVIEWED).
 *
 * One verified account per ID number: an approval whose number is verified on another account — before, or by a
 * parallel approval (the unique live key fails the later commit, MariaDB and SQLite alike) — writes nothing of the
 * approval; the application is then closed as rejected (audited like any rejection, the applicant reads why) and
 * the operator gets 409 ID_NUMBER_TAKEN. `masterKey` back-fills the hashes of applications from before the rule.
 */
export async function reviewRealName(em: EntityManager, applicationId: string, decision: { approve: boolean; reason?: string }, actor: AuditActor, masterKey?: string) {
  const found = await em.findOne(RealNameApplicationSchema, { id: applicationId });
  if (!found) throw notFound('APPLICATION_NOT_FOUND', '认证申请不存在', 'Application not found');
  if (found.status !== 'pending') throw alreadyReviewed();
  await refuseOwnReview(em, actor.id, { applicantId: found.userId });
  if (!decision.approve && !decision.reason?.trim()) throw invalid('REASON_REQUIRED', '请填写驳回原因', 'Give a reason for the rejection');
  if (decision.approve && masterKey && found.idNumberHash === null) {
    await ensureIdNumberHashes(em, masterKey);
    await em.refresh(found);
  }
  const hash = found.idNumberHash;
  const takenElsewhere = async () => {
    const holder = hash === null ? null : await liveHolder(em, hash);
    return holder !== null && holder.userId !== found.userId; // the user's own older approval: superseded below
  };
  if (decision.approve && (await takenElsewhere())) await refuseTaken(em, found, actor);
  let outcome: { application: RealNameApplication; user: User; superseded: boolean };
  try {
    // A deadlock between two approvals of one number (MariaDB: both write the unique live key) runs again: the retry
    // then meets the other's committed key (ID_NUMBER_TAKEN) or, lost to an operator deciding this application, ALREADY_REVIEWED.
    outcome = await conflictOnDuplicate(
      () =>
        // A fork per attempt: a failed attempt's changes (the application approved in memory) stay out of `em`.
        retryOnDeadlock(() => em.fork().transactional(async (tx) => {
          const claimed = await updateWhere(tx, RealNameApplicationSchema, { id: applicationId, status: 'pending' }, { status: decision.approve ? 'approved' : 'rejected', reviewedBy: actor.id });
          if (claimed !== 1) throw alreadyReviewed();
          const application = await tx.findOneOrFail(RealNameApplicationSchema, { id: applicationId }, { refresh: true });
          const user = await tx.findOneOrFail(UserSchema, { id: application.userId }, { refresh: true });
          if (user.realNameStatus !== 'pending') {
            // Decided already by another application (rows from before one application in review was enforced):
            // this one closes as rejected and changes nothing of the person's verified identity.
            Object.assign(application, { status: 'rejected', rejectReason: SUPERSEDED, reviewedBy: actor.id, reviewedAt: new Date(), liveKey: null });
            recordAudit(tx, actor, { action: 'user.real_name_rejected', targetType: 'real_name', targetId: application.id, detail: { user: user.id, reason: SUPERSEDED } });
            return { application, user, superseded: true };
          }
          decide(tx, application, user, decision, actor);
          return { application, user, superseded: false };
        })),
      idNumberTakenOnApproval,
    );
  } catch (err) {
    // Lost to a parallel approval of the same number (its unique live key, or the deadlock of the two writers).
    if (decision.approve && ((err instanceof AppError && err.code === 'ID_NUMBER_TAKEN') || (isConcurrentChange(err) && (await takenElsewhere())))) await refuseTaken(em, found, actor);
    throw err;
  }
  const { application, user, superseded } = outcome;
  // Contracts this mobile number was invited to are now the verified user's (M21).
  if (decision.approve && !superseded) await claimContractInvitations(em, user, { id: user.id, name: user.name, ip: null });
  return application;
}

/**
 * An approval refused because the number is verified on another account: the application closes as rejected
 * (TAKEN_REASON) and the user, left 认证中 by it, becomes 已驳回 (free to appeal or submit again), with the audit row
 * of a rejection — in one transaction that claims the still pending application, so nothing is half-written and a
 * decision made meanwhile stands. Always throws: ID_NUMBER_TAKEN (409), or ALREADY_REVIEWED when that decision won.
 */
async function refuseTaken(em: EntityManager, application: RealNameApplication, actor: AuditActor): Promise<never> {
  const closed = await conflictOnDuplicate(() =>
    em.fork().transactional(async (tx) => {
      const claimed = await updateWhere(tx, RealNameApplicationSchema, { id: application.id, status: 'pending' }, { status: 'rejected', rejectReason: TAKEN_REASON, reviewedBy: actor.id, reviewedAt: new Date(), liveKey: null });
      if (claimed !== 1) return false;
      await updateWhere(tx, UserSchema, { id: application.userId, realNameStatus: 'pending' }, { realNameStatus: 'rejected' });
      recordAudit(tx, actor, { action: 'user.real_name_rejected', targetType: 'real_name', targetId: application.id, detail: { user: application.userId, reason: TAKEN_REASON } });
      return true;
    }),
  );
  throw closed ? idNumberTakenOnApproval() : alreadyReviewed();
}
