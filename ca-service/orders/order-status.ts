import type { CaOrderStatus } from '../../integrations/ca-orders/ca-order-gateway';
import { CaServiceError } from '../errors';
import type { CaOrderAction } from '../persistence/entities';

/**
 * The lifecycle of a certificate order at a CA vendor — the one place that says which transition
 * may start from which status:
 *
 *   pending_payment 待支付 ──mark paid──► paid 已支付 ──start audit──► auditing 审核中 ──approve──► issued 已签发
 *          │                                                                  └──reject──► rejected 已驳回
 *          └──cancel (applicant, only before payment)──► cancelled 已撤销
 */
export type CaTransition = 'mark_paid' | 'start_audit' | 'approve' | 'reject' | 'cancel';

export const TRANSITIONS: Record<CaTransition, { from: CaOrderStatus; to: CaOrderStatus; zh: string; en: string }> = {
  mark_paid: { from: 'pending_payment', to: 'paid', zh: '标记已支付', en: 'mark as paid' },
  start_audit: { from: 'paid', to: 'auditing', zh: '开始审核', en: 'start the audit' },
  approve: { from: 'auditing', to: 'issued', zh: '审核通过并签发', en: 'approve and issue' },
  reject: { from: 'auditing', to: 'rejected', zh: '驳回', en: 'reject' },
  cancel: { from: 'pending_payment', to: 'cancelled', zh: '撤销', en: 'cancel' },
};

export const STATUS_LABELS: Record<CaOrderStatus, { zh: string; en: string }> = {
  pending_payment: { zh: '待支付', en: 'Pending payment' },
  paid: { zh: '已支付', en: 'Paid' },
  auditing: { zh: '审核中', en: 'Under audit' },
  issued: { zh: '已签发', en: 'Issued' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

export const ALL_STATUSES = Object.keys(STATUS_LABELS) as CaOrderStatus[];

/** What the applicant should do next (applicant page). */
export const NEXT_STEP: Record<CaOrderStatus, { zh: string; en: string }> = {
  pending_payment: { zh: '请联系 CA 完成支付（对公转账），CA 确认收款后开始审核。', en: 'Please contact the CA to pay (bank transfer); the audit starts once the CA confirms payment.' },
  paid: { zh: 'CA 已确认收款，等待 CA 开始审核。', en: 'The CA has confirmed payment; the audit will start soon.' },
  auditing: { zh: 'CA 正在审核申请材料，通常 1–3 个工作日，请耐心等待。', en: 'The CA is auditing the application, usually within 1–3 working days.' },
  issued: { zh: '证书已签发，请返回平台查看证书，印章即可用于签署。', en: 'The certificate has been issued: return to the platform; the seal can now be used for signing.' },
  rejected: { zh: '申请已被驳回，请根据驳回原因在平台重新申请。', en: 'The application was rejected; apply again on the platform after addressing the reason.' },
  cancelled: { zh: '订单已撤销，无需任何操作。', en: 'The order was cancelled; nothing to do.' },
};

/** Why the applicant can no longer cancel (null: cancelling is allowed, or already done). */
export function cancelRefusal(status: CaOrderStatus): CaServiceError | null {
  switch (status) {
    case 'pending_payment':
    case 'cancelled':
      return null;
    case 'paid':
      return new CaServiceError(409, 'ORDER_PAID', '订单已支付，无法撤销；如需退款请联系 CA', 'The order has been paid and can no longer be cancelled; contact the CA for a refund');
    case 'auditing':
      return new CaServiceError(409, 'ORDER_AUDITED', '订单已进入审核，无法撤销', 'The order is under audit and can no longer be cancelled');
    case 'issued':
    case 'rejected':
      return new CaServiceError(409, 'ORDER_FINISHED', `订单已结束（${STATUS_LABELS[status].zh}），无法撤销`, `The order has ended (${STATUS_LABELS[status].en.toLowerCase()}) and cannot be cancelled`);
  }
}

/** A staff action that does not fit the order's current status (e.g. someone else acted first). */
export function wrongStatus(transition: CaTransition, status: CaOrderStatus): CaServiceError {
  const t = TRANSITIONS[transition];
  return new CaServiceError(
    409,
    'ORDER_STATUS_CHANGED',
    `订单当前为「${STATUS_LABELS[status].zh}」，不能${t.zh}`,
    `The order is ${STATUS_LABELS[status].en.toLowerCase()}; cannot ${t.en}`,
  );
}

/** Event log entries (staff detail page). */
export const ACTION_LABELS: Record<CaOrderAction, { zh: string; en: string }> = {
  submitted: { zh: '提交订单', en: 'Submitted' },
  paid: { zh: '确认收款', en: 'Payment confirmed' },
  audit_started: { zh: '开始审核', en: 'Audit started' },
  issued: { zh: '签发证书', en: 'Certificate issued' },
  rejected: { zh: '驳回', en: 'Rejected' },
  cancelled: { zh: '撤销', en: 'Cancelled' },
  revoked: { zh: '吊销证书', en: 'Certificate revoked' },
};

export const formatYuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
