/**
 * A row of the operators' 证书订单 search (GET /api/admin/certificate-orders; admin-ui imports the type): the search
 * row (certificate-search.ts) with its CertificateOrderWorkflow's id and link in Temporal UI (`temporalUrl`: the
 * route's link for a workflow id, from the configured Temporal UI and namespace).
 */
import { certificateOrderWorkflowId } from '../../workflows/clients/certificate-orders';
import type { CertificateOrderSearchRow } from './certificate-search';

export const presentAdminCertificateOrder = (o: CertificateOrderSearchRow, temporalUrl: (workflowId: string) => string) => ({
  ...o,
  workflowId: certificateOrderWorkflowId(o.id),
  temporalUrl: temporalUrl(certificateOrderWorkflowId(o.id)),
});
export type AdminCertificateOrderView = ReturnType<typeof presentAdminCertificateOrder>;
