// The 操作 filter's choices come from the domain's list of audit actions (the single source of
// the labels the API returns as actionLabel / actionLabelEn), so new actions appear by themselves.
import { AUDIT_ACTIONS } from '../../../domain/audit/audit-actions';

export interface ActionChoice {
  id: string;
  zh: string;
  en: string;
}

const ALL: ActionChoice[] = Object.entries(AUDIT_ACTIONS).map(([id, l]) => ({ id, zh: l.zh, en: l.en }));

/** Actions an enterprise's own log can contain (recorded with its enterpriseId). */
const ENTERPRISE_PREFIXES = ['enterprise.', 'membership.', 'seal.', 'admin.', 'auth.identity_switched', 'certificate_order.', 'certificate.'];

export const auditActionChoices = (scope: 'platform' | 'enterprise'): ActionChoice[] =>
  scope === 'platform' ? ALL : ALL.filter((a) => ENTERPRISE_PREFIXES.some((p) => a.id.startsWith(p)));
