import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { CaOrderSnapshot, CaOrderStatus } from '../../integrations/ca-orders/ca-order-gateway';
import { CsrRejected, verifyCertificateRequest } from '../../integrations/ca/local-ca';
import { sealSubjectName } from '../../integrations/ca/seal-subject';
import { CaServiceError, invalidInput, orderNotFound } from '../errors';
import type { PlatformCa } from '../platform-ca';
import { CaAccessTokenSchema, CaOrderEventSchema, CaOrderSchema, CaRevocationSchema, type CaActor, type CaOrderAction, type CaOrderEventRow, type CaOrderRow, type CaRevocationRow } from '../persistence/entities';
import { ALL_STATUSES, cancelRefusal, TRANSITIONS, wrongStatus, type CaTransition } from './order-status';

/**
 * The CA service's use cases. Every transition is one conditional UPDATE (`WHERE id = ? AND
 * status = <from>`) plus its event row in one transaction: of two requests racing for the same
 * transition exactly one changes the row, the other gets a refusal naming the current status.
 */

const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const submitSchema = z.object({
  platformOrderId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  enterpriseName: trimmed(64),
  uscc: z.string().regex(USCC),
  sealId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  sealName: trimmed(64),
  csrPem: z.string().max(16_384),
  validityDays: z.number().int().min(1).max(3650),
  kind: z.enum(['new', 'renewal']),
});
export type SubmitInput = z.infer<typeof submitSchema>;

const ACTIONS: Record<CaTransition, CaOrderAction> = { mark_paid: 'paid', start_audit: 'audit_started', approve: 'issued', reject: 'rejected', cancel: 'cancelled' };

export function parseSubmit(body: unknown): SubmitInput {
  const parsed = submitSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw invalidInput('INVALID_ORDER', `订单信息不完整或格式错误：${fields}`, `Invalid order fields: ${fields}`);
  }
  return parsed.data;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const splitPem = (pem: string | null) => (pem ? (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? []) : []);

export function toSnapshot(o: CaOrderRow): CaOrderSnapshot {
  return {
    caOrderId: o.id,
    status: o.status,
    amountFen: o.amountFen,
    rejectReason: o.rejectReason,
    certificatePem: o.certificatePem,
    chainPem: splitPem(o.chainPem),
    paidAt: iso(o.paidAt),
    auditedAt: iso(o.auditedAt),
    issuedAt: iso(o.issuedAt),
    updatedAt: o.updatedAt.toISOString(),
    serialNumber: o.serialNumber,
    platformOrderId: o.platformOrderId,
    cancelledAt: iso(o.cancelledAt),
    rejectedAt: iso(o.rejectedAt),
  };
}

export async function findOrder(em: EntityManager, id: string): Promise<CaOrderRow> {
  const order = await em.fork().findOne(CaOrderSchema, { id });
  if (!order) throw orderNotFound();
  return order;
}

/** The order placed for a platform order id (404 ORDER_NOT_FOUND when there is none, or the id is not one submit takes). */
export async function findOrderByPlatformId(em: EntityManager, platformOrderId: string): Promise<CaOrderRow> {
  if (!submitSchema.shape.platformOrderId.safeParse(platformOrderId).success) throw orderNotFound();
  const order = await em.fork().findOne(CaOrderSchema, { platformOrderId });
  if (!order) throw orderNotFound();
  return order;
}

/** Accepts an order (待支付). Idempotent on `platformOrderId`: the same request again returns the same order. */
export async function submitOrder(em: EntityManager, input: SubmitInput, priceFen: number, now = new Date()): Promise<{ order: CaOrderRow; created: boolean }> {
  try {
    sealSubjectName(input);
  } catch (err) {
    throw invalidInput('SUBJECT_INVALID', '证书主体信息无效（企业名称、统一社会信用代码或印章）', `Invalid certificate subject: ${(err as Error).message}`);
  }
  try {
    await verifyCertificateRequest(input.csrPem);
  } catch (err) {
    if (err instanceof CsrRejected) throw new CaServiceError(422, err.code, '证书请求（CSR）无效：签名不符、格式错误或密钥不受支持', `Invalid certificate request: ${err.message}`);
    throw err;
  }
  const existing = await em.fork().findOne(CaOrderSchema, { platformOrderId: input.platformOrderId });
  if (existing) return { order: sameRequest(existing, input), created: false };
  const id = randomUUID();
  try {
    await em.fork().transactional(async (tx) => {
      await tx.insert(CaOrderSchema, {
        id,
        ...input,
        amountFen: priceFen,
        status: 'pending_payment',
        rejectReason: null,
        cancelReason: null,
        certificatePem: null,
        chainPem: null,
        serialNumber: null,
        notAfter: null,
        createdAt: now,
        updatedAt: now,
        paidAt: null,
        auditedAt: null,
        issuedAt: null,
        rejectedAt: null,
        cancelledAt: null,
      });
      await tx.insert(CaOrderEventSchema, { orderId: id, action: 'submitted', fromStatus: null, toStatus: 'pending_payment', actor: 'platform', note: input.kind === 'renewal' ? 'renewal' : null, at: now });
    });
  } catch (err) {
    // The same platform order submitted twice at once: the first insert wins, the other returns it.
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const winner = await em.fork().findOne(CaOrderSchema, { platformOrderId: input.platformOrderId });
    if (!winner) throw err;
    return { order: sameRequest(winner, input), created: false };
  }
  return { order: await findOrder(em, id), created: true };
}

function sameRequest(order: CaOrderRow, input: SubmitInput): CaOrderRow {
  if (order.sealId !== input.sealId || order.csrPem.trim() !== input.csrPem.trim() || order.uscc !== input.uscc) {
    throw new CaServiceError(409, 'PLATFORM_ORDER_ID_REUSED', '该平台订单号已用于另一个申请', 'This platform order id was already used for a different request');
  }
  return order;
}

/**
 * Moves an order from the transition's `from` status to its `to` status, atomically, with its
 * event. Returns false when the order was not in `from` (someone else acted first, or never).
 */
async function transition(em: EntityManager, id: string, name: CaTransition, set: Partial<CaOrderRow>, actor: CaActor, note: string | null, now: Date): Promise<boolean> {
  const t = TRANSITIONS[name];
  return em.fork().transactional(async (tx) => {
    const changed = await tx.nativeUpdate(CaOrderSchema, { id, status: t.from }, { ...set, status: t.to, updatedAt: now });
    if (changed !== 1) return false;
    await tx.insert(CaOrderEventSchema, { orderId: id, action: ACTIONS[name], fromStatus: t.from, toStatus: t.to, actor, note, at: now });
    return true;
  });
}

async function refuse(em: EntityManager, id: string, name: CaTransition): Promise<never> {
  throw wrongStatus(name, (await findOrder(em, id)).status);
}

/** The applicant cancels: only before payment. Cancelling a cancelled order again answers the order (idempotent). */
export async function cancelOrder(em: EntityManager, id: string, reason: string, now = new Date()): Promise<CaOrderRow> {
  const note = reason.trim().slice(0, 500) || null;
  if (!(await transition(em, id, 'cancel', { cancelledAt: now, cancelReason: note }, 'platform', note, now))) {
    const order = await findOrder(em, id);
    const refusal = cancelRefusal(order.status);
    if (refusal) throw refusal;
  }
  return findOrder(em, id);
}

/** Staff: 标记已支付 / 开始审核. */
export async function staffStep(em: EntityManager, id: string, name: 'mark_paid' | 'start_audit', now = new Date()): Promise<CaOrderRow> {
  const set: Partial<CaOrderRow> = name === 'mark_paid' ? { paidAt: now } : { auditedAt: now };
  if (!(await transition(em, id, name, set, 'staff', null, now))) await refuse(em, id, name);
  return findOrder(em, id);
}

/**
 * Staff: 审核通过并签发. The certificate is made first (nothing leaves the service until the
 * conditional update has recorded it); if the order changed meanwhile it is discarded.
 */
export async function approveOrder(em: EntityManager, id: string, platformCa: PlatformCa, now = new Date()): Promise<CaOrderRow> {
  const order = await findOrder(em, id);
  if (order.status !== TRANSITIONS.approve.from) throw wrongStatus('approve', order.status);
  const ca = await platformCa.get();
  const issued = await ca.issueFromCsr(order.csrPem, order, order.validityDays);
  const set: Partial<CaOrderRow> = {
    issuedAt: now,
    certificatePem: issued.certificatePem,
    chainPem: ca.chainPem().join(''),
    serialNumber: issued.serialNumber,
    notAfter: issued.notAfter,
  };
  if (!(await transition(em, id, 'approve', set, 'staff', `serial ${issued.serialNumber}`, now))) await refuse(em, id, 'approve');
  return findOrder(em, id);
}

/** Staff: 驳回 with a reason the applicant sees. */
export async function rejectOrder(em: EntityManager, id: string, reason: string, now = new Date()): Promise<CaOrderRow> {
  const text = reason.trim();
  if (!text || [...text].length > 200) throw invalidInput('REASON_REQUIRED', '请填写驳回原因（200 字以内）', 'A rejection reason (at most 200 characters) is required');
  if (!(await transition(em, id, 'reject', { rejectedAt: now, rejectReason: text }, 'staff', text, now))) await refuse(em, id, 'reject');
  return findOrder(em, id);
}

/** Records the revocation of a certificate this CA issued. Idempotent per serial number: the first revocation stands. */
export async function revokeCertificate(em: EntityManager, serialNumber: string, reason: string, now = new Date()): Promise<CaRevocationRow> {
  const serial = serialNumber.trim().toLowerCase();
  const text = reason.trim();
  if (!text || [...text].length > 200) throw invalidInput('REASON_REQUIRED', '请填写吊销原因（200 字以内）', 'A revocation reason (at most 200 characters) is required');
  if (!/^[0-9a-f]{1,64}$/.test(serial)) throw invalidInput('SERIAL_INVALID', '证书序列号格式错误', 'The serial number must be hexadecimal');
  const order = await em.fork().findOne(CaOrderSchema, { serialNumber: serial });
  if (!order) throw new CaServiceError(404, 'CERTIFICATE_NOT_FOUND', '该证书不是本 CA 签发的', 'No certificate with this serial number was issued by this CA');
  try {
    await em.fork().transactional(async (tx) => {
      await tx.insert(CaRevocationSchema, { serialNumber: serial, orderId: order.id, reason: text, revokedAt: now });
      await tx.insert(CaOrderEventSchema, { orderId: order.id, action: 'revoked', fromStatus: order.status, toStatus: order.status, actor: 'platform', note: text, at: now });
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
  }
  return (await em.fork().findOne(CaRevocationSchema, { serialNumber: serial }))!;
}

export async function revocationList(em: EntityManager): Promise<CaRevocationRow[]> {
  return em.fork().find(CaRevocationSchema, {}, { orderBy: { revokedAt: 'asc', serialNumber: 'asc' } });
}

/** 'good' (issued here, not revoked), 'revoked' or 'unknown' (not issued by this CA). */
export async function certificateStatus(em: EntityManager, serialNumber: string): Promise<{ status: 'good' | 'revoked' | 'unknown'; revokedAt: string | null; reason: string | null }> {
  const serial = serialNumber.trim().toLowerCase();
  const revoked = await em.fork().findOne(CaRevocationSchema, { serialNumber: serial });
  if (revoked) return { status: 'revoked', revokedAt: revoked.revokedAt.toISOString(), reason: revoked.reason };
  const order = await em.fork().findOne(CaOrderSchema, { serialNumber: serial });
  return { status: order ? 'good' : 'unknown', revokedAt: null, reason: null };
}

export async function orderEvents(em: EntityManager, id: string): Promise<CaOrderEventRow[]> {
  return em.fork().find(CaOrderEventSchema, { orderId: id }, { orderBy: { id: 'asc' } });
}

export interface OrderFilter {
  status?: CaOrderStatus;
  /** Part of the enterprise name, the USCC, the seal name or an order id. */
  q?: string;
  page?: number;
}

export const PAGE_SIZE = 50;

export async function listOrders(em: EntityManager, filter: OrderFilter): Promise<{ orders: CaOrderRow[]; total: number }> {
  const where: Record<string, unknown> = {};
  if (filter.status && ALL_STATUSES.includes(filter.status)) where.status = filter.status;
  const q = filter.q?.trim();
  if (q) {
    // (% and _ in the query act as wildcards: harmless in a staff search.)
    const like = `%${q}%`;
    where.$or = [{ enterpriseName: { $like: like } }, { uscc: { $like: like } }, { sealName: { $like: like } }, { id: q }, { platformOrderId: q }];
  }
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const [orders, total] = await em.fork().findAndCount(CaOrderSchema, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { orders, total };
}

const ACCESS_TOKEN_TTL_MS = 7 * 86_400_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A fresh applicant link token for the order (random; only its hash is stored; valid 7 days). */
export async function mintAccessToken(em: EntityManager, orderId: string, now = new Date()): Promise<string> {
  await findOrder(em, orderId);
  const token = randomBytes(32).toString('base64url');
  await em.fork().nativeDelete(CaAccessTokenSchema, { expiresAt: { $lte: now } });
  await em.fork().insert(CaAccessTokenSchema, { tokenHash: sha256(token), orderId, expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_MS), createdAt: now });
  return token;
}

/** The order an applicant link opens, or null for a wrong, expired or other order's token. */
export async function orderForAccessToken(em: EntityManager, orderId: string, token: string, now = new Date()): Promise<CaOrderRow | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await em.fork().findOne(CaAccessTokenSchema, { tokenHash: sha256(token), orderId, expiresAt: { $gt: now } });
  if (!row) return null;
  return em.fork().findOne(CaOrderSchema, { id: orderId });
}
