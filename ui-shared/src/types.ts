// Shapes returned by the SealFlow HTTP API (docs/http-api.md). The contract's and the session's are the server's own
// views, imported as types (erased from the UI builds).
import type { ContractView, ParticipantView } from '../../domain/contracts/contract-view';
import type { MemberRole } from '../../domain/enterprises/membership.entity';
import type { MeView, SessionUserView } from '../../domain/identity/me-view';
import type { RealNameStatus } from '../../domain/identity/user.entity';

export type { ParticipantKind, SignerStatus as ParticipantStatus } from '../../domain/contracts/contract-signer.entity';
export type { ContractStatus, VoidReason } from '../../domain/contracts/contract-status';

/** A party of a contract (个人 / 企业 / 部门) in its signing step: the server's own view (domain/contracts/contract-view.ts). */
export type Participant = ParticipantView;

/** A contract as the API sends it (the server's own view; operators' answers add `workflowId` / `temporalUrl`). */
export type Contract = ContractView;

export type { RealNameStatus } from '../../domain/identity/user.entity';
export type { MemberRole } from '../../domain/enterprises/membership.entity';

/** GET /api/auth/me and POST /api/auth/acting: the server's own view (domain/identity/me-view.ts). */
export type Me = MeView;
/** The account (also the `user` of the login and profile answers). */
export type SessionUser = SessionUserView;
/** The enterprise the session acts for (切换至企业), with the caller's role there. */
export type ActingIdentity = NonNullable<Me['acting']>;
export type EnterpriseChoice = Me['enterprises'][number];

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
