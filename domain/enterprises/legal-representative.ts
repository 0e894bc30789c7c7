/**
 * 变更法人 (issue 9): in one transaction the 法定代表人章 (type legal_rep) is voided, its
 * authorisations removed and its certificates revoked locally (the CA push follows: the revocation
 * sweep), the enterprise's legal representative replaced, and a `legal_representative` change row
 * written as `completed`. No operator review, no workflow. A new 法定代表人章 is created separately
 * in 印章管理. Refused while the enterprise is 待重新认证. Only the administrator changes it (403
 * ADMIN_CHANGED once replaced; the enterprise row's version, written here, orders it against a
 * replacement committing meanwhile).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { assertSealTextDrawable } from '../../documents/seals/enterprise-seal';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid } from '../errors';
import { changeAtomically, flushOrConflict } from '../persistence/concurrency';
import { assertActsAsAdministrator } from './administrator';
import { EnterpriseChangeSchema, type EnterpriseChange } from './enterprise-change.entity';
import { loadCertifiedEnterprise, nextChangeSeq } from './recertification/change-rules';
import { noticeToAdmin, noticeToUsers } from './recertification/notices';
import { voidEnterpriseSeals } from './void-enterprise-seals';

export interface LegalRepresentativeChangeResult {
  change: EnterpriseChange;
  voidedSealIds: string[];
  revokedCertificateIds: string[];
  affectedUserIds: string[];
}

const recertifyingRefusal = () =>
  new AppError('conflict', 'ENTERPRISE_RECERTIFYING', '企业正在重新认证（已变更企业名称），认证通过前不能变更法定代表人', 'The enterprise is being re-certified after a name change; the legal representative cannot be changed until it is approved');

function checkName(raw: string, current: string): string {
  const name = raw.normalize('NFKC').trim();
  if (name.length < 2 || name.length > 50) throw invalid('LEGAL_REPRESENTATIVE_INVALID', '法定代表人姓名应为 2–50 个字符', 'The legal representative’s name must be 2–50 characters');
  if (name === current) throw invalid('LEGAL_REPRESENTATIVE_UNCHANGED', '新法定代表人与当前相同', 'The new legal representative is the same as the current one');
  assertSealTextDrawable(name);
  return name;
}

export async function changeLegalRepresentative(em: EntityManager, args: { enterpriseId: string; actor: AuditActor; legalRepresentative: string; now?: Date }): Promise<LegalRepresentativeChangeResult> {
  const now = args.now ?? new Date();
  return changeAtomically(em, async () => {
    const enterprise = await loadCertifiedEnterprise(em, args.enterpriseId);
    assertActsAsAdministrator(enterprise, args.actor);
    if (enterprise.standing === 'recertifying') throw recertifyingRefusal();
    const newValue = checkName(args.legalRepresentative, enterprise.legalRepresentative);
    const change = em.create(EnterpriseChangeSchema, {
      id: randomUUID(),
      enterpriseId: enterprise.id,
      seq: await nextChangeSeq(em, enterprise.id),
      kind: 'legal_representative',
      status: 'completed',
      oldValue: enterprise.legalRepresentative,
      newValue,
      startedBy: args.actor.id!,
      endedAt: now,
      createdAt: now,
    });
    const voided = await voidEnterpriseSeals(em, { enterpriseId: enterprise.id, types: ['legal_rep'], reason: 'legal_representative_changed', changeId: change.id, actor: args.actor, now });
    const oldValue = enterprise.legalRepresentative;
    enterprise.legalRepresentative = newValue;
    recordAudit(em, args.actor, {
      action: 'enterprise.legal_representative_changed',
      targetType: 'enterprise',
      targetId: enterprise.id,
      enterpriseId: enterprise.id,
      detail: { changeId: change.id, seq: change.seq, old: oldValue, new: newValue, voidedSeals: voided.sealIds, revokedCertificates: voided.certificateIds.length },
      at: now,
    });
    const sealNote = voided.sealIds.length ? `原法定代表人章已作废，其授权已取消、证书已吊销。请在印章管理中创建新的法定代表人章。` : '';
    noticeToAdmin(em, enterprise, { kind: 'enterprise.legal_representative_changed', title: '法定代表人已变更', body: `企业“${enterprise.name}”的法定代表人已由“${oldValue}”变更为“${newValue}”。${sealNote}` }, now);
    noticeToUsers(em, enterprise, voided.affectedUserIds, { kind: 'enterprise.seal_authorizations_removed', title: `您在“${enterprise.name}”的法定代表人章授权已取消`, body: `企业“${enterprise.name}”变更了法定代表人，原法定代表人章已作废，您的授权已取消。` }, now);
    // The enterprise's version and the unique (enterprise, seq) order this against a parallel change.
    await flushOrConflict(em);
    return { change, voidedSealIds: voided.sealIds, revokedCertificateIds: voided.certificateIds, affectedUserIds: voided.affectedUserIds };
  });
}
