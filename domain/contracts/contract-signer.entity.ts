import { EntitySchema, type Opt } from '@mikro-orm/core';
import { references } from '../persistence/references';

export type SignerStatus = 'waiting' | 'pending' | 'signed' | 'refused';
export type ParticipantKind = 'person' | 'enterprise' | 'department';
export type MarkPlacement = 'preset' | 'free';

/**
 * One participant of a contract (个人 / 企业 / 部门). `order` is the unique position 1..n in the
 * contract; `step` the routing step (participants of one step sign in parallel). v1 contracts
 * (lifecycle 1) have one person per step (step = order) and their position in page/x/y; v2
 * positions live in `contract_marks`.
 */
export interface ContractSigner {
  id: string;
  contractId: string;
  order: number;
  step: Opt<number>;
  kind: Opt<ParticipantKind>;
  /**
   * person: the signer (null while an invited number is not registered yet);
   * enterprise/department: the operator the initiator named, or null = any authorised member.
   */
  userId: string | null;
  enterpriseId: string | null;
  /** 部门: the enterprise's 部门章 of this name. */
  departmentName: string | null;
  /** Person name; enterprise name; `企业名·部门名`. */
  name: string;
  /** Person / named operator mobile; '' if none. */
  mobile: string;
  status: SignerStatus;
  canRefuse: Opt<boolean>;
  placement: Opt<MarkPlacement>;
  note: string | null;
  /** Unregistered at start: an SMS invitation was sent, bound to `mobile`. */
  invited: Opt<boolean>;
  signedAt: Date | null;
  /** Who actually signed (the operator for enterprises). */
  signedByUserId: string | null;
  signedByName: string | null;
  refusedAt: Date | null;
  refusalReason: string | null;
  lastUrgedAt: Date | null;
  /** China-time day ('YYYY-MM-DD') that `urgeCount` counts. */
  urgeDay: string | null;
  urgeCount: Opt<number>;
  /**
   * Signatures this participant applied so far (继续签署: each round is its own PAdES signature;
   * the participant stays pending until a round with `finish`). 0 before the first.
   */
  signedRounds: Opt<number>;
  /** v1 only (v2: contract_marks). */
  page: number | null;
  x: number | null;
  y: number | null;
  fieldName: string;
}

/** A new participant's progress columns: not invited yet, not signed, not refused, never urged, no v1 position. */
export const NEW_PARTICIPANT_PROGRESS = {
  invited: false,
  signedAt: null,
  signedByUserId: null,
  signedByName: null,
  refusedAt: null,
  refusalReason: null,
  lastUrgedAt: null,
  urgeDay: null,
  urgeCount: 0,
  signedRounds: 0,
  page: null,
  x: null,
  y: null,
} as const satisfies Partial<ContractSigner>;

export const ContractSignerSchema = new EntitySchema<ContractSigner>({
  name: 'ContractSigner',
  tableName: 'contract_signers',
  /** The reconciler's look for invitations a start never sent (unbound, not invited: invitations.ts). */
  indexes: [{ properties: ['userId', 'invited'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id', { index: true }),
    order: { type: 'integer', fieldName: 'sign_order' },
    step: { type: 'integer', default: 1 },
    kind: { type: 'string', length: 20, default: 'person' },
    userId: references('User', 'user_id', { index: true, nullable: true }),
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true, nullable: true }),
    departmentName: { type: 'string', length: 100, nullable: true },
    name: { type: 'string', length: 255 },
    /** Indexed: invitations are claimed by mobile at 实名认证. */
    mobile: { type: 'string', length: 20, index: true },
    status: { type: 'string', length: 20 },
    canRefuse: { type: 'boolean', default: false },
    placement: { type: 'string', length: 10, default: 'preset' },
    note: { type: 'string', length: 200, nullable: true },
    invited: { type: 'boolean', default: false },
    signedAt: { type: 'datetime', nullable: true },
    signedByUserId: references('User', 'signed_by_user_id', { nullable: true }),
    signedByName: { type: 'string', length: 100, nullable: true },
    refusedAt: { type: 'datetime', nullable: true },
    refusalReason: { type: 'string', length: 500, nullable: true },
    lastUrgedAt: { type: 'datetime', nullable: true },
    urgeDay: { type: 'string', length: 10, nullable: true },
    urgeCount: { type: 'integer', default: 0 },
    signedRounds: { type: 'integer', default: 0 },
    page: { type: 'integer', nullable: true },
    x: { type: 'double', nullable: true },
    y: { type: 'double', nullable: true },
    fieldName: { type: 'string', length: 100 },
  },
});
