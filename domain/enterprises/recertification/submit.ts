/**
 * 提交重新认证 (issue 9): the administrator submits the new name, the USCC (must equal the
 * enterprise's) and the authorisation letter (already stored by the caller; a resubmission may keep
 * the one on file). The first submission is the point of no return: in the same transaction every
 * live seal is voided, all seal authorisations of the enterprise removed and the seals' certificates
 * revoked locally (voidEnterpriseSeals); the CA push follows after the commit. A resubmission after
 * a rejection finds nothing left to void. The change goes `under_review` (no deadline: the
 * platform's review queue).
 *
 * Idempotent per request: a caller that may retry after a commit whose answer was lost (the workflow's
 * activity) passes `submittedAt`, the time of the request (the workflow's, the same on every attempt),
 * stored on the change. An attempt that finds the change under review by exactly this submission
 * (submittedAt to the column's second, the same name, USCC and letter) answers it again instead of
 * CHANGE_NOT_SUBMITTABLE: the seals voided by the change and their certificates still to push to the
 * CA (the push is idempotent). Without `submittedAt` a second submission is refused as before.
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

/** Datetime columns keep whole seconds on MySQL / MariaDB (rounded or truncated): equal within that. */
const sameSecond = (a: Date | null, b: Date) => a !== null && Math.abs(a.getTime() - b.getTime()) < 1000;

type SubmitArgs = { changeId: string; actor: AuditActor; name: string; uscc: string; letter: { key: string; type: string } | null; submittedAt?: Date; now?: Date };

/** The change is under review by exactly this request (its own earlier attempt committed). */
function isThisSubmission(change: EnterpriseChange, args: SubmitArgs, name: string, uscc: string): boolean {
  return (
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
    Object.assign(change, { status: 'under_review', newValue: name, uscc: enterprise.uscc, submittedAt: args.submittedAt ?? now, deadlineAt: null, rejectReason: null });
    recordAudit(em, args.actor, {
      action: 'enterprise.recertification_submitted',
      targetType: 'enterprise',
      targetId: enterprise.id,
      enterpriseId: enterprise.id,
      detail: {
        changeId: change.id,
        seq: change.seq,
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
