import type { ApiDeps } from '../deps';
import type { RouteDef } from '../http/route';
import { adminRoutes } from './admin';
import { adminCertificateRoutes } from './admin-certificates';
import { adminRecertificationRoutes } from './admin-recertifications';
import { adminTemplateRoutes } from './admin-templates';
import { adminReviewRoutes } from './admin-reviews';
import { adminTransferRoutes } from './admin-transfers';
import { authRoutes } from './auth';
import { certificateOrderRoutes } from './certificate-orders';
import { consoleRoutes } from './console';
import { contractActionRoutes } from './contract-actions';
import { contractBatchSignRoutes } from './contract-batch-sign';
import { contractSignOptionRoutes } from './contract-sign-options';
import { contractTrailRoutes } from './contract-trail';
import { contractListRoutes } from './contract-lists';
import { contractReadRoutes } from './contract-read';
import { contractStartRoutes } from './contracts-start';
import { enterpriseInfoRoutes } from './enterprise-info';
import { enterpriseRoutes } from './enterprises';
import { meRoutes } from './me';
import { sealRoutes } from './seals';
import { notificationRoutes } from './notifications';
import { platformSettingRoutes } from './platform-settings';
import { signatureRoutes } from './signatures';
import { templateGenerationRoutes } from './template-generation';
import { templateLibraryRoutes } from './template-library';
import { templateRoutes } from './templates';
import { verificationRoutes } from './verifications';

/** Every API route (mounted under /api). The access-control matrix test walks this list. */
export function allRoutes(deps: ApiDeps): RouteDef[] {
  return [
    ...authRoutes(deps),
    ...meRoutes(deps),
    ...signatureRoutes(deps),
    ...notificationRoutes(deps),
    ...enterpriseRoutes(deps),
    ...adminTransferRoutes(deps),
    ...consoleRoutes(deps),
    ...enterpriseInfoRoutes(deps),
    ...sealRoutes(deps),
    ...certificateOrderRoutes(deps),
    // Before the contract routes: /contracts/batch-sign/…, /contracts/counts and /contracts/download are not contract ids.
    ...contractBatchSignRoutes(deps),
    ...contractListRoutes(deps),
    ...templateGenerationRoutes(deps),
    ...contractStartRoutes(deps),
    // sms-code / sign dispatch on the contract's lifecycle (v1 and v2).
    ...contractActionRoutes(deps),
    ...contractSignOptionRoutes(deps),
    ...contractReadRoutes(deps),
    ...contractTrailRoutes(deps),
    ...verificationRoutes(deps),
    ...templateLibraryRoutes(deps),
    ...templateRoutes(deps),
    ...adminRoutes(deps),
    ...adminReviewRoutes(deps),
    ...platformSettingRoutes(deps),
    ...adminCertificateRoutes(deps),
    ...adminRecertificationRoutes(deps),
    ...adminTemplateRoutes(deps),
  ];
}
