// GET /api/console/enterprise-info (信息管理) and the change rows of a re-certification: the server's shapes
// (domain/enterprises/enterprise-info.ts: readEnterpriseInfo, changeView), imported as types.
import type { EnterpriseChangeKind, EnterpriseChangeStatus } from '../../../domain/enterprises/enterprise-change.entity';
import type { EnterpriseChangeView, EnterpriseInfoView, RecertificationImpact } from '../../../domain/enterprises/enterprise-info';
import type { EnterpriseStanding } from '../../../domain/enterprises/enterprise.entity';

export type { EnterpriseChangeView, EnterpriseStanding, RecertificationImpact };
export type ChangeKind = EnterpriseChangeKind;
export type ChangeStatus = EnterpriseChangeStatus;
export type EnterpriseInfo = EnterpriseInfoView;

export const CONTACT_FIELDS = ['contactName', 'contactMobile', 'contactEmail', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Input limits (the API checks them again). */
export const CONTACT_MAX: Record<ContactField, number> = { contactName: 50, contactMobile: 20, contactEmail: 100, address: 200 };

/** Statuses in which the admin may (re)submit the change. */
export const SUBMITTABLE: ChangeStatus[] = ['drafting', 'awaiting_submission', 'rejected'];
