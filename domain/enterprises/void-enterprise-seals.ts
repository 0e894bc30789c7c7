/**
 * 作废印章 (issue 9), shared by 提交重新认证 (all seals) and 变更法人 (the 法定代表人章): in the
 * caller's unit of work (the caller flushes, one transaction), the enterprise's live seals of the
 * given types are voided (status 'voided', voidedAt, voidReason, voidedByChangeId; the live key is
 * freed), every authorisation of them is deleted (at the caller's flushOrConflict / flushHoldingVersions), and their active certificates are revoked locally
 * (the CA push follows after the commit). Each step is audited. Seals already voided are left alone,
 * so a second call finds nothing to do.
 */
import type { EntityManager } from '@mikro-orm/core';
import { revokeCertificatesLocally } from '../certificates/revoke-certificates';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import type { SealTypeCode } from '../seals/seal-types';
import { writeNativelyAtFlush } from '../persistence/concurrency';
import { deleteAuthorization } from './seal-authorizations';
import { SealAuthorizationSchema, SealSchema, type SealVoidReason } from './seal.entities';

export interface VoidSealsResult {
  sealIds: string[];
  certificateIds: string[];
  /** Members whose seal authorisations were removed. */
  affectedUserIds: string[];
}

export async function voidEnterpriseSeals(
  em: EntityManager,
  args: { enterpriseId: string; types: 'all' | readonly SealTypeCode[]; reason: SealVoidReason; changeId: string; actor: AuditActor; now?: Date },
): Promise<VoidSealsResult> {
  const now = args.now ?? new Date();
  const seals = await em.find(
    SealSchema,
    { enterpriseId: args.enterpriseId, status: { $ne: 'voided' }, ...(args.types === 'all' ? {} : { type: { $in: [...args.types] } }) },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  if (seals.length === 0) return { sealIds: [], certificateIds: [], affectedUserIds: [] };
  const sealIds = seals.map((s) => s.id);
  for (const seal of seals) {
    const before = seal.status;
    Object.assign(seal, { status: 'voided', voidedAt: now, voidReason: args.reason, voidedByChangeId: args.changeId, updatedAt: now });
    recordAudit(em, args.actor, {
      action: 'seal.voided',
      targetType: 'seal',
      targetId: seal.id,
      enterpriseId: args.enterpriseId,
      detail: { name: seal.name, type: seal.type, departmentName: seal.departmentName, previousStatus: before, reason: args.reason, changeId: args.changeId },
      at: now,
    });
  }
  const authorizations = await em.find(SealAuthorizationSchema, { enterpriseId: args.enterpriseId, sealId: { $in: sealIds } }, { orderBy: { grantedAt: 'asc', id: 'asc' } });
  // Deleted in the caller's flush (flushOrConflict / flushHoldingVersions), each audited only if this DELETE removed it:
  // one that went meanwhile (lapsed in the daily sweep, revoked in another tab) was audited by the change that removed it.
  for (const a of authorizations) {
    writeNativelyAtFlush(em, async () => {
      if (await deleteAuthorization(em, a)) recordAudit(em, args.actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: a.sealId, enterpriseId: args.enterpriseId, detail: { member: a.userId, reason: args.reason, changeId: args.changeId }, at: now });
    });
  }
  const certificateIds = await revokeCertificatesLocally(em, { sealIds, reason: args.reason, actor: args.actor, now });
  return { sealIds, certificateIds, affectedUserIds: [...new Set(authorizations.map((a) => a.userId))] };
}
