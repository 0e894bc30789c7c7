import type { EntityManager } from '@mikro-orm/core';
import { ENTERPRISE_STATUS_LABELS } from '../../domain/enterprises/enterprise-roles';
import { EnterpriseChangeSchema, OPEN_CHANGE_STATUSES } from '../../domain/enterprises/enterprise-change.entity';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import { getSetting } from '../../domain/platform/settings';

/** An enterprise as the portal and consoles see it. */
export async function presentEnterprises(em: EntityManager, rows: Enterprise[]) {
  const sealTypes = await getSetting(em, 'sealTypes');
  // 待重新认证 (issue 9): the open re-certification of each enterprise that has one.
  const recertifying = rows.filter((e) => e.standing === 'recertifying').map((e) => e.id);
  const openChanges = recertifying.length ? await em.find(EnterpriseChangeSchema, { enterpriseId: { $in: recertifying }, kind: 'rename', status: { $in: OPEN_CHANGE_STATUSES } }) : [];
  return rows.map((e) => {
    const open = openChanges.find((c) => c.enterpriseId === e.id);
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
      standing: e.standing,
      openChange: open ? { id: open.id, status: open.status, newValue: open.newValue } : null,
    };
  });
}

export async function presentEnterprise(em: EntityManager, e: Enterprise) {
  return (await presentEnterprises(em, [e]))[0]!;
}
