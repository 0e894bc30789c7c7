/**
 * A certificate order as the 企业控制台's 证书订单管理 sees it (GET /console/certificate-orders, its detail and every
 * order action's answer): JSON, instants as ISO strings. The console imports the type.
 */
import type { EntityManager } from '@mikro-orm/core';
import { certificateOrderWorkflowId } from '../../workflows/clients/certificate-orders';
import { SealSchema } from '../enterprises/seal.entities';
import { UserSchema } from '../identity/user.entity';
import { CERTIFICATE_ORDER_STATUS_LABELS, isFinalOrderStatus, mayCancelOrder } from './certificate-order-status';
import type { CertificateOrder } from './certificate-order.entity';

export async function presentOrders(em: EntityManager, orders: CertificateOrder[]) {
  const seals = await em.find(SealSchema, { id: { $in: [...new Set(orders.map((o) => o.sealId))] } }, { fields: ['id', 'name', 'type'] });
  const users = await em.find(UserSchema, { id: { $in: [...new Set(orders.map((o) => o.createdBy))] } }, { fields: ['id', 'name'] });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return orders.map((o) => {
    const seal = seals.find((s) => s.id === o.sealId);
    return {
      id: o.id,
      sealId: o.sealId,
      sealName: seal?.name ?? '',
      sealType: seal?.type ?? '',
      kind: o.kind,
      renewsCertificateId: o.renewsCertificateId,
      status: o.status,
      statusLabel: CERTIFICATE_ORDER_STATUS_LABELS[o.status].zh,
      statusLabelEn: CERTIFICATE_ORDER_STATUS_LABELS[o.status].en,
      open: !isFinalOrderStatus(o.status),
      mayCancel: mayCancelOrder(o.status),
      caOrderId: o.caOrderId,
      amountFen: o.amountFen,
      rejectReason: o.rejectReason,
      certificateId: o.certificateId,
      createdByName: users.find((u) => u.id === o.createdBy)?.name ?? '',
      createdAt: iso(o.createdAt),
      submittedAt: iso(o.submittedAt),
      paidAt: iso(o.paidAt),
      auditedAt: iso(o.auditedAt),
      issuedAt: iso(o.issuedAt),
      endedAt: iso(o.endedAt),
      lastPolledAt: iso(o.lastPolledAt),
      workflowId: certificateOrderWorkflowId(o.id),
    };
  });
}
export type CertificateOrderView = Awaited<ReturnType<typeof presentOrders>>[number];
