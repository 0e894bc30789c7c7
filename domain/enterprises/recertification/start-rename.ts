/**
 * 变更企业名称 (issue 9): opens a rename change in `drafting` with the intended new name. From this
 * commit the enterprise is 待重新认证 (standing 'recertifying'): no signing, no new contracts.
 * Nothing is voided yet — that happens on 提交重新认证 (the point of no return); 放弃变更 until then
 * restores everything. One open change per enterprise: the unique live key decides parallel starts.
 * Only the administrator starts it (403 ADMIN_CHANGED once replaced; the enterprise row's version, written
 * here, orders it against a replacement committing meanwhile).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../../audit/record-audit';
import { changeAtomically, flushOrConflict } from '../../persistence/concurrency';
import { AppError } from '../../errors';
import { assertActsAsAdministrator } from '../administrator';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../enterprise-change.entity';
import { checkNewName, draftDeadline, findOpenChange, loadCertifiedEnterprise, nextChangeSeq, recertificationOpen } from './change-rules';
import { activeMemberIds, noticeToUsers } from './notices';
import { raceLostAsOpen } from './race';

const lapsedUseRestart = () =>
  new AppError('conflict', 'RECERTIFICATION_LAPSED', '上次重新认证已失效，请使用“开始重新认证”继续办理', 'The previous re-certification lapsed; use “Restart re-certification” to continue');

export async function startRename(em: EntityManager, args: { enterpriseId: string; actor: AuditActor; newName: string; now?: Date }): Promise<EnterpriseChange> {
  const now = args.now ?? new Date();
  return raceLostAsOpen(em, args.enterpriseId, () =>
    changeAtomically(
      em,
      async () => {
        const enterprise = await loadCertifiedEnterprise(em, args.enterpriseId);
        assertActsAsAdministrator(enterprise, args.actor);
        if (await findOpenChange(em, enterprise.id)) throw recertificationOpen();
        if (enterprise.standing === 'recertifying') throw lapsedUseRestart();
        const newValue = checkNewName(args.newName, enterprise.name);
        const change = em.create(EnterpriseChangeSchema, {
          id: randomUUID(),
          enterpriseId: enterprise.id,
          seq: await nextChangeSeq(em, enterprise.id),
          kind: 'rename',
          status: 'drafting',
          oldValue: enterprise.name,
          newValue,
          startedBy: args.actor.id!,
          deadlineAt: await draftDeadline(em, now),
          createdAt: now,
        });
        enterprise.standing = 'recertifying';
        recordAudit(em, args.actor, {
          action: 'enterprise.rename_started',
          targetType: 'enterprise',
          targetId: enterprise.id,
          enterpriseId: enterprise.id,
          detail: { changeId: change.id, seq: change.seq, oldName: enterprise.name, newName: newValue, deadlineAt: change.deadlineAt!.toISOString() },
          at: now,
        });
        noticeToUsers(
          em,
          enterprise,
          await activeMemberIds(em, enterprise.id),
          {
            kind: 'enterprise.recertifying',
            title: `企业“${enterprise.name}”进入待重新认证`,
            body: `企业“${enterprise.name}”已申请变更企业名称为“${newValue}”。重新认证通过前，不能以该企业身份签署或发起合同。`,
          },
          now,
          args.actor.id,
        );
        await flushOrConflict(em, recertificationOpen);
        return change;
      },
      recertificationOpen,
    ),
  );
}
