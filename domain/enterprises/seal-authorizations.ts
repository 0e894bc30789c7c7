import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { invalid, notFound } from '../errors';
import { concurrentChange, flushHoldingVersions, hold, writeNativelyAtFlush, type VersionHold } from '../persistence/concurrency';
import type { User } from '../identity/user.entity';
import { consumeVerificationCode, givingBackCodesOnConflict, sendVerificationCode } from '../sms/verification-codes';
import { MembershipSchema, type MemberRole, type Membership } from './membership.entity';
import { SealAuthorizationSchema, SealSchema, type Seal, type SealAuthorization } from './seal.entities';

const grantTarget = (granter: User, enterpriseId: string) => ({ mobile: granter.mobile, purpose: 'seal_grant', subject: `seal-grant:${enterpriseId}:${granter.id}` });

/** Granting a seal authorisation is confirmed with an SMS code to the granting administrator. */
export async function requestSealGrantCode(em: EntityManager, sms: SmsSender, granter: User, enterpriseId: string, ip: string | null) {
  const sent = await sendVerificationCode(em, sms, grantTarget(granter, enterpriseId), (code) => `【SealFlow】您正在进行印章授权，验证码 ${code}，5 分钟内有效。`, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/** Who makes a change to members or seal rights: the user, and their membership as the request's access check read it. */
export interface Granter {
  user: User;
  membership: Membership;
}

/**
 * What a change to members or seal rights holds when it flushes (`flushHoldingVersions`), apart
 * from the membership it writes itself (`writes`: its own versioned write guards it):
 * - the granter's membership, still active in one of `roles`: the access check passed at the start
 *   of the request, and an administrator replaced or a 印章管理员 demoted or removed before the
 *   commit must not grant anything afterwards (409);
 * - the member's membership as read (`member`, when it gains seal rights), and the seals granted
 *   as read active: a removal of the member, or a voiding / disabling of a seal, reads the rights
 *   before its versioned write; one that read before the grant commits fails (409) instead of
 *   leaving the new authorisation behind on a removed member or a voided seal, and after such a
 *   change has committed the grant finds no row to hold (409).
 * A membership is held once: the granter's own (an administrator granting to themselves) under the
 * granter's conditions.
 */
export function sealGrantHolds(args: { granter: Granter; roles: readonly MemberRole[]; member?: Membership; seals?: readonly Seal[]; writes?: Membership }): VersionHold[] {
  const { granter, member, writes } = args;
  const holdsGranter = granter.membership.id !== writes?.id;
  const holdsMember = member !== undefined && member.id !== writes?.id && member.id !== granter.membership.id;
  return [
    ...(holdsGranter ? [actingHold(granter.membership, args.roles)] : []),
    ...(holdsMember ? [hold(MembershipSchema, member, { status: member.status })] : []),
    ...(args.seals ?? []).map((seal) => hold(SealSchema, seal, { status: 'active' })),
  ];
}

/**
 * Makes a member's seal authorisations exactly `sealIds`. Adding any new one needs the granter's
 * SMS code; removing needs none. Seals must belong to the enterprise and be active. Answers the
 * seals it granted anew: the caller flushes holding them (`sealGrantHolds`).
 */
export async function setSealAuthorizations(em: EntityManager, args: { enterpriseId: string; userId: string; sealIds: string[]; granter: User; code?: string; actor: AuditActor }): Promise<{ grantedSeals: Seal[]; changed: boolean }> {
  const wanted = [...new Set(args.sealIds)];
  const current = await em.find(SealAuthorizationSchema, { enterpriseId: args.enterpriseId, userId: args.userId });
  const toAdd = wanted.filter((id) => !current.some((a) => a.sealId === id));
  // New authorisations need active seals; ones the member already holds may stay on a seal disabled meanwhile.
  const seals = toAdd.length ? await em.find(SealSchema, { id: { $in: toAdd }, enterpriseId: args.enterpriseId, status: 'active' }) : [];
  if (seals.length !== toAdd.length) throw invalid('UNKNOWN_SEAL', '所选印章不存在或不可用', 'A selected seal does not exist or is not usable');
  const toRemove = current.filter((a) => !wanted.includes(a.sealId));
  if (toAdd.length) {
    if (!args.code) throw invalid('SEAL_GRANT_CODE_REQUIRED', '授予印章权限需要短信验证码', 'Granting seal authorisation needs an SMS code');
    await consumeVerificationCode(em, grantTarget(args.granter, args.enterpriseId), args.code);
  }
  const now = new Date();
  for (const sealId of toAdd) {
    em.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: args.enterpriseId, sealId, userId: args.userId, grantedBy: args.granter.id, grantedAt: now });
    recordAudit(em, args.actor, { action: 'seal.authorization_granted', targetType: 'seal', targetId: sealId, enterpriseId: args.enterpriseId, detail: { member: args.userId } });
  }
  // Each removal is audited only by the change whose DELETE removed the row: one that went meanwhile (lapsed in the
  // daily sweep, revoked in another tab) makes this edit, computed from a stale read, a 409 with nothing written.
  for (const a of toRemove) {
    writeNativelyAtFlush(em, async () => {
      if (!(await deleteAuthorization(em, a))) throw concurrentChange();
      recordAudit(em, args.actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: a.sealId, enterpriseId: args.enterpriseId, detail: { member: args.userId } });
    });
  }
  return { grantedSeals: seals, changed: toAdd.length + toRemove.length > 0 };
}

/** The conditional DELETE of one authorisation as read; answers whether it removed the row. */
export const deleteAuthorization = async (em: EntityManager, a: SealAuthorization): Promise<boolean> =>
  (await em.nativeDelete(SealAuthorizationSchema, { id: a.id, enterpriseId: a.enterpriseId, sealId: a.sealId, userId: a.userId })) === 1;

/**
 * Every seal authorisation of a member goes when they leave the enterprise. Deleted in the flush's transaction
 * (`flushOrConflict` / `flushHoldingVersions`); one that went meanwhile (lapsed, revoked) is not audited again.
 */
export async function revokeAllSealAuthorizations(em: EntityManager, enterpriseId: string, userId: string, actor: AuditActor) {
  const current = await em.find(SealAuthorizationSchema, { enterpriseId, userId });
  for (const a of current) {
    writeNativelyAtFlush(em, async () => {
      if (await deleteAuthorization(em, a)) recordAudit(em, actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: a.sealId, enterpriseId, detail: { member: userId, reason: 'left' } });
    });
  }
}

/**
 * 印章授权 of one seal to one member, optionally until `expiresAt` (it then lapses by itself).
 * Needs the granter's SMS code. Granting again changes the validity of the existing authorisation:
 * one upsert on the (seal, member) key, so a grant never reports success without its row — a
 * re-grant racing a revocation of the row it read re-creates it instead of updating nothing.
 */
export async function grantSealAuthorization(
  em: EntityManager,
  args: { enterpriseId: string; sealId: string; userId: string; expiresAt: Date | null; granter: User; granterMembership: Membership; code: string | undefined; actor: AuditActor; now?: Date },
): Promise<void> {
  const now = args.now ?? new Date();
  const seal = await em.findOne(SealSchema, { id: args.sealId, enterpriseId: args.enterpriseId, status: { $ne: 'voided' } });
  if (!seal) throw notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');
  if (seal.status !== 'active') throw invalid('SEAL_DISABLED', '印章已停用，不能授权', 'The seal is disabled and cannot be authorised');
  const member = await em.findOne(MembershipSchema, { enterpriseId: args.enterpriseId, userId: args.userId, status: 'active' });
  if (!member) throw invalid('MEMBER_NOT_FOUND', '所选成员不是本企业的成员', 'The selected user is not a member of this enterprise');
  if (args.expiresAt && args.expiresAt.getTime() <= now.getTime()) throw invalid('EXPIRY_IN_PAST', '授权有效期必须晚于当前时间', 'The end of the authorisation must be in the future');
  const code = args.code;
  if (!code) throw invalid('SEAL_GRANT_CODE_REQUIRED', '授予印章权限需要短信验证码', 'Granting seal authorisation needs an SMS code');
  await givingBackCodesOnConflict(em, async () => {
    await consumeVerificationCode(em, grantTarget(args.granter, args.enterpriseId), code);
    recordAudit(em, args.actor, { action: 'seal.authorization_granted', targetType: 'seal', targetId: seal.id, enterpriseId: args.enterpriseId, detail: { member: args.userId, expiresAt: args.expiresAt?.toISOString() ?? null } });
    const granter = { user: args.granter, membership: args.granterMembership };
    const grant = { id: randomUUID(), enterpriseId: args.enterpriseId, sealId: seal.id, userId: args.userId, grantedBy: args.granter.id, grantedAt: now, expiresAt: args.expiresAt };
    await flushHoldingVersions(em, sealGrantHolds({ granter, roles: ['admin'], member, seals: [seal] }), concurrentChange, () => upsertSealAuthorization(em, grant));
  });
}

/** Inserts the authorisation, or gives the existing one of the same seal and member this grant's validity and granter. */
async function upsertSealAuthorization(em: EntityManager, grant: SealAuthorization): Promise<void> {
  await em.upsert(SealAuthorizationSchema, grant, { onConflictFields: ['sealId', 'userId'], onConflictMergeFields: ['expiresAt', 'grantedBy', 'grantedAt'] });
}

/**
 * Withdraws one authorisation of a seal (no SMS code needed to take rights away); the 管理员 who removes it
 * (`revokerMembership`, as the access check read it) must still be when it commits (a replaced administrator changes
 * nothing afterwards: 409). The row goes by a conditional DELETE with its audit row: one that went meanwhile (the
 * daily lapse sweep, another tab) answers 404 and audits nothing.
 */
export async function revokeSealAuthorization(em: EntityManager, args: { enterpriseId: string; sealId: string; authorizationId: string; actor: AuditActor; revokerMembership: Membership }) {
  const auth = await em.findOne(SealAuthorizationSchema, { id: args.authorizationId, sealId: args.sealId, enterpriseId: args.enterpriseId });
  if (!auth) throw authorizationNotFound();
  await flushHoldingVersions(em, [actingHold(args.revokerMembership)], concurrentChange, async () => {
    if (!(await deleteAuthorization(em, auth))) throw authorizationNotFound();
    recordAudit(em, args.actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: auth.sealId, enterpriseId: args.enterpriseId, detail: { member: auth.userId } });
  });
}

const authorizationNotFound = () => notFound('SEAL_AUTHORIZATION_NOT_FOUND', '印章授权不存在', 'Seal authorisation not found');

/** The acting user's membership, still active in one of `roles`, held by a change that needs that authority at its write. */
export const actingHold = (membership: Membership, roles: readonly MemberRole[] = ['admin']): VersionHold => hold(MembershipSchema, membership, { status: 'active', role: { $in: [...roles] } });

/**
 * Daily sweep (called by the reminders/reconcile job): removes authorisations whose validity has
 * ended and audits each once (`seal.authorization_lapsed`). The usability check already treats
 * them as lapsed from `expiresAt` on; this only tidies up. Safe to run in parallel: a row is
 * audited by the run whose DELETE removed it.
 */
export async function lapseExpiredSealAuthorizations(em: EntityManager, now: Date): Promise<number> {
  let lapsed = 0;
  for (;;) {
    // Read through a fork: the rows are deleted natively below and must not linger in `em`.
    const due = await em.fork().find(SealAuthorizationSchema, { expiresAt: { $ne: null, $lte: now } }, { limit: 500, orderBy: { expiresAt: 'asc' } });
    for (const auth of due) {
      // The deletion and its audit row commit together: a crash between them lost the row for good (the retry deletes nothing, so audits nothing).
      const removed = await em.transactional(async (tx) => {
        const n = await tx.nativeDelete(SealAuthorizationSchema, { id: auth.id, expiresAt: { $lte: now } });
        if (n) recordAudit(tx, SYSTEM_ACTOR, { action: 'seal.authorization_lapsed', targetType: 'seal', targetId: auth.sealId, enterpriseId: auth.enterpriseId, detail: { member: auth.userId, expiresAt: auth.expiresAt!.toISOString() } });
        return n;
      });
      if (removed) lapsed++;
    }
    if (due.length < 500) return lapsed;
  }
}
