/**
 * The CA adapter: how the platform orders a certificate from a certificate authority.
 *
 * A real CA vendor runs an order lifecycle (待支付 → 已支付 → 审核中 → 已签发 / 已驳回, 已撤销);
 * the embedded default is the CA order service in `ca-service/` (its own process), reached over
 * HTTP by `http-ca-order-gateway.ts`. Another vendor is another implementation of this interface.
 *
 * Errors: a business refusal by the CA (e.g. cancel after payment) is a `CaRefusal` — final,
 * never retried, its message is shown to the user. Anything else (network, timeout, 5xx) is a
 * plain `Error`: infrastructure, safe to retry (every call is idempotent or a read).
 */

export type CaOrderStatus = 'pending_payment' | 'paid' | 'auditing' | 'issued' | 'rejected' | 'cancelled';

/** Statuses after which an order never changes again. */
export const FINAL_CA_ORDER_STATUSES: readonly CaOrderStatus[] = ['issued', 'rejected', 'cancelled'];

export interface CaOrderSnapshot {
  caOrderId: string;
  status: CaOrderStatus;
  /** Price in fen (分, 1/100 yuan). */
  amountFen: number;
  rejectReason: string | null;
  /** The issued end-entity certificate (PEM), once status is 'issued'. */
  certificatePem: string | null;
  /** Issuing CA certificate(s) then root (PEM), once issued; empty before. */
  chainPem: string[];
  /** ISO-8601 timestamps. */
  paidAt: string | null;
  auditedAt: string | null;
  issuedAt: string | null;
  updatedAt: string;
  /** Added by V (optional): the issued certificate's serial number (hex, lower case), once issued. */
  serialNumber?: string | null;
  /** Added by V (optional): the platform's order id the order was submitted with. */
  platformOrderId?: string;
  /** Added by V (optional): ISO-8601 time the order was cancelled / rejected. */
  cancelledAt?: string | null;
  rejectedAt?: string | null;
}

export interface CaOrderRequest {
  /** The platform's own order id; submitting the same id twice returns the same CA order. */
  platformOrderId: string;
  enterpriseName: string;
  /** 统一社会信用代码 (18 characters). */
  uscc: string;
  sealId: string;
  sealName: string;
  /** PKCS#10 request (PEM) for the seal's key pair; the platform keeps the private key. */
  csrPem: string;
  validityDays: number;
  kind: 'new' | 'renewal';
}

export interface CaOrderGateway {
  /** Idempotent on `platformOrderId`. */
  submit(req: CaOrderRequest): Promise<CaOrderSnapshot>;
  get(caOrderId: string): Promise<CaOrderSnapshot>;
  /**
   * The CA's order placed for this platform order id, or null when the CA has none: how the platform learns the
   * CA order of a submit whose every answer was lost (it never creates one, unlike a repeated `submit`).
   */
  findByPlatformOrderId(platformOrderId: string): Promise<CaOrderSnapshot | null>;
  /** Throws `CaRefusal` (ORDER_PAID / ORDER_AUDITED / ORDER_FINISHED) when the CA refuses. */
  cancel(caOrderId: string, reason: string): Promise<CaOrderSnapshot>;
  /** The applicant's page at the CA for this order (继续认证). */
  applicantUrl(caOrderId: string): Promise<string>;
  /** Records a revocation at the CA (issue 9). Idempotent per serial number. */
  revokeCertificate(serialNumber: string, reason: string): Promise<void>;
}

/** A business refusal by the CA: final, not retryable; `messageZh`/`messageEn` are for the user. */
export class CaRefusal extends Error {
  constructor(
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(`${messageZh} (${messageEn})`);
    this.name = 'CaRefusal';
  }
}

export const isCaRefusal = (e: unknown): e is CaRefusal => e instanceof CaRefusal || (e instanceof Error && e.name === 'CaRefusal');
