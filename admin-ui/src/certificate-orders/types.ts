import type { CertificateOrderStatus } from '../../../domain/certificates/certificate-order-status';

/** A certificate order as GET /api/console/certificate-orders answers it. */
export interface CertificateOrderRow {
  id: string;
  sealId: string;
  sealName: string;
  kind: 'new' | 'renewal';
  status: CertificateOrderStatus;
  open: boolean;
  mayCancel: boolean;
  caOrderId: string | null;
  amountFen: number | null;
  rejectReason: string | null;
  createdByName: string;
  createdAt: string;
  paidAt: string | null;
  issuedAt: string | null;
  endedAt: string | null;
}
