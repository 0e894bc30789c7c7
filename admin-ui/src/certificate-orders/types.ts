// A certificate order as GET /api/console/certificate-orders answers it is the server's own view (domain/certificates/certificate-order-view.ts), imported as a type.
import type { CertificateOrderView } from '../../../domain/certificates/certificate-order-view';

export type CertificateOrderRow = CertificateOrderView;
