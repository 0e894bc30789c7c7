/**
 * 重新认证审核 (issue 9), by a platform operator. Approval: the enterprise takes the new name and
 * is 已认证 again (standing 'normal'); one NEW seal per seal voided by this re-certification (the
 * change, and earlier changes of it that lapsed before 开始重新认证) — same type, 部门章 per
 * department — named with the new name, with a new 防伪码; their images are drawn after the commit
 * (`drawRecertifiedSeals`, like certification approval). The administrator is told to apply for
 * certificates and re-authorise members. Rejection needs a reason and opens the resubmission period.
 *
 * A decision names the submission it decides (`submissionId`: the one the operator's console showed, null for a
 * submission from before submission ids). A decision for another submission than the change's current one — an
 * operator's Update delivered again to a new run by a Reset in Temporal UI after the administrator resubmitted, a
 * console left open on an earlier submission — is refused (409 RECERTIFICATION_SUBMISSION_SUPERSEDED), nothing
 * changed. Decisions without `submissionId` (Updates recorded before it) decide the change as it is.
 *
 * Idempotent: an attempt that finds the change already decided exactly as it asks — for the same submission, by the
 * same reviewer, the same decision (and for a rejection the same reason), the change still in the state that decision
 * left — answers that decision again (the seals the approval created, from its audit row) instead of
 * CHANGE_NOT_UNDER_REVIEW, with no second audit row or notice: the workflow's activity retried after a commit whose
 * answer was lost, or the Update delivered again after a Reset.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../../audit/record-audit';
import { invalid } from '../../errors';
import { changeAtomically, flushOrConflict } from '../../persistence/concurrency';
import { sealDisplayName } from '../../seals/create-seal';
import { ensureSealImage, newSecurityCode } from '../../seals/seal-image';
import { sealSizeMm, sealTypeOf } from '../../seals/seal-types';
import { AuditEventSchema } from '../../audit/audit-event.entity';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../enterprise-change.entity';
import type { Enterprise } from '../enterprise.entity';
import { SealSchema, sealLiveKey, type Seal } from '../seal.entities';
import { isStatus, loadEnterprise, loadRenameChange, resubmitDeadline, wrongChangeStatus } from './change-rules';
import { activeMemberIds, noticeToAdmin, noticeToUsers } from './notices';
import { refuseOwnReview } from '../../platform/own-review';

export interface ReviewRecertificationResult {
  change: EnterpriseChange;
  /** The seals created on approval (images still to draw); empty on rejection. */
  createdSealIds: string[];
}

const notUnderReview = () => wrongChangeStatus('CHANGE_NOT_UNDER_REVIEW', '该重新认证不在审核中（可能已被其他人处理）', 'This re-certification is not under review (someone may have decided it already)');
const decisionSuperseded = () =>
  wrongChangeStatus(
    'RECERTIFICATION_SUBMISSION_SUPERSEDED',
    '企业已重新提交，该审核针对的是之前的提交，未生效；请刷新后审核当前提交',
    'The enterprise has resubmitted: this decision was for an earlier submission and was not applied; reload and review the current submission',
  );

/**
 * The changes of the running re-certification: this one and the rename changes before it that
 * lapsed since the last approved rename (their voided seals are recreated by this approval).
 */
async function episodeChangeIds(em: EntityManager, change: EnterpriseChange): Promise<string[]> {
  const earlier = await em.find(EnterpriseChangeSchema, { enterpriseId: change.enterpriseId, kind: 'rename', seq: { $lt: change.seq } }, { orderBy: { seq: 'desc' } });
  const ids = [change.id];
  for (const c of earlier) {
    if (c.status !== 'lapsed') break;
    ids.push(c.id);
  }
  return ids;
}

/** The seal's type name without the enterprise's (old) name, for types no longer in the catalogue. */
function typeNameOf(seal: Seal, oldName: string): string {
  const known = sealTypeOf(seal.type);
  if (known) return known.name;
  return seal.name.startsWith(oldName) ? seal.name.slice(oldName.length) || seal.type : seal.name;
}

/** One new seal per voided one (skipping a type that got a live seal meanwhile); audited `seal.created`. */
async function recreateSeals(em: EntityManager, enterprise: Enterprise, oldName: string, changeIds: string[], actor: AuditActor, now: Date): Promise<Seal[]> {
  const voided = await em.find(SealSchema, { enterpriseId: enterprise.id, status: 'voided', voidReason: 'enterprise_renamed', voidedByChangeId: { $in: changeIds } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const created: Seal[] = [];
  const taken = new Set<string>();
  for (const old of voided) {
    const draft = { enterpriseId: enterprise.id, type: old.type, status: 'active' as const, departmentName: old.departmentName };
    const key = sealLiveKey(draft)!;
    if (taken.has(key) || (await em.findOne(SealSchema, { liveKey: key }))) continue;
    taken.add(key);
    const type = sealTypeOf(old.type);
    const size = type ? sealSizeMm(type) : { widthMm: old.widthMm, heightMm: old.heightMm };
    const seal = em.create(SealSchema, {
      id: randomUUID(),
      ...draft,
      name: sealDisplayName(enterprise.name, typeNameOf(old, oldName), old.departmentName),
      createdAt: now,
      updatedAt: now,
      securityCode: newSecurityCode(),
      source: 'generated',
      widthMm: size.widthMm,
      heightMm: size.heightMm,
    });
    created.push(seal);
    recordAudit(em, actor, { action: 'seal.created', targetType: 'seal', targetId: seal.id, enterpriseId: enterprise.id, detail: { type: seal.type, name: seal.name, departmentName: seal.departmentName, replaces: old.id, reason: 'recertified' }, at: now });
  }
  return created;
}

type ReviewArgs = {
  changeId: string;
  approve: boolean;
  reason: string | null;
  actor: AuditActor;
  /** The submission decided: the change's current one as the operator read it, null for one from before submission ids (absent: not checked). */
  submissionId?: string | null;
  now?: Date;
};

/** The rejection reason as stored. */
const storedReason = (reason: string | null) => reason?.trim().slice(0, 500) ?? '';

/** The change already carries exactly this decision (an earlier attempt of this request committed). */
function isThisDecision(change: EnterpriseChange, args: ReviewArgs): boolean {
  if (change.reviewedBy === null || change.reviewedBy !== args.actor.id) return false;
  if (args.approve) return isStatus(change, 'approved');
  return isStatus(change, 'rejected') && !!storedReason(args.reason) && change.rejectReason === storedReason(args.reason);
}

/** The seals the approval of this change created, as its audit row lists them. */
async function sealsCreatedBy(em: EntityManager, change: EnterpriseChange): Promise<string[]> {
  const rows = await em.find(AuditEventSchema, { targetType: 'enterprise', targetId: change.enterpriseId, action: 'enterprise.recertification_approved' }, { orderBy: { at: 'desc' } });
  for (const row of rows) {
    const detail = JSON.parse(row.detail ?? '{}') as { changeId?: string; createdSeals?: string[] };
    if (detail.changeId === change.id) return detail.createdSeals ?? [];
  }
  return [];
}

export async function reviewRecertification(em: EntityManager, args: ReviewArgs): Promise<ReviewRecertificationResult> {
  const now = args.now ?? new Date();
  return changeAtomically(
    em,
    async () => {
      const change = await loadRenameChange(em, args.changeId);
      if (args.submissionId !== undefined && args.submissionId !== change.submissionId) throw decisionSuperseded();
      if (!isStatus(change, 'under_review')) {
        if (isThisDecision(change, args)) return { change, createdSealIds: args.approve ? await sealsCreatedBy(em, change) : [] };
        throw notUnderReview();
      }
      await refuseOwnReview(em, args.actor.id, { applicantId: change.startedBy, enterpriseId: change.enterpriseId });
      const enterprise = await loadEnterprise(em, change.enterpriseId);
      Object.assign(change, { reviewedBy: args.actor.id, reviewedAt: now });
      if (!args.approve) {
        const reason = storedReason(args.reason);
        if (!reason) throw invalid('REASON_REQUIRED', '请填写驳回原因', 'Give a reason for the rejection');
        Object.assign(change, { status: 'rejected', rejectReason: reason, deadlineAt: await resubmitDeadline(em, now) });
        recordAudit(em, args.actor, { action: 'enterprise.recertification_rejected', targetType: 'enterprise', targetId: enterprise.id, enterpriseId: enterprise.id, detail: { changeId: change.id, seq: change.seq, submissionId: change.submissionId, reason: change.rejectReason, deadlineAt: change.deadlineAt!.toISOString() }, at: now });
        noticeToAdmin(em, enterprise, { kind: 'enterprise.recertification_rejected', title: '重新认证未通过', body: `企业“${enterprise.name}”变更名称为“${change.newValue ?? ''}”的重新认证被驳回：${change.rejectReason}。请在信息管理中修改后重新提交。` }, now);
        await flushOrConflict(em, notUnderReview);
        return { change, createdSealIds: [] };
      }
      const oldName = enterprise.name;
      const newName = change.newValue!;
      Object.assign(enterprise, { name: newName, standing: 'normal' });
      Object.assign(change, { status: 'approved', endedAt: now, deadlineAt: null });
      const created = await recreateSeals(em, enterprise, oldName, await episodeChangeIds(em, change), args.actor, now);
      recordAudit(em, args.actor, {
        action: 'enterprise.recertification_approved',
        targetType: 'enterprise',
        targetId: enterprise.id,
        enterpriseId: enterprise.id,
        detail: { changeId: change.id, seq: change.seq, submissionId: change.submissionId, oldName, newName, createdSeals: created.map((s) => s.id) },
        at: now,
      });
      noticeToAdmin(
        em,
        enterprise,
        {
          kind: 'enterprise.recertification_approved',
          title: '重新认证已通过',
          body: `企业名称已变更为“${newName}”，已按新名称生成 ${created.length} 枚印章。请为新印章申请数字证书，并重新为成员授权印章。`,
        },
        now,
      );
      noticeToUsers(em, enterprise, await activeMemberIds(em, enterprise.id), { kind: 'enterprise.recertified', title: `企业已更名为“${newName}”`, body: `企业“${oldName}”已更名为“${newName}”并通过重新认证，可以正常签署合同。印章授权需由管理员重新授予。` }, now);
      // Two operators approving at once: the change's version lets one commit (the loser creates no seals).
      await flushOrConflict(em, notUnderReview);
      return { change, createdSealIds: created.map((s) => s.id) };
    },
    notUnderReview,
  );
}

/** Draws and stores the images of the seals created on approval (after the commit; 0.2–0.5 s each). Already drawn ones are left as they are. */
export async function drawRecertifiedSeals(em: EntityManager, store: DocumentStore, sealIds: readonly string[]): Promise<void> {
  let firstError: unknown = null;
  for (const id of sealIds) {
    const seal = await em.findOne(SealSchema, { id });
    if (!seal || seal.imageKey) continue;
    try {
      await ensureSealImage(em, store, seal);
    } catch (err) {
      firstError ??= err;
    }
  }
  if (firstError) throw firstError;
}
