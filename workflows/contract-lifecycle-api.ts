/**
 * What callers see of the ContractLifecycleWorkflow (v2 contracts, `contracts.lifecycle = 2`): its
 * input, Updates, Query and their types. Every message is an Update with a validator (see
 * contract-lifecycle.ts); the API sends them with an `updateId` so a retried request is answered once.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { VoidReason } from '../domain/contracts/contract-status';
import type { RoutingParticipant, StartRouting } from '../domain/contracts/routing';

export type { StartRouting };
import type { PlacedMark } from '../domain/contracts/signing-marks';
import type { SigningTiming } from '../domain/contracts/signing-timing';
import { MAX_PLACED_MARKS } from '../domain/contracts/sign-limits';

export interface ContractLifecycleInput {
  contractId: string;
  /** ISO date-time after which an unfinished contract is voided (已作废（过期）). */
  expiresAt: string;
  /** Time bounds (defaults: DEFAULT_SIGNING_TIMING); tests pass short ones. */
  timing?: Partial<SigningTiming>;
  /**
   * The routing as the start wrote it (contracts started from the routed-start version on): the workflow
   * runs no activation of its own (see contract-lifecycle.ts, "Routed start"). Absent in executions from before.
   */
  routing?: StartRouting;
}


/** A mark placed by the signer at signing time (free placement); the server checks it (domain/contracts/signing-marks.ts). */
export type { PlacedMark };

export interface LifecycleSignRequest {
  participantId: string;
  actorUserId: string;
  /** The 意愿认证 record created when the actor's SMS code checked out. */
  confirmationId: string;
  marks?: PlacedMark[];
  /**
   * 结束签署 (true, the default when absent) or 继续签署 (false: this round is signed, the
   * participant stays pending and signs again later). Requests from before 继续签署 carry none.
   */
  finish?: boolean;
}

export interface LifecycleSignResult {
  participantId: string;
  documentVersion: number;
  /** The step that started because of this signature, or null. */
  stepAdvanced: number | null;
  completed: boolean;
  /** Requests with `finish`: the participant's signature round (1, 2, …) and whether it finished. */
  round?: number;
  finished?: boolean;
}

/** When the API accepted a 拒签 / 撤销 / 催办 (ISO): the activity carries it out only shortly after (domain/contracts/request-freshness.ts), so one replayed into a new run by an operator's Reset days later changes nothing. Absent on requests from before it. */
type RequestedAt = { requestedAt?: string };

export interface RefuseRequest extends RequestedAt {
  participantId: string;
  actorUserId: string;
  reason: string;
}

export interface RevokeRequest extends RequestedAt {
  actorUserId: string;
  reason: string;
}

/** How a refusal or revocation ended the contract (the database's truth: a contract completed meanwhile stays 已完成). */
export interface EndResult {
  status: 'completed' | 'voided';
  voidReason: VoidReason | null;
}

export interface UrgeRequest extends RequestedAt {
  actorUserId: string;
  /** Default: every pending participant of the current step. */
  participantIds?: string[];
}

export interface UrgeSkip {
  participantId: string;
  name: string;
  /** e.g. URGED_RECENTLY (≥ 1 h apart), DAILY_LIMIT (≤ 3 per China day), NOT_PENDING. */
  reason: string;
  message: string;
  messageEn: string;
}

export interface UrgeResult {
  urged: string[];
  skipped: UrgeSkip[];
}

export interface LifecycleProgress {
  status: 'starting' | 'in_progress' | 'completed' | 'voided';
  voidReason: VoidReason | null;
  /** The step being signed (null when every participant has signed or before activation). */
  currentStep: number | null;
  /** The participant whose signature is being applied right now. */
  signing: string | null;
  participants: RoutingParticipant[];
}

/** Limits the validators enforce (the API checks the same before sending). */
export const REASON_MAX_LENGTH = 500;
export { MAX_PLACED_MARKS };

export const lifecycleSignUpdate = defineUpdate<LifecycleSignResult, [LifecycleSignRequest]>('sign');
export const refuseUpdate = defineUpdate<EndResult, [RefuseRequest]>('refuse');
export const revokeUpdate = defineUpdate<EndResult, [RevokeRequest]>('revoke');
export const urgeUpdate = defineUpdate<UrgeResult, [UrgeRequest]>('urge');
export const lifecycleProgressQuery = defineQuery<LifecycleProgress>('progress');
