import type { EntityManager } from '@mikro-orm/core';
import { ENTERPRISE_STATUS_LABELS } from '../../domain/enterprises/enterprise-roles';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import { getSetting } from '../../domain/platform/settings';

/** An enterprise as the portal and consoles see it. */
export async function presentEnterprises(em: EntityManager, rows: Enterprise[]) {
  const sealTypes = await getSetting(em, 'sealTypes');
  return rows.map((e) => {
    const applied = JSON.parse(e.appliedSealTypes) as string[];
    return {
      id: e.id,
      name: e.name,
      uscc: e.uscc,
      legalRepresentative: e.legalRepresentative,
      status: e.status,
      statusLabel: ENTERPRISE_STATUS_LABELS[e.status].zh,
      statusLabelEn: ENTERPRISE_STATUS_LABELS[e.status].en,
      rejectReason: e.rejectReason,
      sealTypes: applied,
      sealTypeNames: applied.map((c) => sealTypes.find((t) => t.code === c)?.name ?? c),
      certifierUserId: e.certifierUserId,
      adminUserId: e.adminUserId,
      submittedAt: e.submittedAt.toISOString(),
      certifiedAt: e.certifiedAt?.toISOString() ?? null,
    };
  });
}

export async function presentEnterprise(em: EntityManager, e: Enterprise) {
  return (await presentEnterprises(em, [e]))[0]!;
}
