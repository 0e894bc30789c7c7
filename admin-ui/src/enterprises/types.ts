import type { EnterpriseView } from '../../../domain/enterprises/enterprise-view';

/**
 * GET /api/admin/enterprises rows and GET /api/admin/enterprises/:id (企业认证审核): the enterprise as the server
 * presents it (domain/enterprises/enterprise-view.ts) with the certifier's name added by api/routes/admin-reviews.ts.
 */
export interface AdminEnterprise extends EnterpriseView {
  certifierName: string;
  /** Only on GET /api/admin/enterprises/:id. */
  authorizationLetterUrl?: string;
}
