/**
 * 开始重新认证 (issue 9): after a re-certification lapsed (not resubmitted in time) the enterprise
 * stays 待重新认证 with its seals voided; this opens the next change directly in
 * `awaiting_submission` — already past the point of no return, so it cannot be abandoned — with the
 * same resubmission deadline rule. The intended name is carried over from the lapsed change.
 * Only the administrator restarts it (403 ADMIN_CHANGED once replaced): the commit holds the enterprise
 * row with that administrator (`administratorHold`), so a replacement committing meanwhile makes one fail.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../../audit/record-audit';
import { AppError } from '../../errors';
import { changeAtomically, flushHoldingVersions } from '../../persistence/concurrency';
import { administratorHold, assertActsAsAdministrator } from '../administrator';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../enterprise-change.entity';
import { findOpenChange, loadCertifiedEnterprise, nextChangeSeq, recertificationOpen, resubmitDeadline } from './change-rules';
import { raceLostAsOpen } from './race';

const notRecertifying = () => new AppError('conflict', 'NOT_RECERTIFYING', '该企业不在待重新认证状态，无需开始重新认证', 'This enterprise is not awaiting re-certification');

export async function restartRecertification(em: EntityManager, args: { enterpriseId: string; actor: AuditActor; now?: Date }): Promise<EnterpriseChange> {
  const now = args.now ?? new Date();
  return raceLostAsOpen(em, args.enterpriseId, () =>
    changeAtomically(
      em,
      async () => {
        const enterprise = await loadCertifiedEnterprise(em, args.enterpriseId);
        assertActsAsAdministrator(enterprise, args.actor);
        if (await findOpenChange(em, enterprise.id)) throw recertificationOpen();
        if (enterprise.standing !== 'recertifying') throw notRecertifying();
        const previous = await em.findOne(EnterpriseChangeSchema, { enterpriseId: enterprise.id, kind: 'rename' }, { orderBy: { seq: 'desc' } });
        const change = em.create(EnterpriseChangeSchema, {
          id: randomUUID(),
          enterpriseId: enterprise.id,
          seq: await nextChangeSeq(em, enterprise.id),
          kind: 'rename',
          status: 'awaiting_submission',
          oldValue: enterprise.name,
          newValue: previous?.newValue ?? null,
          startedBy: args.actor.id!,
          deadlineAt: await resubmitDeadline(em, now),
          createdAt: now,
        });
        recordAudit(em, args.actor, {
          action: 'enterprise.recertification_restarted',
          targetType: 'enterprise',
          targetId: enterprise.id,
          enterpriseId: enterprise.id,
          detail: { changeId: change.id, seq: change.seq, previousChangeId: previous?.id ?? null, deadlineAt: change.deadlineAt!.toISOString() },
          at: now,
        });
        await flushHoldingVersions(em, [administratorHold(enterprise)], recertificationOpen);
        return change;
      },
      recertificationOpen,
    ),
  );
}
