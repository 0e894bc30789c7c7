// Shapes returned by the SealFlow HTTP API (docs/http-api.md).

export type ContractStatus = 'in_progress' | 'completed' | 'voided';
export type ParticipantStatus = 'waiting' | 'pending' | 'signed' | 'refused';
export type ParticipantKind = 'person' | 'enterprise' | 'department';
export type VoidReason = 'expired' | 'refused' | 'revoked' | 'revoked_by_platform';

/** A party of a contract (个人 / 企业 / 部门) in its signing step. */
export interface Participant {
  id: string;
  step: number;
  kind: ParticipantKind;
  name: string;
  mobileMasked: string;
  status: ParticipantStatus;
  signedAt: string | null;
  /** Who actually signed (the operator for an enterprise). */
  signedByName: string | null;
  refusalReason: string | null;
}

export interface Contract {
  id: string | number;
  title: string;
  contractNo?: string | null;
  status: ContractStatus;
  statusLabel?: string;
  statusLabelEn?: string;
  voidReason: VoidReason | null;
  voidNote?: string | null;
  initiatorId?: string | number;
  initiatorName: string | null;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  voidedAt: string | null;
  pageCount: number;
  documentVersion?: number;
  currentStep?: number;
  participants: Participant[];
  workflowId?: string;
  temporalUrl?: string;
}

export type RealNameStatus = 'unverified' | 'pending' | 'verified' | 'rejected';
export type MemberRole = 'admin' | 'seal_admin' | 'member';

export interface SessionUser {
  id: string | number;
  name: string;
  mobile: string;
  email?: string | null;
  platformRole: 'operator' | null;
  realNameStatus?: RealNameStatus;
  realNameLabel?: string;
  realNameLabelEn?: string;
}

/** The enterprise the session acts for (切换至企业), with the caller's role there. */
export interface ActingIdentity {
  enterpriseId: string;
  enterpriseName: string;
  role: MemberRole;
  roleLabel: string;
  roleLabelEn?: string;
}

export interface EnterpriseChoice {
  id: string;
  name: string;
  role: MemberRole;
  roleLabel: string;
  roleLabelEn?: string;
}

/** GET /api/auth/me and POST /api/auth/acting. */
export interface Me {
  user: SessionUser;
  acting: ActingIdentity | null;
  enterprises: EnterpriseChoice[];
}

/** What authProvider.getPermissions returns (both apps). */
export interface Permissions {
  platformRole: 'operator' | null;
  actingRole: MemberRole | null;
  realNameStatus: RealNameStatus | null;
}

/** 企业控制台 is for the enterprise's 管理员 and 印章管理员. */
export const isConsoleRole = (role: MemberRole | null | undefined) => role === 'admin' || role === 'seal_admin';

/** A configured option: seal types, business types (GET /api/config/...). */
export interface NamedOption {
  code: string;
  name: string;
  nameEn: string;
}

export const optionName = (o: NamedOption, locale: string) => (locale === 'en' ? o.nameEn || o.name : o.name || o.nameEn);

/** A label from the API in the UI locale (zh-CN label plus optional English one). */
export const apiLabel = (zh: string | null | undefined, en: string | null | undefined, locale: string) =>
  (locale === 'en' ? en || zh : zh || en) ?? '';

/** The action label in the UI locale (the API sends actionLabel in zh-CN and actionLabelEn). */
export const actionLabelFor = (e: { action: string; actionLabel?: string; actionLabelEn?: string }, locale: string) =>
  (locale === 'en' ? e.actionLabelEn || e.actionLabel : e.actionLabel || e.actionLabelEn) || e.action;

/** The API records events of the platform itself (workflows, timers) with this actor name. */
const SYSTEM_ACTOR_NAME = '系统';

/** Who did it, in the UI locale: the system actor is translated, people keep their names. */
export const actorNameFor = (e: { actorName: string | null; actorId?: unknown }, translate: (key: string) => string) =>
  e.actorName === SYSTEM_ACTOR_NAME && e.actorId == null ? translate('sf.audit.system') : (e.actorName ?? '—');
