/**
 * 提交重新认证 (issue 9): the administrator submits the new name, the USCC (must equal the
 * enterprise's) and the authorisation letter (already stored by the caller; a resubmission may keep
 * the one on file). The first submission is the point of no return: in the same transaction every
 * live seal is voided, all seal authorisations of the enterprise removed and the seals' certificates
 * revoked locally (voidEnterpriseSeals); the CA push follows after the commit. A resubmission after
 * a rejection finds nothing left to void. The change goes `under_review` (no deadline: the
 * platform's review queue).
 *
 * A submission is named by the request that makes it: `submissionId`, given by the API (with `submittedAt`, when the
 * API took it), stored on the change as its current submission. The workflow's Update carries it, so the same
 * submission may arrive again: the activity retried after a commit whose answer was lost, or the Update delivered
 * again to a new run by an operator's Reset in Temporal UI (default reapply) — days later, after a rejection or a
 * resubmission. A submission the change already carries is answered as it was (the seals the change voided, their
 * certificates still to push to the CA — the push is idempotent) and changes nothing, whatever the change's status
 * now. `previousSubmissionId` is the change's submission as the request read it (null before the first): when the
 * change has another one now, this request is superseded (an earlier submission replayed after a later one, or two
 * requests of one administrator at once) and refused (409 RECERTIFICATION_SUBMISSION_SUPERSEDED), nothing changed.
 *
 * Requests without `submissionId` (Updates recorded before it) keep the earlier rule: `submittedAt` from the
 * workflow's clock, and an attempt that finds the change under review by exactly this submission (submittedAt to the
 * column's second, the same name, USCC and letter) answers it again instead of CHANGE_NOT_SUBMITTABLE.
 *
 * Only the administrator submits: the actor must still be the enterprise's administrator when the
 * submission commits (403 ADMIN_CHANGED), and the commit holds the enterprise row as read with that
 * administrator (`administratorHold`), so an administrator replaced after the request's access check
 * (管理员申请 approved, 转让 completed) voids nothing: a replacement committing meanwhile makes one of
 * the two fail (409; the activity's retry then answers ADMIN_CHANGED).
 */
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../../audit/record-audit';
import { invalid } from '../../errors';
import { SigningCertificateSchema } from '../../certificates/certificate.entities';
import { changeAtomically, flushHoldingVersions } from '../../persistence/concurrency';
import { administratorHold, assertActsAsAdministrator } from '../administrator';
import type { EnterpriseChange } from '../enterprise-change.entity';
import { SealSchema } from '../seal.entities';
import { voidEnterpriseSeals } from '../void-enterprise-seals';
import { checkNewName, isStatus, loadEnterprise, loadRenameChange, normalizeNewName, normalizeUscc, wrongChangeStatus } from './change-rules';
import { noticeToAdmin, noticeToUsers } from './notices';

export interface SubmitRecertificationResult {
  change: EnterpriseChange;
  voidedSealIds: string[];
  revokedCertificateIds: string[];
  /** Members whose seal authorisations were removed by this submission. */
  affectedUserIds: string[];
}

const notSubmittable = () => wrongChangeStatus('CHANGE_NOT_SUBMITTABLE', '该变更当前不能提交（已提交审核或已结束）', 'This change cannot be submitted now (already under review or ended)');
const usccMismatch = () => invalid('USCC_MISMATCH', '统一社会信用代码与本企业登记的不一致', 'The USCC does not match the enterprise’s registered USCC');
const letterRequired = () => invalid('LETTER_REQUIRED', '请上传授权书', 'Upload the authorisation letter');
const superseded = () =>
  wrongChangeStatus(
    'RECERTIFICATION_SUBMISSION_SUPERSEDED',
    '该变更已有更新的提交，本次提交未生效（请刷新后查看）',
    'This change has a newer submission; this one was not applied (reload to see it)',
  );

/** Datetime columns keep whole seconds on MySQL / MariaDB (rounded or truncated): equal within that. */
const sameSecond = (a: Date | null, b: Date) => a !== null && Math.abs(a.getTime() - b.getTime()) < 1000;

type SubmitArgs = {
  changeId: string;
  actor: AuditActor;
  name: string;
  uscc: string;
  letter: { key: string; type: string } | null;
  /** The request's id for this submission (absent: Updates recorded before it). */
  submissionId?: string;
  /** The change's submission as the request read it, null before the first (absent: not checked). */
  previousSubmissionId?: string | null;
  submittedAt?: Date;
  now?: Date;
};

/** Without a submission id: the change is under review by exactly this request (its own earlier attempt committed). */
function isThisSubmission(change: EnterpriseChange, args: SubmitArgs, name: string, uscc: string): boolean {
  return (
    args.submissionId === undefined &&
    args.submittedAt !== undefined &&
    isStatus(change, 'under_review') &&
    sameSecond(change.submittedAt, args.submittedAt) &&
    change.newValue === name &&
    change.uscc === uscc &&
    (args.letter === null || change.authorizationLetterKey === args.letter.key)
  );
}

/** The answer of a submission that already committed: the seals the change voided and their certificates not yet pushed to the CA. */
async function committedSubmission(em: EntityManager, change: EnterpriseChange): Promise<SubmitRecertificationResult> {
  const seals = await em.find(SealSchema, { enterpriseId: change.enterpriseId, status: 'voided', voidReason: 'enterprise_renamed', voidedByChangeId: change.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const sealIds = seals.map((s) => s.id);
  const certificates = sealIds.length
    ? await em.find(SigningCertificateSchema, { ownerType: 'seal', ownerId: { $in: sealIds }, status: 'revoked', caRevokedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  // The members told of their removed authorisations were told by the commit; nothing to repeat.
  return { change, voidedSealIds: sealIds, revokedCertificateIds: certificates.map((c) => c.id), affectedUserIds: [] };
}

export async function submitRecertification(em: EntityManager, args: SubmitArgs): Promise<SubmitRecertificationResult> {
  const now = args.now ?? new Date();
  return changeAtomically(em, async () => {
    const change = await loadRenameChange(em, args.changeId);
    if (args.submissionId !== undefined) {
      // Applied before (a retry, a replay): answered as it was, nothing changed — even after a rejection or an approval.
      if (change.submissionId === args.submissionId) return committedSubmission(em, change);
      if (args.previousSubmissionId !== undefined && change.submissionId !== args.previousSubmissionId) throw superseded();
    }
    if (!isStatus(change, 'drafting', 'awaiting_submission', 'rejected')) {
      if (isThisSubmission(change, args, normalizeNewName(args.name), normalizeUscc(args.uscc))) return committedSubmission(em, change);
      throw notSubmittable();
    }
    const enterprise = await loadEnterprise(em, change.enterpriseId);
    assertActsAsAdministrator(enterprise, args.actor);
    const name = checkNewName(args.name, enterprise.name);
    if (normalizeUscc(args.uscc) !== enterprise.uscc) throw usccMismatch();
    if (args.letter) {
      change.authorizationLetterKey = args.letter.key;
      change.authorizationLetterType = args.letter.type;
    } else if (!change.authorizationLetterKey) throw letterRequired();
    const resubmission = change.status === 'rejected';
    const voided = await voidEnterpriseSeals(em, { enterpriseId: enterprise.id, types: 'all', reason: 'enterprise_renamed', changeId: change.id, actor: args.actor, now });
    Object.assign(change, { status: 'under_review', newValue: name, uscc: enterprise.uscc, submittedAt: args.submittedAt ?? now, submissionId: args.submissionId ?? null, deadlineAt: null, rejectReason: null });
    recordAudit(em, args.actor, {
      action: 'enterprise.recertification_submitted',
      targetType: 'enterprise',
      targetId: enterprise.id,
      enterpriseId: enterprise.id,
      detail: {
        changeId: change.id,
        seq: change.seq,
        submissionId: change.submissionId,
        newName: name,
        resubmission,
        newLetter: !!args.letter,
        voidedSeals: voided.sealIds.length,
        revokedCertificates: voided.certificateIds.length,
        removedAuthorizationsOf: voided.affectedUserIds.length,
      },
      at: now,
    });
    if (voided.sealIds.length) {
      noticeToAdmin(
        em,
        enterprise,
        {
          kind: 'enterprise.seals_voided',
          title: `企业“${enterprise.name}”的印章已作废`,
          body: `已提交重新认证（新名称“${name}”）：${voided.sealIds.length} 枚印章已作废，其印章授权已取消，${voided.certificateIds.length} 张证书已吊销。审核通过后将以新名称重新生成印章。`,
        },
        now,
      );
      noticeToUsers(
        em,
        enterprise,
        voided.affectedUserIds,
        {
          kind: 'enterprise.seal_authorizations_removed',
          title: `您在“${enterprise.name}”的印章授权已取消`,
          body: `企业“${enterprise.name}”变更企业名称，原有印章已作废，您的印章授权已取消。重新认证通过后，请联系管理员重新授权。`,
        },
        now,
      );
    }
    // A parallel submit, abandon or expiry of the same change: its version lets one commit. The enterprise is
    // held with its administrator as read: a replacement committing meanwhile and this submission cannot both commit.
    await flushHoldingVersions(em, [administratorHold(enterprise)]);
    return { change, voidedSealIds: voided.sealIds, revokedCertificateIds: voided.certificateIds, affectedUserIds: voided.affectedUserIds };
  });
}
