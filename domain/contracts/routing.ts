/**
 * Routing of a v2 contract (contractLifecycleWorkflow): ordered steps, several participants in one
 * step sign in parallel, the next step starts when every participant of the current one has signed.
 * ONE rule for whose turn it is and who may sign / refuse now, used by the workflow's Update
 * validators and handlers and by the API's pre-checks. Pure functions over a minimal view of the
 * participants, so the workflow sandbox can import them.
 *
 * While a signature is in flight the database may already show the next step pending; the
 * workflow's validator therefore passes `inFlightParticipantId`: the request is judged as if that
 * signature had committed (a participant of the next step is accepted and waits for the lock).
 * After the lock is taken the rule is applied again without it.
 */
export type RoutingStatus = 'waiting' | 'pending' | 'signed' | 'refused';

export interface RoutingParticipant {
  participantId: string;
  step: number;
  status: RoutingStatus;
  canRefuse: boolean;
}

/** What a start hands the contract's workflow (its input): who started it, the participants as written (step 1 pending, the rest waiting). */
export interface StartRouting {
  initiatorId: string;
  participants: RoutingParticipant[];
  /** The activation commits the first step's notice (finish-contract.ts, firstStepNoticeInActivation); false: the workflow sends it. */
  firstStepNoticeInActivation: boolean;
}

export type ActionRefusalCode =
  | 'CONTRACT_NOT_IN_PROGRESS'
  | 'CONTRACT_EXPIRED'
  | 'NOT_A_PARTICIPANT'
  | 'ALREADY_SIGNED'
  | 'ALREADY_REFUSED'
  | 'SIGNING_IN_PROGRESS'
  | 'NOT_YOUR_TURN'
  | 'REFUSAL_NOT_ALLOWED';

export interface ActionRefusal {
  code: ActionRefusalCode;
  message: string;
  messageEn: string;
}

const REFUSALS: Record<ActionRefusalCode, ActionRefusal> = {
  CONTRACT_NOT_IN_PROGRESS: { code: 'CONTRACT_NOT_IN_PROGRESS', message: '合同不在签署中，无法操作', messageEn: 'The contract is not in progress' },
  CONTRACT_EXPIRED: { code: 'CONTRACT_EXPIRED', message: '合同已过期，无法操作', messageEn: 'The contract has expired' },
  NOT_A_PARTICIPANT: { code: 'NOT_A_PARTICIPANT', message: '您不是该合同的签署方', messageEn: 'You are not a participant of this contract' },
  ALREADY_SIGNED: { code: 'ALREADY_SIGNED', message: '该签署方已签署', messageEn: 'This participant has already signed' },
  ALREADY_REFUSED: { code: 'ALREADY_REFUSED', message: '该签署方已拒签', messageEn: 'This participant has already refused' },
  SIGNING_IN_PROGRESS: { code: 'SIGNING_IN_PROGRESS', message: '签署正在处理中，请稍候查看结果', messageEn: 'The signature is being processed; check back shortly' },
  NOT_YOUR_TURN: { code: 'NOT_YOUR_TURN', message: '尚未轮到该签署方签署', messageEn: 'It is not this participant’s turn yet' },
  REFUSAL_NOT_ALLOWED: { code: 'REFUSAL_NOT_ALLOWED', message: '发起方未允许该签署方拒签', messageEn: 'The initiator did not allow this participant to refuse' },
};

export const actionRefusal = (code: ActionRefusalCode): ActionRefusal => REFUSALS[code];

/** The step being signed: the lowest step with a participant that has not signed; null when everyone has signed. */
export function currentStep(ps: readonly Pick<RoutingParticipant, 'step' | 'status'>[]): number | null {
  let step: number | null = null;
  for (const p of ps) if (p.status !== 'signed' && (step === null || p.step < step)) step = p.step;
  return step;
}

export interface AfterSigned {
  /** The step that starts because of this signature, or null (the step goes on, or the contract is complete). */
  nextStep: number | null;
  /** Participants who become pending (those of `nextStep`). */
  newlyPending: string[];
  /** Every participant has signed. */
  completed: boolean;
}

/** What `participantId`'s signature changes (the input is not modified). */
export function afterSigned(ps: readonly RoutingParticipant[], participantId: string): AfterSigned {
  const before = currentStep(ps);
  const after = ps.map((p) => (p.participantId === participantId ? { ...p, status: 'signed' as const } : p));
  const now = currentStep(after);
  if (now === null) return { nextStep: null, newlyPending: [], completed: true };
  if (now === before) return { nextStep: null, newlyPending: [], completed: false };
  return { nextStep: now, newlyPending: after.filter((p) => p.step === now && p.status === 'waiting').map((p) => p.participantId), completed: false };
}

/** Participants who may be urged now: those of the current step who have not signed or refused. */
export function pendingParticipants<T extends RoutingParticipant>(ps: readonly T[]): T[] {
  const step = currentStep(ps);
  return step === null ? [] : ps.filter((p) => p.step === step && p.status !== 'signed' && p.status !== 'refused');
}

export interface RoutingState {
  /** 签署中 (and not being closed). */
  inProgress: boolean;
  /** The expiry time has passed (wins over everything else). */
  expired: boolean;
  participants: readonly RoutingParticipant[];
  /** A signature being applied right now (workflow validator only). */
  inFlightParticipantId?: string | null;
}

/** Why `participantId` may not sign / refuse now, or null if it may. */
export function refuseAction(state: RoutingState, participantId: string, action: 'sign' | 'refuse'): ActionRefusal | null {
  if (state.expired) return REFUSALS.CONTRACT_EXPIRED;
  if (!state.inProgress) return REFUSALS.CONTRACT_NOT_IN_PROGRESS;
  const me = state.participants.find((p) => p.participantId === participantId);
  if (!me) return REFUSALS.NOT_A_PARTICIPANT;
  if (me.status === 'signed') return REFUSALS.ALREADY_SIGNED;
  if (me.status === 'refused') return REFUSALS.ALREADY_REFUSED;
  if (state.inFlightParticipantId === participantId) return REFUSALS.SIGNING_IN_PROGRESS;
  if (action === 'refuse' && !me.canRefuse) return REFUSALS.REFUSAL_NOT_ALLOWED;
  const assumingInFlightSigned = state.participants.map((p) => (p.participantId === state.inFlightParticipantId ? { ...p, status: 'signed' as const } : p));
  if (currentStep(assumingInFlightSigned) !== me.step) return REFUSALS.NOT_YOUR_TURN;
  return null;
}
