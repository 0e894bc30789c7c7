// The console's resources and pages. Each resource: react-admin resource name (also the URL under
// /admin/), its API path under /api, who may see it, the menu group and the views. Pages are
// custom routes (no data resource) shown in the menu the same way.
// Platform operators see group "platform"; users acting as an enterprise as its 管理员 or
// 印章管理员 see group "enterprise" (企业控制台); `access` narrows further (enterprise_admin).
import type { ComponentType } from 'react';
import type { ResourceProps } from 'react-admin';
import type { Audience } from './access';
import { adminApplicationsResource } from './admin-applications';
import { adminCertificateOrdersResource, adminCertificatesResource } from './admin-certificates';
import { adminTemplatesResource } from './admin-templates';
import { adminTransferPage } from './admin-transfer';
import { auditEventsResource, enterpriseAuditEventsResource } from './audit-events';
import { certificateOrdersResource } from './certificate-orders';
import { certificatesResource } from './certificates';
import { contractsResource } from './contracts';
import { enterpriseInfoPage } from './enterprise-info';
import { enterprisesResource } from './enterprises';
import { joinApplicationsResource } from './join-applications';
import { membersResource } from './members';
import { sealsResource } from './seals';
import { platformSettingsPage } from './platform-settings';
import { realNameApplicationsResource } from './real-name-applications';
import { recertificationsResource } from './recertifications';
import { smsOutboxResource } from './sms-outbox';
import { usersResource } from './users';

export type MenuGroup = 'platform' | 'enterprise';

export interface ConsoleResource {
  name: string;
  apiPath: string;
  group: MenuGroup;
  access: Audience;
  icon: ComponentType;
  list?: ComponentType;
  show?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  recordRepresentation?: ResourceProps['recordRepresentation'];
}

export interface ConsolePage {
  /** Route under /admin/ and menu testid suffix (menu-<name>). */
  name: string;
  group: MenuGroup;
  access: Audience;
  icon: ComponentType;
  element: ComponentType;
  /**
   * The route stays for any logged-in user, only the menu entry follows `access`: a page that
   * outlives the access it needs (转让管理员: the former 管理员 sees the outcome of the transfer
   * after leaving the enterprise) and answers the API's 403 itself.
   */
  keepRoute?: boolean;
}

export const GROUPS: MenuGroup[] = ['platform', 'enterprise'];

export const RESOURCES: ConsoleResource[] = [
  contractsResource,
  usersResource,
  realNameApplicationsResource,
  enterprisesResource,
  recertificationsResource,
  adminApplicationsResource,
  adminCertificateOrdersResource,
  adminCertificatesResource,
  adminTemplatesResource,
  smsOutboxResource,
  auditEventsResource,
  joinApplicationsResource,
  membersResource,
  sealsResource,
  certificateOrdersResource,
  certificatesResource,
  enterpriseAuditEventsResource,
];

export const PAGES: ConsolePage[] = [adminTransferPage, platformSettingsPage, enterpriseInfoPage];

/** Menu order inside the enterprise group: pages go after members. */
export const MENU_ORDER: string[] = [
  'contracts',
  'users',
  'real-name-applications',
  'enterprises',
  'recertifications',
  'admin-applications',
  'admin-certificate-orders',
  'admin-certificates',
  'admin-templates',
  'sms-outbox',
  'audit-events',
  'platform-settings',
  'enterprise-info',
  'join-applications',
  'members',
  'seals',
  'admin-transfer',
  'certificate-orders',
  'certificates',
  'enterprise-audit-events',
];
