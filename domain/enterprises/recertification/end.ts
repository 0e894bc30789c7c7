/**
 * How a rename change ends without approval (issue 9):
 * - `abandonChange` (放弃变更, the administrator): only while `drafting` — before the point of no
 *   return — so nothing was voided; the old name stays and the enterprise is 'normal' again. A user
 *   abandons only while they are the enterprise's administrator (403 ADMIN_CHANGED; the write of the
 *   enterprise row checks its version, so a replacement committing meanwhile makes one fail with 409);
 *   the system (SYSTEM_ACTOR) abandons a draft whose workflow could not be started.
 * - `expireChange` (the workflow's deadline timer): a draft not submitted in time is abandoned
 *   (endReason 'expired'); a restarted or rejected change not (re)submitted in time `lapsed`: the
 *   enterprise stays 待重新认证 and 开始重新认证 opens the next change.
 * - `cancelChangeByPlatform` (cancelled in Temporal UI): a draft is abandoned, a later state lapses
 *   (endReason 'cancelled_by_platform').
 * A change that has already ended is answered as it is (the workflow may retry an activity).
 */
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../audit/record-audit';
import { changeAtomically, flushOrConflict } from '../../persistence/concurrency';
import { assertActsAsAdministrator } from '../administrator';
import { isOpenChangeStatus, type EnterpriseChange, type EnterpriseChangeEndReason } from '../enterprise-change.entity';
import { loadEnterprise, loadRenameChange, wrongChangeStatus } from './change-rules';
import { activeMemberIds, noticeToAdmin, noticeToUsers } from './notices';

const notAbandonable = () =>
  wrongChangeStatus('CHANGE_NOT_ABANDONABLE', '已提交重新认证（原印章已作废），不能再放弃变更', 'The re-certification was already submitted (the seals were voided); the change can no longer be abandoned');

/** drafting → abandoned: standing back to 'normal', old name kept. */
async function endDraft(em: EntityManager, change: EnterpriseChange, endReason: EnterpriseChangeEndReason, actor: AuditActor, now: Date) {
  const enterprise = await loadEnterprise(em, change.enterpriseId);
  Object.assign(change, { status: 'abandoned', endReason, endedAt: now, deadlineAt: null });
  enterprise.standing = 'normal';
  recordAudit(em, actor, { action: 'enterprise.rename_abandoned', targetType: 'enterprise', targetId: enterprise.id, enterpriseId: enterprise.id, detail: { changeId: change.id, seq: change.seq, newName: change.newValue, reason: endReason }, at: now });
  const why = endReason === 'abandoned' ? '已放弃变更企业名称' : endReason === 'expired' ? '变更企业名称未在期限内提交，已自动取消' : '变更企业名称已被平台取消';
  const notice = { kind: 'enterprise.rename_abandoned', title: `企业“${enterprise.name}”${why}`, body: `企业“${enterprise.name}”${why}，企业名称不变，可以正常签署合同。` };
  if (actor.id !== enterprise.adminUserId) noticeToAdmin(em, enterprise, notice, now);
  noticeToUsers(em, enterprise, await activeMemberIds(em, enterprise.id), notice, now, actor.id);
}

/** awaiting_submission | under_review | rejected → lapsed: the enterprise stays 待重新认证. */
async function lapse(em: EntityManager, change: EnterpriseChange, endReason: EnterpriseChangeEndReason, now: Date) {
  const enterprise = await loadEnterprise(em, change.enterpriseId);
  Object.assign(change, { status: 'lapsed', endReason, endedAt: now, deadlineAt: null });
  recordAudit(em, SYSTEM_ACTOR, { action: 'enterprise.recertification_lapsed', targetType: 'enterprise', targetId: enterprise.id, enterpriseId: enterprise.id, detail: { changeId: change.id, seq: change.seq, reason: endReason }, at: now });
  noticeToAdmin(
    em,
    enterprise,
    {
      kind: 'enterprise.recertification_lapsed',
      title: '重新认证已失效',
      body: endReason === 'lapsed'
        ? `企业“${enterprise.name}”的重新认证未在期限内提交，已失效。企业仍处于待重新认证，请在信息管理中“开始重新认证”。`
        : `企业“${enterprise.name}”的重新认证已被平台取消。企业仍处于待重新认证，请在信息管理中“开始重新认证”。`,
    },
    now,
  );
}

async function endChange(em: EntityManager, changeId: string, work: (change: EnterpriseChange) => Promise<void>): Promise<EnterpriseChange> {
  return changeAtomically(em, async () => {
    const change = await loadRenameChange(em, changeId);
    if (!isOpenChangeStatus(change.status)) return change;
    await work(change);
    await flushOrConflict(em);
    return change;
  });
}

export async function abandonChange(em: EntityManager, args: { changeId: string; actor: AuditActor; now?: Date }): Promise<EnterpriseChange> {
  const now = args.now ?? new Date();
  return changeAtomically(em, async () => {
    const change = await loadRenameChange(em, args.changeId);
    if (change.status !== 'drafting') throw change.status === 'abandoned' ? wrongChangeStatus('CHANGE_ENDED', '该变更已放弃', 'This change was already abandoned') : notAbandonable();
    if (args.actor.id !== null) assertActsAsAdministrator(await loadEnterprise(em, change.enterpriseId), args.actor);
    await endDraft(em, change, 'abandoned', args.actor, now);
    // A parallel submit of the same draft: the change's version lets one commit; an administrator replaced
    // meanwhile: the enterprise row's version (endDraft writes its standing).
    await flushOrConflict(em);
    return change;
  });
}

export async function expireChange(em: EntityManager, args: { changeId: string; now?: Date }): Promise<EnterpriseChange> {
  const now = args.now ?? new Date();
  return endChange(em, args.changeId, async (change) => {
    if (change.status === 'drafting') await endDraft(em, change, 'expired', SYSTEM_ACTOR, now);
    else if (change.status === 'awaiting_submission' || change.status === 'rejected') await lapse(em, change, 'lapsed', now);
    // under_review: no deadline (the operators' queue); nothing to do.
  });
}

export async function cancelChangeByPlatform(em: EntityManager, args: { changeId: string; now?: Date }): Promise<EnterpriseChange> {
  const now = args.now ?? new Date();
  return endChange(em, args.changeId, async (change) => {
    if (change.status === 'drafting') await endDraft(em, change, 'cancelled_by_platform', SYSTEM_ACTOR, now);
    else await lapse(em, change, 'cancelled_by_platform', now);
  });
}
