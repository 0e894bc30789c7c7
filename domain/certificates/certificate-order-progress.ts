/**
 * The steps of a certificate order that talk to the CA (run by the CertificateOrderWorkflow's
 * activities, activities/certificate-order-activities.ts): submit (key pair + CSR, then the CA
 * order), record what the CA says (one snapshot → at most one status change, through
 * certificate-order-status.ts, version-checked, audited), cancel at the CA, store the issued
 * certificate. Each step is safe to repeat: the activity retries infrastructure failures.
 *
 * The private key is generated here, encrypted at once (MASTER_KEY) and only its ciphertext is
 * stored; it never leaves this module in plaintext except to be decrypted for signing.
 *
 * Submitting races the API's compensation (certificate-orders.ts `abandonUnstartedOrder`: a workflow
 * start that timed out but ran). Exactly one wins, in the database: right before the CA call the
 * submit claims the order with a conditional UPDATE (`status = 待提交`; stamps `submittedAt`, the
 * time it went to the CA; moves the version on), and the abandon only ends an order that is still
 * 待提交, unclaimed and without a CA order id. A claim that changes no row (the order ended) calls
 * no CA and answers the order as it is; an abandon that changes no row leaves the order to its
 * workflow (it is running: its activity made the claim).
 *
 * One rule for the CA side of an ended order: **an order that has ended on the platform keeps no
 * open order at the CA.** Wherever a step meets a CA order for a locally ended order — the submit's
 * answer arriving after the order ended meanwhile, or a repeated submit of a cancelled order that
 * holds a CA order id — it records the CA order id first (so a retry finds it), then cancels it at
 * the CA (idempotent there: an order already cancelled answers as such). A CA refusal (paid
 * meanwhile) is audited and left to the CA's staff: the platform's order stays ended. The status
 * never moves out of an ended state for a CA answer (certificate-order-status.ts).
 *
 * 撤销 and the submit deadline end a 待提交 order without a CA order id here, claimed or not
 * (`cancelCertificateOrder`, certificate-orders.ts `endOrderNotAtCa`). A submit still at the CA
 * then meets the ended order with the CA's answer — at its read after the answer, or at its write
 * (the ending moved the version on) — and cancels the CA order. A CA that took the order while
 * every answer was lost or unreadable (the submit's retries ran out before the ending): the ending's
 * audit says `claimed: true`, and the ending itself (and any repeat of it or of the submit) asks the
 * CA for the order placed under the platform order id (`findByPlatformOrderId`, which never creates
 * one) and cancels it the same way — a best effort: with the CA unreachable then, the ending still
 * answers 已撤销. Whatever such a step could not settle (the CA unreachable, a submit the CA committed only after
 * the lookup, a run terminated in Temporal UI) the reconciler settles later: its sweep
 * (settle-ended-orders-at-ca.ts) asks the CA again about every recently cancelled order whose submit was claimed.
 */
import type { EntityManager } from '@mikro-orm/core';
import { createKeyAndCsr } from '../../integrations/ca/csr';
import { encryptSecret } from '../../integrations/ca/key-encryption';
import { isCaRefusal, type CaOrderGateway, type CaOrderSnapshot, type CaOrderStatus, type CaRefusal } from '../../integrations/ca-orders/ca-order-gateway';
import { AuditEventSchema } from '../audit/audit-event.entity';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import type { AuditAction } from '../audit/audit-actions';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema } from '../enterprises/seal.entities';
import { AppError } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { concurrentChange, flushOrConflict, isConcurrentChange, updateWhere } from '../persistence/concurrency';
import { getSetting } from '../platform/settings';
import { canTransitionOrder, endsWithoutCa, isFinalOrderStatus, mayCancelOrder, type CertificateOrderStatus } from './certificate-order-status';
import { endOrderNotAtCa } from './certificate-orders';
import { CertificateOrderSchema, type CertificateOrder } from './certificate-order.entity';
import { fitSubjectName } from '../../integrations/ca/seal-subject';

/** What a step tells the workflow: the order's status now, and when to ask the CA next. */
export interface OrderProgress {
  status: CertificateOrderStatus;
  /** The CA reports 已签发: the workflow stores the certificate next (storeIssuedCertificate). */
  caIssued: boolean;
  nextPollSeconds: number;
}

const AUDIT_OF: Record<Exclude<CertificateOrderStatus, 'pending_submission'>, AuditAction> = {
  pending_payment: 'certificate_order.submitted',
  paid: 'certificate_order.paid',
  auditing: 'certificate_order.auditing',
  issued: 'certificate_order.issued',
  rejected: 'certificate_order.rejected',
  cancelled: 'certificate_order.cancelled',
};

const orderEnded = () => new AppError('conflict', 'CERTIFICATE_ORDER_ENDED', '该证书订单已结束', 'This certificate order has ended');

async function loadOrder(em: EntityManager, orderId: string): Promise<CertificateOrder> {
  const order = await em.findOne(CertificateOrderSchema, { id: orderId }, { refresh: true });
  if (!order) throw new AppError('not_found', 'CERTIFICATE_ORDER_NOT_FOUND', '证书订单不存在', 'Certificate order not found');
  return order;
}

const pollSeconds = async (em: EntityManager) => Math.max(1, Math.round(Number(await getSetting(em, 'caPollIntervalSeconds')) || 300));
const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * Applies a CA snapshot to the order (without flushing). The CA's 已签发 is NOT applied here: the
 * order becomes 已签发 only together with its stored certificate (storeIssuedCertificate).
 * A snapshot that would move the order backwards is stale and ignored.
 */
function applySnapshot(em: EntityManager, order: CertificateOrder, snap: CaOrderSnapshot, actor: AuditActor, now: Date): void {
  order.caOrderId ??= snap.caOrderId;
  order.amountFen = snap.amountFen;
  order.lastPolledAt = now;
  order.paidAt ??= date(snap.paidAt);
  order.auditedAt ??= date(snap.auditedAt);
  const target: CertificateOrderStatus = snap.status === 'issued' ? order.status : snap.status;
  if (!canTransitionOrder(order.status, target)) return;
  const from = order.status;
  order.status = target;
  if (target === 'pending_payment') order.submittedAt ??= now;
  if (target === 'rejected' || target === 'cancelled') {
    order.endedAt = now;
    order.rejectReason = snap.rejectReason ?? order.rejectReason;
  }
  recordAudit(em, actor, { action: AUDIT_OF[target as keyof typeof AUDIT_OF], targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { from, to: target, caOrderId: snap.caOrderId, ...(order.rejectReason && target !== 'pending_payment' ? { reason: order.rejectReason } : {}) }, at: now });
}

async function progressOf(em: EntityManager, order: CertificateOrder, caStatus: CaOrderStatus | null): Promise<OrderProgress> {
  return { status: order.status, caIssued: caStatus === 'issued' && order.status !== 'issued', nextPollSeconds: await pollSeconds(em) };
}

/**
 * Submit: generates the seal's key pair and CSR once (kept encrypted on the order), claims the
 * submission (see the header: it loses to an abandon that ended the order first), then places the
 * order at the CA (idempotent on the order id, so a retry after a lost answer finds the same CA order).
 * A CA refusal (CaRefusal) ends the order as 已驳回 with the CA's reason (retrying would not help).
 */
export async function submitCertificateOrder(em: EntityManager, gateway: CaOrderGateway, masterKey: string, orderId: string, now = new Date()): Promise<OrderProgress> {
  let order = await loadOrder(em, orderId);
  if (order.status !== 'pending_submission') return cancelClaimedAtCa(em, gateway, order, now); // a repeated submit: already there, or ended (its CA order cancelled)
  const seal = await em.findOneOrFail(SealSchema, { id: order.sealId });
  // Never claimed: nothing reached the CA, nothing to cancel there. Claimed before, the CA may hold it: submit on, it is cancelled below.
  if (seal.status === 'voided' && !order.submittedAt) return endForVoidedSeal(em, order, now);
  const enterprise = await em.findOneOrFail(EnterpriseSchema, { id: order.enterpriseId });
  if (!order.csrPem) {
    const { csrPem, privateKeyPem } = await createKeyAndCsr({ commonName: enterprise.name, organization: enterprise.name, organizationalUnit: seal.name });
    order.csrPem = csrPem;
    order.privateKeyEncrypted = encryptSecret(privateKeyPem, masterKey);
    try {
      await flushOrConflict(em); // version-checked: a parallel attempt that stored its key first wins, and so does an abandon
    } catch (err) {
      if (!isConcurrentChange(err)) throw err;
      em.clear(); // the lost change is dropped; the claim below decides on the row as it is now
    }
  }
  const claimed = await updateWhere(em, CertificateOrderSchema, { id: orderId, status: 'pending_submission' }, { submittedAt: order.submittedAt ?? now });
  order = await loadOrder(em, orderId);
  if (claimed !== 1) return cancelClaimedAtCa(em, gateway, order, now); // ended meanwhile (abandoned, voided): the CA is not asked to take it
  if (!order.csrPem) throw new Error(`certificate order ${orderId}: changed while its key was stored; retry`);
  let snap: CaOrderSnapshot;
  try {
    snap = await gateway.submit({
      platformOrderId: order.id,
      // Names past X.509's 64 characters are cut (the CA refuses longer ones; the binding is USCC + seal id).
      enterpriseName: fitSubjectName(enterprise.name),
      uscc: enterprise.uscc,
      sealId: seal.id,
      sealName: fitSubjectName(seal.name),
      csrPem: order.csrPem,
      validityDays: Number(await getSetting(em, 'certificateValidityDays')) || 365,
      kind: order.kind,
    });
  } catch (err) {
    if (!isCaRefusal(err)) throw err;
    // The CA will not take this order (e.g. the enterprise's data is refused): it ends here, with the CA's reason.
    return endRefusedByCa(em, order, err, now);
  }
  order = await loadOrder(em, orderId); // as it is now, after the CA's answer
  if (isFinalOrderStatus(order.status)) {
    await cancelBehindEndedOrder(em, gateway, order, snap.caOrderId, now);
    return progressOf(em, order, null);
  }
  applySnapshot(em, order, snap, SYSTEM_ACTOR, now);
  try {
    await flushOrConflict(em);
  } catch (err) {
    if (!isConcurrentChange(err)) throw err;
    // Changed between the read above and this write: if it ended meanwhile (撤销, the submit deadline),
    // the CA order is cancelled (the header's rule); a retry of this submit would no longer know its id.
    em.clear();
    order = await loadOrder(em, orderId);
    if (isFinalOrderStatus(order.status)) {
      await cancelBehindEndedOrder(em, gateway, order, snap.caOrderId, now);
      return progressOf(em, order, null);
    }
    throw err;
  }
  if (order.status === 'pending_payment' && (await sealVoided(em, order))) return cancelForVoidedSeal(em, gateway, order.id, now);
  return progressOf(em, order, snap.status);
}

/**
 * A cancelled order whose submit was claimed keeps no open order at the CA (header): its CA order — the one it
 * recorded, or, when every answer of the submit was lost, the one the CA placed under the platform order id — is
 * cancelled there unless that was settled before (cancelBehindEndedOrder: once). Any other order answers its status
 * (never claimed: it never reached the CA); this is also the answer of a submit of an order no longer 待提交. The
 * lookup is a best effort: the order has ended on the platform, and a 撤销 or a deadline must not fail because the CA
 * cannot be asked now (the CA unreachable is why a submit's answers get lost in the first place); then it is logged,
 * and the reconciler's sweep (settle-ended-orders-at-ca.ts) asks again later.
 */
async function cancelClaimedAtCa(em: EntityManager, gateway: CaOrderGateway, order: CertificateOrder, now: Date): Promise<OrderProgress> {
  if (!cancelledAfterClaim(order)) return progressOf(em, order, null);
  let caOrderId: string | null;
  try {
    caOrderId = await caOrderOfEndedOrder(gateway, order);
  } catch (err) {
    console.warn(`[certificate-order] ${order.id}: cancelled on the platform after its submit was claimed; the CA could not be asked for an order under this id (the reconciler asks again): ${(err as Error).message}`);
    return progressOf(em, order, null);
  }
  if (caOrderId) await cancelBehindEndedOrder(em, gateway, order, caOrderId, now);
  return progressOf(em, order, null);
}

/** A cancelled order that may have an order at the CA: its submit was claimed, or it holds a CA order id. */
const cancelledAfterClaim = (order: CertificateOrder) => order.status === 'cancelled' && (order.submittedAt !== null || order.caOrderId !== null);

/** The CA order behind an ended order: the one it recorded, else the one the CA placed under the platform order id (null: none). Throws when the CA cannot be asked. */
async function caOrderOfEndedOrder(gateway: CaOrderGateway, order: CertificateOrder): Promise<string | null> {
  return order.caOrderId ?? (await gateway.findByPlatformOrderId(order.id))?.caOrderId ?? null;
}

/** The CA side of an ended order after it was settled: no CA order, one settled by an earlier step, or cancelled / refused (paid meanwhile) now. */
export type EndedOrderAtCa = 'none' | 'settled_before' | 'cancelled' | 'refused';

/**
 * The header's rule, for the reconciler's sweep (settle-ended-orders-at-ca.ts): the CA order behind a cancelled order
 * whose submit was claimed is cancelled at the CA unless that was settled before. Unlike 撤销's own best effort, a CA
 * that cannot be asked (lookup or cancel) throws, so the sweep reports the order and asks again in a later pass.
 */
export async function settleCancelledOrderAtCa(em: EntityManager, gateway: CaOrderGateway, order: CertificateOrder, now = new Date()): Promise<EndedOrderAtCa> {
  if (!cancelledAfterClaim(order)) return 'none';
  const caOrderId = await caOrderOfEndedOrder(gateway, order);
  return caOrderId ? cancelBehindEndedOrder(em, gateway, order, caOrderId, now) : 'none';
}

const ENDED_ON_PLATFORM_REASON = '证书订单已在平台撤销';

/**
 * The header's rule: the CA holds order `caOrderId` for `order`, which has ended on the platform.
 * The CA order id is recorded first, with its audit row (`certificate_order.ca_order_found`: a retry after a
 * failure below finds it and cancels again), then the CA order is cancelled (audited, `certificate_order.cancelled`
 * with `atCa`). A CA refusal (paid or audited meanwhile) is audited as `certificate_order.ca_cancel_refused`; the
 * platform's order stays as it ended. Two steps settling the same order at the same moment (the reconciler's sweep
 * and a retried 撤销) may both ask the CA, which answers a second cancel as already cancelled.
 */
async function cancelBehindEndedOrder(em: EntityManager, gateway: CaOrderGateway, order: CertificateOrder, caOrderId: string, now: Date): Promise<EndedOrderAtCa> {
  const audit = (action: AuditAction, detail: Record<string, unknown>) =>
    recordAudit(em, SYSTEM_ACTOR, { action, targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { status: order.status, caOrderId, ...detail }, at: now });
  if (!order.caOrderId) {
    order.caOrderId = caOrderId;
    audit('certificate_order.ca_order_found', {});
    await flushOrConflict(em);
  }
  // Already cancelled at the CA by an earlier step (a submit repeated after its answer was lost, or replayed by an
  // operator's Reset): the CA is not asked again and nothing is audited twice.
  if (await settledAtCaBefore(em, order.id, caOrderId)) return 'settled_before';
  let outcome: EndedOrderAtCa;
  try {
    const snap = await gateway.cancel(caOrderId, order.rejectReason ?? ENDED_ON_PLATFORM_REASON);
    audit('certificate_order.cancelled', { atCa: snap.status });
    outcome = 'cancelled';
  } catch (err) {
    if (!isCaRefusal(err)) throw err;
    audit('certificate_order.ca_cancel_refused', { atCa: 'refused', code: err.code, reason: err.messageZh });
    outcome = 'refused';
  }
  await flushOrConflict(em);
  return outcome;
}

/**
 * Whether CA order `caOrderId` of the order is settled at the CA: an audit row says the CA answered the platform's
 * cancel of an ended order (`atCa`: 已撤销, or refused — paid or audited meanwhile, left to the CA's staff; rows from
 * before `certificate_order.ca_cancel_refused` say refused under `certificate_order.cancelled`), or the order itself
 * went 已撤销 on the CA's word (a snapshot applied: 撤销 at the CA, or a poll). Asking again changes nothing.
 */
async function settledAtCaBefore(em: EntityManager, orderId: string, caOrderId: string): Promise<boolean> {
  const rows = await em.find(AuditEventSchema, { action: { $in: ['certificate_order.cancelled', 'certificate_order.ca_cancel_refused'] }, targetType: 'certificate_order', targetId: orderId }, { fields: ['detail'], disableIdentityMap: true });
  return rows.some((r) => {
    const detail = JSON.parse(r.detail ?? '{}') as { caOrderId?: unknown; atCa?: unknown; to?: unknown };
    return detail.caOrderId === caOrderId && (detail.atCa === 'cancelled' || detail.atCa === 'refused' || detail.to === 'cancelled');
  });
}

/** The CA refused the order for good: it ends 已驳回 with the CA's reason (audited). */
async function endRefusedByCa(em: EntityManager, order: CertificateOrder, err: CaRefusal, now: Date): Promise<OrderProgress> {
  const from = order.status;
  order.status = 'rejected';
  order.rejectReason = err.messageZh;
  order.endedAt = now;
  recordAudit(em, SYSTEM_ACTOR, { action: 'certificate_order.rejected', targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { from, to: 'rejected', reason: err.messageZh, code: err.code }, at: now });
  await flushOrConflict(em);
  return progressOf(em, order, null);
}

/** Poll: asks the CA for the order and records what changed. */
export async function pollCertificateOrder(em: EntityManager, gateway: CaOrderGateway, orderId: string, now = new Date()): Promise<OrderProgress> {
  const order = await loadOrder(em, orderId);
  if (!order.caOrderId) throw new AppError('conflict', 'CERTIFICATE_ORDER_NOT_SUBMITTED', '证书订单尚未提交', 'The certificate order has not been submitted');
  if (order.status === 'issued' || order.status === 'rejected' || order.status === 'cancelled') return progressOf(em, order, null);
  let snap: CaOrderSnapshot;
  try {
    snap = await gateway.get(order.caOrderId);
  } catch (err) {
    // The CA no longer knows the order: polling it on would never end.
    if (isCaRefusal(err) && err.code === 'ORDER_NOT_FOUND') return endRefusedByCa(em, order, err, now);
    throw err;
  }
  applySnapshot(em, order, snap, SYSTEM_ACTOR, now);
  await flushOrConflict(em);
  if (order.status === 'pending_payment' && (await sealVoided(em, order))) return cancelForVoidedSeal(em, gateway, order.id, now);
  return progressOf(em, order, snap.status);
}

/** Why an order of a voided seal ends (its seal was voided by 重新认证 or 变更法人 while the order was open). */
export const VOIDED_SEAL_REASON = '印章已作废，证书订单已撤销';

async function sealVoided(em: EntityManager, order: CertificateOrder): Promise<boolean> {
  const seal = await em.findOne(SealSchema, { id: order.sealId }, { fields: ['status'], refresh: true });
  return !seal || seal.status === 'voided';
}

/** 继续认证 (the CA's applicant page: payment, documents) is not offered for an order whose seal was voided. */
export async function assertOrderMayContinue(em: EntityManager, order: CertificateOrder): Promise<void> {
  if (await sealVoided(em, order)) throw new AppError('conflict', 'SEAL_VOIDED', '该印章已作废，无需继续认证；订单将自动撤销', 'The seal was voided: nothing to continue; the order will be cancelled');
}

/** An order not yet at the CA whose seal was voided ends 已撤销 here (audited). */
async function endForVoidedSeal(em: EntityManager, order: CertificateOrder, now: Date): Promise<OrderProgress> {
  const from = order.status;
  Object.assign(order, { status: 'cancelled', rejectReason: VOIDED_SEAL_REASON, endedAt: now });
  recordAudit(em, SYSTEM_ACTOR, { action: 'certificate_order.cancelled', targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { from, to: 'cancelled', reason: VOIDED_SEAL_REASON }, at: now });
  await flushOrConflict(em);
  return progressOf(em, order, null);
}

/**
 * An unpaid order whose seal was voided is cancelled at the CA, so nobody pays for a certificate of a
 * seal that no longer exists. Once paid the CA refuses (its refusal is not an error here): the order
 * goes on, and its certificate is stored revoked when issued (store-issued-certificate.ts).
 */
async function cancelForVoidedSeal(em: EntityManager, gateway: CaOrderGateway, orderId: string, now: Date): Promise<OrderProgress> {
  try {
    return await cancelCertificateOrder(em, gateway, orderId, null, VOIDED_SEAL_REASON, now);
  } catch (err) {
    if (!isCaRefusal(err)) throw err;
    return progressOf(em, await loadOrder(em, orderId), null);
  }
}

/**
 * 撤销: asks the CA to cancel. The CA decides (it refuses once paid or audited, with its reason,
 * thrown as CaRefusal); a refusal known locally (the order is already paid) is answered the same way
 * without asking. An order the platform knows no CA order for (待提交 without a CA order id:
 * `endsWithoutCa`) is not asked about at the CA: it ends here (endOrderNotAtCa, audited, the seal
 * free again). Nothing was paid for it (payment needs the CA order's page, 继续认证), so nothing is
 * refunded. `byUserId` null: the platform (unpaid deadline, submit deadline). An order already 已撤销 (a retry
 * of this step after its change committed, or ended so meanwhile) answers 已撤销: what was asked for holds.
 */
export async function cancelCertificateOrder(em: EntityManager, gateway: CaOrderGateway, orderId: string, byUserId: string | null, reason: string, now = new Date()): Promise<OrderProgress> {
  let order = await loadOrder(em, orderId);
  const user = byUserId ? await em.findOne(UserSchema, { id: byUserId }) : null;
  const actor: AuditActor = user ? { id: user.id, name: user.name, ip: null } : SYSTEM_ACTOR;
  // Idempotent: a retry of a 撤销 whose ending committed (its answer was lost) answers it as done, not as ended.
  if (order.status === 'cancelled') return cancelClaimedAtCa(em, gateway, order, now);
  if (!mayCancelOrder(order.status) && order.status !== 'paid' && order.status !== 'auditing') throw orderEnded();
  if (endsWithoutCa(order)) {
    // Not at the CA as far as the platform knows: ends here. Claimed (`submittedAt`): a submit may still
    // reach the CA; its answer then meets an ended order and cancels the CA order (the header's rule).
    const detail = { from: order.status, to: 'cancelled', reason, claimed: order.submittedAt !== null };
    if (await endOrderNotAtCa(em, orderId, { unclaimedOnly: false, reason, actor, detail }, now)) return cancelClaimedAtCa(em, gateway, await loadOrder(em, orderId), now);
    // Lost to the submit (it recorded the CA order, or moved the order on) or ended meanwhile: decide on the row as it is now.
    order = await loadOrder(em, orderId);
    if (order.status === 'cancelled') return cancelClaimedAtCa(em, gateway, order, now);
    if (isFinalOrderStatus(order.status)) throw orderEnded();
    if (endsWithoutCa(order)) throw concurrentChange();
  }
  if (!order.caOrderId) throw new AppError('conflict', 'CERTIFICATE_ORDER_NOT_SUBMITTED', '证书订单尚未提交，请稍后重试', 'The certificate order has not been submitted yet; retry shortly');
  const snap = await gateway.cancel(order.caOrderId, reason);
  if (snap.status === 'cancelled' && !snap.rejectReason) snap.rejectReason = reason;
  applySnapshot(em, order, snap, actor, now);
  await flushOrConflict(em);
  return progressOf(em, order, snap.status);
}
