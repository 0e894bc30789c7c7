// Shapes of the contract lifecycle v2 API the portal reads (docs/http-api.md, /work issue 8):
// the contract view (GET /contracts/:id and every action's answer) and the list entries.
import type { RidingRule } from '../pdf/placement';

export type ContractStatusV2 = 'in_progress' | 'completed' | 'voided';
export type VoidReasonV2 = 'expired' | 'refused' | 'revoked' | 'revoked_by_platform';
export type ParticipantKind = 'person' | 'enterprise' | 'department';
export type ParticipantStatus = 'waiting' | 'pending' | 'signed' | 'refused';
export type MarkKind = 'personal' | 'name_seal' | 'handwritten' | 'date' | 'seal' | 'riding';

export interface ContractMarkView {
  id: string;
  kind: MarkKind;
  sealType: string | null;
  page: number | null;
  x: number | null;
  y: number | null;
  width: number | null;
  height: number | null;
  pageFrom: number | null;
  pageTo: number | null;
  /** 骑缝章: 骑缝规则 (全部页 / 奇数页 / 偶数页); null on other marks. */
  ridingRule: RidingRule | null;
  preset: boolean;
  applied: boolean;
}

export interface ParticipantView {
  id: string;
  step: number;
  kind: ParticipantKind;
  name: string;
  enterpriseId: string | null;
  departmentName: string | null;
  mobileMasked: string;
  status: ParticipantStatus;
  statusLabel?: string;
  statusLabelEn?: string;
  canRefuse: boolean;
  note: string | null;
  placement: 'preset' | 'free';
  invited: boolean;
  signedAt: string | null;
  signedByName: string | null;
  refusedAt: string | null;
  refusalReason: string | null;
  lastUrgedAt: string | null;
  marks: ContractMarkView[];
  /** Why this party cannot sign now (e.g. its enterprise is 待重新认证), in both languages. */
  blocked?: ParticipantBlock | null;
}

export interface ParticipantBlock {
  code: string;
  message: string;
  messageEn: string;
}

/** What the viewer may do now; `actFor` is the participant id they sign or refuse for. */
export interface ViewerAbilities {
  actFor: string | null;
  canSign: boolean;
  canRefuse: boolean;
  canRevoke: boolean;
  canUrge: boolean;
  isCc: boolean;
}

export interface ContractView {
  id: string;
  title: string;
  contractNo: string | null;
  remarks: string | null;
  status: ContractStatusV2;
  statusLabel?: string;
  statusLabelEn?: string;
  voidReason: VoidReasonV2 | null;
  voidNote: string | null;
  lifecycle: number;
  currentStep: number;
  initiator: { userId: string; name: string; enterpriseId: string | null; enterpriseName: string | null };
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  voidedAt: string | null;
  pageCount: number;
  documentVersion: number;
  participants: ParticipantView[];
  cc: { id: string; name: string }[];
  me: ViewerAbilities;
  workflowId?: string;
  temporalUrl?: string;
}

/** POST /contracts/:id/urge and one item of POST /contracts/urge. */
export interface UrgeOutcome {
  urged: string[];
  /** reason: NOT_PENDING | URGED_RECENTLY | DAILY_LIMIT; message / messageEn say it to the user. */
  skipped: { participantId?: string; name: string; reason: string; message?: string; messageEn?: string }[];
}

export const VOID_REASONS_V2: readonly VoidReasonV2[] = ['expired', 'refused', 'revoked', 'revoked_by_platform'];
