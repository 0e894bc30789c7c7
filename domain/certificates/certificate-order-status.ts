/**
 * THE certificate order state machine (M14). The workflow, the activities, the API and the UI ask
 * this module what is allowed; it mirrors the CA vendor's lifecycle, with one platform-only state
 * before the order reaches the CA:
 *   待提交 pending_submission → 待支付 pending_payment → 已支付 paid → 审核中 auditing → 已签发 issued
 *                                                                              ↘ 已驳回 rejected
 *   已撤销 cancelled: the applicant cancels while unpaid (the CA refuses later), or the unpaid deadline passes;
 *     an order not yet at the CA (待提交, no CA order id) is cancelled on the platform alone — by the
 *     applicant (撤销) or when its submit deadline passes (the CA could not be reached in time).
 * The CA is the source of truth: a snapshot may skip steps (staff can be faster than one poll), so
 * any forward move is allowed; a move backwards is a stale snapshot and is ignored, never applied.
 */
export const CERTIFICATE_ORDER_STATUSES = ['pending_submission', 'pending_payment', 'paid', 'auditing', 'issued', 'rejected', 'cancelled'] as const;
export type CertificateOrderStatus = (typeof CERTIFICATE_ORDER_STATUSES)[number];

export const FINAL_ORDER_STATUSES: readonly CertificateOrderStatus[] = ['issued', 'rejected', 'cancelled'];
export const OPEN_ORDER_STATUSES: readonly CertificateOrderStatus[] = ['pending_submission', 'pending_payment', 'paid', 'auditing'];

export const CERTIFICATE_ORDER_STATUS_LABELS: Record<CertificateOrderStatus, { zh: string; en: string }> = {
  pending_submission: { zh: '待提交', en: 'Pending submission' },
  pending_payment: { zh: '待支付', en: 'Pending payment' },
  paid: { zh: '已支付', en: 'Paid' },
  auditing: { zh: '审核中', en: 'Under audit' },
  issued: { zh: '已签发', en: 'Issued' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

/** Progress of the open statuses; the final ones come after all of them. */
const RANK: Record<CertificateOrderStatus, number> = { pending_submission: 0, pending_payment: 1, paid: 2, auditing: 3, issued: 4, rejected: 4, cancelled: 4 };

export const isFinalOrderStatus = (s: CertificateOrderStatus) => FINAL_ORDER_STATUSES.includes(s);
export const isOpenOrderStatus = (s: CertificateOrderStatus) => !isFinalOrderStatus(s);

/** Whether an order in `from` may move to `to` (never out of a final status, never backwards, never to 待提交). */
export function canTransitionOrder(from: CertificateOrderStatus, to: CertificateOrderStatus): boolean {
  if (isFinalOrderStatus(from) || from === to) return false;
  return RANK[to] > RANK[from];
}

/**
 * Whether the applicant may cancel in `status`: only before payment. The CA is asked anyway (it has
 * the last word); this only spares a round trip and lets the UI hide the button.
 */
export const mayCancelOrder = (s: CertificateOrderStatus) => s === 'pending_submission' || s === 'pending_payment';

/**
 * Whether 撤销 (or the submit deadline) ends the order on the platform alone: it is 待提交 and the
 * platform knows no CA order for it, so there is nothing to ask the CA. A submit that was claimed
 * and reaches the CA after this ending has its CA order cancelled there
 * (certificate-order-progress.ts, the rule for ended orders).
 */
export const endsWithoutCa = (o: { status: CertificateOrderStatus; caOrderId: string | null }) => o.status === 'pending_submission' && !o.caOrderId;
