/**
 * 申请云证书 / 证书续期 (M13, M14), API side: creates order rows; the caller starts one
 * CertificateOrderWorkflow per order (workflows/clients/certificate-orders.ts) and, if that start
 * fails, ends the row with `abandonUnstartedOrder` (compensation). One open order per seal is the
 * database's rule (certificate_orders.live_key): a parallel apply for the same seal gets a 409.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import type { Enterprise } from '../enterprises/enterprise.entity';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { AppError, invalid, notFound } from '../errors';
import { actingHold } from '../enterprises/seal-authorizations';
import type { Membership } from '../enterprises/membership.entity';
import { changeAtomically, flushHoldingVersions, isConcurrentChange, updateWhere } from '../persistence/concurrency';
import { SigningCertificateSchema } from './certificate.entities';
import { CertificateOrderSchema, type CertificateOrder } from './certificate-order.entity';

export const orderOpenForSeal = () => new AppError('conflict', 'CERTIFICATE_ORDER_OPEN', '该印章已有进行中的证书订单', 'This seal already has a certificate order in progress');
const enterpriseNotCertified = () => new AppError('rejected', 'ENTERPRISE_NOT_CERTIFIED', '企业尚未通过认证，不能申请证书', 'The enterprise is not certified and cannot apply for certificates');
const sealNotActive = () => new AppError('rejected', 'SEAL_NOT_ACTIVE', '印章已停用，不能申请证书', 'The seal is disabled and cannot get a certificate');
const sealNotFound = () => notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');

export interface OrderCreator {
  user: { id: string };
  actor: AuditActor;
  /** The administrator's membership as the access check read it: held at the write (an administrator replaced meanwhile orders nothing). */
  membership: Membership;
}

async function usableSeal(em: EntityManager, enterprise: Enterprise, sealId: string): Promise<Seal> {
  if (enterprise.status !== 'certified') throw enterpriseNotCertified();
  const seal = await em.findOne(SealSchema, { id: sealId, enterpriseId: enterprise.id });
  if (!seal) throw sealNotFound();
  if (seal.status !== 'active') throw sealNotActive();
  return seal;
}

function newOrder(em: EntityManager, enterprise: Enterprise, seal: Seal, by: OrderCreator, renewsCertificateId: string | null, now: Date): CertificateOrder {
  const order = em.create(CertificateOrderSchema, {
    id: randomUUID(),
    enterpriseId: enterprise.id,
    sealId: seal.id,
    kind: renewsCertificateId ? 'renewal' : 'new',
    renewsCertificateId,
    status: 'pending_submission',
    caOrderId: null,
    amountFen: null,
    rejectReason: null,
    privateKeyEncrypted: null,
    csrPem: null,
    certificateId: null,
    createdBy: by.user.id,
    createdAt: now,
    submittedAt: null,
    paidAt: null,
    auditedAt: null,
    issuedAt: null,
    endedAt: null,
    lastPolledAt: null,
  });
  recordAudit(em, by.actor, { action: 'certificate_order.created', targetType: 'certificate_order', targetId: order.id, enterpriseId: enterprise.id, detail: { sealId: seal.id, sealName: seal.name, kind: order.kind, renews: renewsCertificateId }, at: now });
  return order;
}

/**
 * Writes new orders holding the administrator's membership. Parallel orders of one administrator
 * conflict on that hold before the live key: the loser is told the seal has an open order when it has.
 */
async function flushOrders(em: EntityManager, by: OrderCreator, sealIds: string[]): Promise<void> {
  try {
    await flushHoldingVersions(em, [actingHold(by.membership)], orderOpenForSeal);
  } catch (err) {
    if (isConcurrentChange(err) && (await em.fork().count(CertificateOrderSchema, { liveKey: { $in: sealIds } }))) throw orderOpenForSeal();
    throw err;
  }
}

/** 申请云证书: a new order for one seal of the acting enterprise (active seal, certified enterprise, no open order). */
export async function applyForSealCertificate(em: EntityManager, enterprise: Enterprise, sealId: string, by: OrderCreator, now = new Date()): Promise<CertificateOrder> {
  return changeAtomically(
    em,
    async () => {
      const seal = await usableSeal(em, enterprise, sealId);
      if (await em.count(CertificateOrderSchema, { liveKey: seal.id })) throw orderOpenForSeal();
      const order = newOrder(em, enterprise, seal, by, null, now);
      await flushOrders(em, by, [seal.id]);
      return order;
    },
    orderOpenForSeal,
  );
}

/**
 * 证书续期: one renewal order per selected seal certificate of the enterprise, all or none (a seal
 * with an open order refuses the whole request). The old certificates stay valid until they expire.
 */
export async function renewCertificates(em: EntityManager, enterprise: Enterprise, certificateIds: string[], by: OrderCreator, now = new Date()): Promise<CertificateOrder[]> {
  const ids = [...new Set(certificateIds)];
  if (ids.length === 0 || ids.length > 50) throw invalid('BAD_CERTIFICATE_SELECTION', '请选择 1–50 张证书', 'Select 1 to 50 certificates');
  return changeAtomically(
    em,
    async () => {
      const certs = await em.find(SigningCertificateSchema, { id: { $in: ids }, ownerType: 'seal', enterpriseId: enterprise.id, status: 'active' });
      if (certs.length !== ids.length) throw notFound('CERTIFICATE_NOT_FOUND', '证书不存在或已吊销', 'Certificate not found or revoked');
      const sealIds = certs.map((c) => c.ownerId);
      if (new Set(sealIds).size !== sealIds.length) throw invalid('DUPLICATE_SEAL', '同一印章只能续期一张证书', 'Select one certificate per seal');
      const orders: CertificateOrder[] = [];
      for (const cert of certs) {
        const seal = await usableSeal(em, enterprise, cert.ownerId);
        if (await em.count(CertificateOrderSchema, { liveKey: seal.id })) throw orderOpenForSeal();
        orders.push(newOrder(em, enterprise, seal, by, cert.id, now));
      }
      await flushOrders(em, by, sealIds);
      return orders;
    },
    orderOpenForSeal,
  );
}

/**
 * Compensation when the order's workflow could not be started: the row ends as 已撤销 (audited)
 * if it is still 待提交, its submission was never claimed (`submittedAt` NULL: see
 * certificate-order-progress.ts, the submit claims it in the database right before it calls the CA)
 * and it has no CA order, which frees the seal for a retry. One conditional UPDATE against the
 * submit's conditional claim: exactly one of them wins. Returns whether it ended the order; false:
 * the workflow did start (a start that timed out but ran) and took the order further — its claim won,
 * or the order moved on — so the order is left to it (it may exist at the CA: ending it here would
 * leave the CA order open). The version moves on, so a submit that loaded the row before cannot
 * write over the ending.
 */
export async function abandonUnstartedOrder(em: EntityManager, orderId: string, now = new Date()): Promise<boolean> {
  return endOrderNotAtCa(em, orderId, { unclaimedOnly: true, reason: '证书订单流程启动失败', actor: SYSTEM_ACTOR, detail: { reason: 'WORKFLOW_START_FAILED' } }, now);
}

/**
 * Ends an order the platform knows no CA order for (待提交, `caOrderId` NULL) as 已撤销 with
 * `reason`, audited (`certificate_order.cancelled`, `detail`), its seal's live key released: one
 * conditional UPDATE, so it loses to a submit that recorded a CA order (or moved the order on) first
 * and the version moves on (a submit that loaded the row before cannot write over the ending).
 * `unclaimedOnly`: only if no submit claimed it either (`submittedAt` NULL; the compensation of a
 * failed workflow start). Returns whether it ended the order.
 */
export async function endOrderNotAtCa(
  em: EntityManager,
  orderId: string,
  how: { unclaimedOnly: boolean; reason: string; actor: AuditActor; detail: Record<string, unknown> },
  now = new Date(),
): Promise<boolean> {
  const where = { id: orderId, status: 'pending_submission' as const, caOrderId: null, ...(how.unclaimedOnly ? { submittedAt: null } : {}) };
  // The ending and its audit row commit together: committed alone, a failure before the audit row lost it for
  // good (a retry's conditional UPDATE then changes nothing, so it audits nothing).
  return em.fork().transactional(async (tx) => {
    const n = await updateWhere(tx, CertificateOrderSchema, where, { status: 'cancelled', rejectReason: how.reason, endedAt: now, liveKey: null });
    if (n !== 1) return false;
    const order = await tx.findOneOrFail(CertificateOrderSchema, { id: orderId }, { fields: ['enterpriseId'] });
    recordAudit(tx, how.actor, { action: 'certificate_order.cancelled', targetType: 'certificate_order', targetId: orderId, enterpriseId: order.enterpriseId, detail: how.detail, at: now });
    return true;
  });
}
