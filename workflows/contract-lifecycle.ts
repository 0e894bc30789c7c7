/**
 * ContractLifecycleWorkflow (workflow id `contract:<contractId>`, v2 contracts: `contracts.lifecycle = 2`):
 * one contract from 创建中 to 已完成 or 已作废（过期 / 拒签 / 撤销 / 平台撤销）. Deterministic only:
 * every side effect is an activity (activities/contract-lifecycle-activities.ts).
 *
 * - Routed start (`input.routing`, contracts started from that version on; decided by the input, so no
 *   patch marker): the start hands the workflow the participants as it wrote them and activates the row
 *   itself (start-contract.ts), so the workflow runs no activation: its first workflow task only upserts
 *   签署中, and a sign Update may run in it. Step 1's notice commits with the activation when the SMS sender
 *   is transactional, else the workflow sends it once it has confirmed the row (ROUTED_NOTICE_CONFIRMED_PATCH).
 *   Before the workflow ends a contract itself (expiry, cancellation) it asks the database once (the
 *   activation activity): a start that died before its activation is activated then, an abandoned one (rows
 *   removed) ends the workflow as abandoned.
 * - Activation (executions without `routing`): its first activity turns the 创建中 row into 签署中 (if the
 *   API has not already) and loads the routing (participants, steps, who may refuse). Step 1's participants are notified.
 * - Messages: `sign`, `refuse`, `revoke`, `urge` are Updates with validators; `progress` a Query.
 *   Whose turn it is follows ONE rule (domain/contracts/routing.ts) in the validators, the handlers
 *   and the API. sign / refuse / revoke share ONE lock: one change at a time, re-checked strictly
 *   once the lock is taken. Urging changes no status and takes no lock.
 * - 继续签署: a sign request with `finish: false` is one signature round; the participant stays
 *   pending and the step stays open (the activity's `finished` is the database's answer). Requests
 *   without `finish` (histories from before rounds) run exactly the old path.
 * - Failures of a signature: as in contract-signing.ts (permanent ones answer at once; infrastructure
 *   ones are retried with a bound, then the database is asked what committed). The lock is always released.
 * - Since LOCAL_SIGNATURE_PATCH a signature is a local activity (bounds and their price: signing-timing.ts).
 * - Expiry always wins: at expiry new requests are refused (已过期); a change still running gets
 *   `expiryGraceMs`, then it is cancelled and the contract is settled by the database's truth (a local
 *   signature is bounded by the worker itself: its schedule-to-close timeout ends at expiry + grace).
 * - Cancellation (Temporal UI "Cancel"): voided as 平台撤销, then the workflow ends as cancelled.
 *   Termination runs no code: the reconciler (contract-reconcile.ts) fixes it. A Reset that does not
 *   reapply the Updates leaves the new run's routing behind the database: a request it would refuse as
 *   not yet that participant's turn is judged on the database's routing (STALE_ROUTING_PATCH).
 * - `ContractStatus` is upserted at every transition (starting by the client, in_progress on
 *   activation, completed / voided at the end); the status values are those of contract-status.ts.
 * - Notifications (step started, completed, voided) are activities run by the main loop after the
 *   change, never inside the lock, and their failure never blocks the contract. Since
 *   FEWER_ACTIVITIES_PATCH the activation (a local activity) and a signature send the notice they
 *   cause themselves, after their commit (a failed send falls back to the notify activity).
 * - Completion: the last signature's activity completes the contract in its own transaction
 *   (`closed`, behind CLOSED_BY_LAST_SIGNATURE_PATCH); otherwise the main loop closes it.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { ContractLifecycleActivities, ContractNotice, SignForParticipantInput } from '../activities/contract-lifecycle-activities';
import type { ContractActivities } from '../activities/contract-activities';
import type { VoidReason } from '../domain/contracts/contract-status';
import { noticeAfterSignature } from '../domain/contracts/contract-notice';
import { actionRefusal, afterSigned, currentStep, refuseAction, type ActionRefusal, type RoutingParticipant } from '../domain/contracts/routing';
import { DEFAULT_SIGNING_TIMING, localSignatureTimeouts, type SigningTiming } from '../domain/contracts/signing-timing';
import {
  lifecycleProgressQuery,
  lifecycleSignUpdate,
  MAX_PLACED_MARKS,
  REASON_MAX_LENGTH,
  refuseUpdate,
  revokeUpdate,
  urgeUpdate,
  type ContractLifecycleInput,
  type EndResult,
  type LifecycleProgress,
  type LifecycleSignResult,
} from './contract-lifecycle-api';
import { invalidRequest, isId } from './handler-payloads';
import { SA_CONTRACT_STATUS } from './search-attributes';
import { permanentDetail, refusalFailure, SIGNING_UNAVAILABLE, updateFailure, type UpdateFailureDetail } from './update-failures';

export * from './contract-lifecycle-api';


/**
 * Versioned change (issue 12): the signing activity completes the contract in the last signature's
 * own transaction and says so (`closed`); the workflow then adopts 已完成 instead of running the
 * `closeContract` activity. Executions that never see `closed` (histories from before) close as before.
 */
export const CLOSED_BY_LAST_SIGNATURE_PATCH = 'contract-lifecycle-closed-by-last-signature-1';

/**
 * Versioned change (issue 12, round 2): fewer activities per contract. The activation is a LOCAL
 * activity (a short database step run by this worker inside the workflow task: no activity task on
 * the server), and the activities that cause a notice send it themselves — the activation the first
 * step's, a signature the next step's or 已完成's, after their commit, with the rows they already
 * hold — and say so (`notified`); the workflow then runs no notify activity for it. A notice an
 * activity could not send (`notified` absent or false) goes through the outbox and the notify
 * activity as before. Executions from before the patch keep the old path (activity, no `notify`).
 */
export const FEWER_ACTIVITIES_PATCH = 'contract-lifecycle-fewer-activities-1';

/**
 * Versioned change (issue 12, round 3): `signForParticipant` runs as a LOCAL activity within the workflow
 * task that accepted the sign Update — one marker in history instead of an activity task (scheduled,
 * started, completed) and a second workflow task to answer. Same retry policy and attempt bound
 * (backoff kept in the worker: `localRetryThreshold`), failures answered as before; expiry is enforced by
 * the local activity's schedule-to-close timeout (expiry + grace: a TimeoutFailure of that type answers
 * 已过期); a cancel reaches the running attempt through its cancellation signal. Decided once per
 * execution at its start: executions from before keep the regular activity for every signature.
 */
export const LOCAL_SIGNATURE_PATCH = 'contract-lifecycle-local-signature-1';

/**
 * Versioned change (issue 12, round 4): one patch marker per execution instead of three. Every
 * execution started from this version on has the three changes above; this marker says so, and the
 * workflow asks for none of them (each `patched()` records a marker, and Temporal core upserts the
 * TemporalChangeVersion search attribute with it: a visibility write on the server per patch).
 * Executions from before have no such marker and ask for each change as they did. It also keeps a
 * signature out of the activation's workflow task without a timer: only a request handled in that
 * very task waits (1 ms) for the next one; before, every execution slept 1 ms after its activation
 * (a timer and a workflow task more per contract).
 */
export const CURRENT_VERSION_PATCH = 'contract-lifecycle-current-2';

/**
 * Versioned change (routed start with a gateway SMS sender, `firstStepNoticeInActivation` false): before the
 * workflow asks step 1 to sign, it confirms the row (`confirmRouted`, a local activity here). A start that
 * died between starting this workflow and its activation left the row 创建中: the signer would get a link to a
 * contract no one can open until the reconciler activates it; it is activated now instead. An abandoned start
 * (rows removed) sends nothing and ends the workflow at once (not at expiry). With the outbox the notice
 * commits with the activation, so there is nothing to confirm. Executions from before send the notice unconfirmed.
 */
export const ROUTED_NOTICE_CONFIRMED_PATCH = 'contract-lifecycle-routed-notice-confirmed-1';

/**
 * Versioned change: a sign or refuse request that the workflow's routing refuses as NOT_YOUR_TURN is judged
 * again, under the lock, on the database's routing (`participantStates`), which the workflow then adopts.
 * The API only sends a request the database's routing allows, so the two disagree only when the workflow's
 * view is behind the database: after an operator's Reset in Temporal UI that does not reapply the Updates
 * after the reset point (signatures committed, the new run never saw them), the next signer was refused
 * until expiry. The validator lets NOT_YOUR_TURN through to the handler until the database has confirmed the
 * routing the workflow holds (a refused Update is not recorded, so this needs no version); the handler asks the
 * database behind this patch. A signature whose commit reports an advance or completion the view does not
 * predict adopts the database's routing the same way.
 */
export const STALE_ROUTING_PATCH = 'contract-lifecycle-stale-routing-1';

const REVOKED_BY_PLATFORM: UpdateFailureDetail = { code: 'CONTRACT_REVOKED', message: '合同已被平台撤销，无法操作', messageEn: 'The contract was revoked by the platform' };
const UNAVAILABLE = SIGNING_UNAVAILABLE;
/** A 拒签 / 撤销 / 催办 could not reach the database: retry later. */
const CONTRACT_UNAVAILABLE: UpdateFailureDetail = { ...UNAVAILABLE, code: 'CONTRACT_UNAVAILABLE', message: '服务暂时不可用，请稍后重试', messageEn: 'Temporarily unavailable; retry shortly' };
const badRequest = invalidRequest;

function checkReason(reason: unknown) {
  if (typeof reason !== 'string' || reason.trim().length === 0) throw badRequest('请填写原因', 'A reason is required');
  if (reason.length > REASON_MAX_LENGTH) throw badRequest(`原因不能超过 ${REASON_MAX_LENGTH} 个字符`, `The reason must be at most ${REASON_MAX_LENGTH} characters`);
}

/** A request's `requestedAt`, when present, is a short string (its age is the activity's check: request-freshness.ts). */
function checkRequestedAt(value: unknown) {
  if (value !== undefined && (typeof value !== 'string' || value.length > 40)) throw badRequest('请求时间无效', 'Invalid request time');
}

/**
 * The request's `requestedAt` and when this run received it (`receivedAt`: workflow time, so the same on replay), passed on
 * to its activity when the request carries one: the activity refuses one the run received too long after the API accepted it
 * (an Update reapplied by a Reset), not one whose activity merely ran late.
 */
const requestTimes = (request: { requestedAt?: string }, receivedAt: string) => (request.requestedAt === undefined ? {} : { requestedAt: request.requestedAt, receivedAt });

function checkId(value: unknown, what: string) {
  if (!isId(value)) throw badRequest(`缺少${what}`, `Missing ${what}`);
}

export async function contractLifecycleWorkflow(input: ContractLifecycleInput): Promise<LifecycleProgress> {
  const timing: SigningTiming = { ...DEFAULT_SIGNING_TIMING, ...input.timing };
  const { contractId } = input;
  const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 } as const;
  const db = proxyActivities<ContractLifecycleActivities & ContractActivities>({ startToCloseTimeout: '30 seconds', retry });
  /** The activation since FEWER_ACTIVITIES_PATCH: run by this worker within the workflow task (same bound and retries). */
  const local = proxyLocalActivities<ContractLifecycleActivities>({ startToCloseTimeout: '30 seconds', retry });
  /** Short bound for the check after a failed signature, so the Update answers promptly even when the database is down. */
  const quick = proxyActivities<ContractLifecycleActivities>({ startToCloseTimeout: '10 seconds', retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 } });
  const signRetry = { initialInterval: timing.retryInitialMs, backoffCoefficient: 2, maximumInterval: timing.retryMaxMs, maximumAttempts: timing.maxSignAttempts };
  const signing = proxyActivities<ContractLifecycleActivities>({
    startToCloseTimeout: timing.signAttemptTimeoutMs,
    heartbeatTimeout: timing.heartbeatTimeoutMs,
    retry: signRetry,
  });

  const progress: LifecycleProgress = { status: 'starting', voidReason: null, currentStep: null, signing: null, participants: [] };
  const expiresAtMs = Date.parse(input.expiresAt);
  /** Activation is settled (progress.status left 'starting'). */
  let settled = false;
  /** Set when the contract is being ended: every new request is refused from then on. */
  let closing: VoidReason | null = null;
  /** ONE lock for sign / refuse / revoke; `scope` is the running change (expiry and cancellation cancel it). */
  const lock: { held: boolean; scope: CancellationScope | null } = { held: false, scope: null };
  /** Notifications to send, in order, by the main loop. */
  const outbox: ContractNotice[] = [];

  const ended = () => progress.status === 'completed' || progress.status === 'voided';
  const isExpired = () => closing === 'expired' || (closing === null && Date.now() >= expiresAtMs);
  const routingState = (withInFlight: boolean) => ({
    inProgress: progress.status === 'in_progress' && closing === null,
    expired: isExpired(),
    participants: progress.participants,
    inFlightParticipantId: withInFlight ? progress.signing : null,
  });
  /** Why a request cannot go on: the contract has ended or is being ended. */
  const endedRefusal = () => {
    if (closing === 'revoked_by_platform' || progress.voidReason === 'revoked_by_platform') return updateFailure(REVOKED_BY_PLATFORM);
    if (isExpired() || progress.voidReason === 'expired') return refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
    return refusalFailure(actionRefusal('CONTRACT_NOT_IN_PROGRESS'));
  };
  const adopt = (participants: readonly RoutingParticipant[]) => {
    progress.participants = participants.map((p) => ({ ...p }));
    progress.currentStep = currentStep(progress.participants);
  };
  const setStatus = (status: LifecycleProgress['status'], voidReason: VoidReason | null = null) => {
    progress.status = status;
    progress.voidReason = voidReason;
    upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: status }]);
  };
  /** `notified`: the activity that ended it already sent the end notice. */
  const adoptEnd = (outcome: EndResult, notified = false) => {
    setStatus(outcome.status, outcome.voidReason);
    if (!notified) outbox.push({ contractId, event: outcome.status === 'completed' ? 'completed' : 'voided' });
  };
  /** Set once at the start: this execution has every change up to CURRENT_VERSION_PATCH (and asks for none of them). */
  let currentVersion = false;
  /** Set once at the start: this execution lets its activities send the notices they cause (FEWER_ACTIVITIES_PATCH). */
  let noticesInActivities = false;
  /** Set once at the start: this execution signs in local activities (LOCAL_SIGNATURE_PATCH). */
  let localSignature = false;
  /** The history length of the workflow task that ran the activation (CURRENT_VERSION_PATCH; -1: none to avoid). */
  let activationTask = -1;
  /** Routed start whose contract row the workflow has not read yet (see `confirmRouted`). */
  let unconfirmedRoute = false;

  /** The start was abandoned and its rows removed: there is nothing to orchestrate. */
  const abandon = () => {
    progress.status = 'voided';
    settled = true;
    upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: 'abandoned' }]);
  };
  /**
   * Routed start, before the workflow ends the contract itself: the row as the database has it. A start
   * that died before its activation is activated now (then closed like any other); false when the start
   * was abandoned (its rows removed).
   */
  async function confirmRouted(via: Pick<ContractLifecycleActivities, 'activateLifecycle'> = db): Promise<boolean> {
    if (!unconfirmedRoute) return true;
    const activation = await via.activateLifecycle({ contractId });
    unconfirmedRoute = false;
    if (activation.result !== 'missing') return true;
    abandon();
    return false;
  }

  /** One signature attempt series: a local activity bounded by expiry + grace since LOCAL_SIGNATURE_PATCH, else the regular activity. */
  async function signForParticipant(input: SignForParticipantInput) {
    if (!localSignature) return signing.signForParticipant(input);
    // Not in the workflow task that ran the activation (see `activationTask`): wait for the next one.
    if (workflowInfo().historyLength === activationTask) await sleep(1);
    const local = proxyLocalActivities<ContractLifecycleActivities>({
      // Expiry always wins: the worker cancels the attempt when the grace after expiry is over.
      ...localSignatureTimeouts(timing, expiresAtMs + timing.expiryGraceMs - Date.now()),
      retry: signRetry,
      // Every backoff (≤ retryMaxMs) waits in the worker, not on a server timer.
      localRetryThreshold: timing.retryMaxMs,
    });
    return local.signForParticipant(input);
  }
  /**
   * The local signature ran into expiry + grace (its schedule-to-close timeout). Its TimeoutFailure comes
   * wrapped in an ActivityFailure when it happens and unwrapped when it is replayed from the marker: both.
   */
  const graceOver = (err: unknown) => {
    const timeout = err instanceof ActivityFailure ? err.cause : err;
    return localSignature && timeout instanceof TimeoutFailure && timeout.timeoutType === 'SCHEDULE_TO_CLOSE';
  };

  /** Waits for activation and the lock, takes the lock; throws the refusal if the contract ended meanwhile. */
  async function acquire(): Promise<void> {
    // Several waiters wake in the same activation: each re-checks after its turn, only the first takes the lock.
    do {
      try {
        await condition(() => (settled && !lock.held) || ended());
      } catch (err) {
        if (isCancellation(err)) throw endedRefusal();
        throw err;
      }
      if (ended() || progress.status !== 'in_progress') throw endedRefusal();
    } while (lock.held);
    lock.held = true;
  }
  function release() {
    lock.held = false;
    lock.scope = null;
    progress.signing = null;
  }
  /** Runs `fn` as the locked change, cancellable by expiry and cancellation. */
  function runLocked<T>(fn: () => Promise<T>): Promise<T> {
    const scope = new CancellationScope();
    lock.scope = scope;
    return scope.run(fn);
  }

  /** The routing the database last confirmed (STALE_ROUTING_PATCH): while it is unchanged, a NOT_YOUR_TURN is final. */
  let confirmedRouting: string | null = null;
  const routingKey = () => progress.participants.map((p) => `${p.participantId}:${p.status}`).join(',');

  /**
   * Under the lock (STALE_ROUTING_PATCH): the database's routing, adopted, as the workflow's view may be behind
   * it (an operator's Reset that did not reapply the Updates). A step it has started is notified again (the
   * notice is sent once per contract whoever asks), an end it has reached is adopted. Runs as the locked change
   * (expiry and cancellation end it); unanswered (database down), the request is answered as unavailable.
   */
  async function adoptDatabaseRouting(unavailable: UpdateFailureDetail = UNAVAILABLE): Promise<void> {
    const routing = await runLocked(() => quick.participantStates({ contractId })).catch((err: unknown) => {
      if (isCancellation(err) || closing) throw endedRefusal();
      throw updateFailure(unavailable);
    });
    lock.scope = null;
    const before = currentStep(progress.participants);
    adopt(routing.participants);
    confirmedRouting = routingKey();
    if (routing.status === 'completed' || routing.status === 'voided') {
      if (!ended()) adoptEnd({ status: routing.status, voidReason: routing.voidReason });
      return;
    }
    if (progress.currentStep !== null && progress.currentStep !== before) outbox.push({ contractId, event: 'step_started', step: progress.currentStep });
  }

  /**
   * Under the lock: why `action` is refused now, if it is. A NOT_YOUR_TURN is judged again on the database's
   * routing (STALE_ROUTING_PATCH) unless the database already confirmed this very view. Synchronous when
   * nothing is asked (the order of the commands of an activation must not change for histories from before).
   */
  function strictRefusal(participantId: string, action: 'sign' | 'refuse'): ActionRefusal | null | Promise<ActionRefusal | null> {
    const refusal = refuseAction(routingState(false), participantId, action);
    if (refusal?.code !== 'NOT_YOUR_TURN' || confirmedRouting === routingKey() || !patched(STALE_ROUTING_PATCH)) return refusal;
    // The signature's "unavailable" tells the signer their code stays valid; a 拒签 has none.
    return adoptDatabaseRouting(action === 'sign' ? UNAVAILABLE : CONTRACT_UNAVAILABLE).then(() => refuseAction(routingState(false), participantId, action));
  }

  setHandler(lifecycleProgressQuery, () => progress);

  setHandler(
    lifecycleSignUpdate,
    async (request): Promise<LifecycleSignResult> => {
      await acquire();
      let result: LifecycleSignResult;
      /** The request chose 结束签署 / 继续签署 (requests from before rounds carry no `finish`: one round, finished). */
      const rounds = typeof request.finish === 'boolean';
      try {
        const strict = strictRefusal(request.participantId, 'sign'); // strict now that the lock is ours
        const r = strict instanceof Promise ? await strict : strict;
        if (r) throw refusalFailure(r);
        progress.signing = request.participantId;
        try {
          const applied = await runLocked(() =>
            signForParticipant({
              contractId,
              participantId: request.participantId,
              actorUserId: request.actorUserId,
              confirmationId: request.confirmationId,
              ...(request.marks ? { marks: request.marks } : {}),
              ...(rounds ? { finish: request.finish } : {}),
              ...(noticesInActivities ? { notify: true } : {}),
            }),
          );
          // The activity sent the notice this signature leads to (next step / 已完成) after its commit.
          const notified = noticesInActivities && applied.notified === true;
          // 继续签署: this round is signed, the participant stays pending and the step goes on.
          const finished = !rounds || applied.finished !== false;
          let routed = finished ? recordSigned(request.participantId, notified) : { stepAdvanced: null, completed: false };
          // The view was behind the database when the commit reports an advance or a completion the view does not
          // (only that direction: an answer read back after a retry may report less than happened, never more).
          const behind = (applied.completed && !routed.completed) || (applied.stepAdvanced != null && routed.stepAdvanced === null);
          if (finished && behind && patched(STALE_ROUTING_PATCH)) {
            routed = { stepAdvanced: applied.stepAdvanced ?? null, completed: applied.completed };
            // The signature has committed whatever happens to this read: unanswered, the view stays as it is
            // (the main loop closes by the database's answer).
            await adoptDatabaseRouting().catch(() => undefined);
          }
          // The last signature completed the contract in its transaction: adopt the end (no close activity).
          if (!ended() && routed.completed && applied.closed === true && (currentVersion || patched(CLOSED_BY_LAST_SIGNATURE_PATCH))) adoptEnd({ status: 'completed', voidReason: null }, notified);
          result = { participantId: request.participantId, documentVersion: applied.documentVersion, ...routed, ...(rounds ? { round: applied.round ?? 1, finished } : {}) };
        } catch (err) {
          if (isCancellation(err) || closing) throw endedRefusal();
          if (graceOver(err)) throw refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
          const permanent = permanentActivityFailure(err, localSignature);
          if (permanent) throw updateFailure(permanentDetail(permanent));
          // Retries exhausted or timed out: the attempt may still have committed. Ask the database
          // (with rounds: whether THIS request's confirmation was used — an earlier round's version proves nothing).
          const committed = await quick.participantStates({ contractId, ...(rounds ? { confirmationId: request.confirmationId } : {}) }).catch(() => null);
          const version = rounds ? (committed?.confirmation?.used ? (committed.confirmation.documentVersion ?? undefined) : undefined) : committed?.documentVersions[request.participantId];
          if (!committed || version === undefined) {
            confirmedRouting = null; // the signature may have committed: the view may be behind the database again
            throw updateFailure(UNAVAILABLE);
          }
          const before = currentStep(progress.participants);
          adopt(committed.participants);
          const now = progress.currentStep;
          if (now !== null && now !== before) outbox.push({ contractId, event: 'step_started', step: now });
          const finished = progress.participants.find((p) => p.participantId === request.participantId)?.status === 'signed';
          result = { participantId: request.participantId, documentVersion: version, stepAdvanced: now !== before ? now : null, completed: now === null, ...(rounds ? { finished } : {}) };
        }
      } finally {
        release();
      }
      // Answer the last signer only once the contract is 已完成, so their screen shows the final state.
      if (result.completed) await CancellationScope.nonCancellable(() => condition(ended));
      return result;
    },
    {
      validator: (request) => {
        checkId(request?.participantId, '签署方 / participant');
        checkId(request.actorUserId, '操作人 / actor');
        checkId(request.confirmationId, '意愿认证 / confirmation');
        if (request.marks !== undefined && (!Array.isArray(request.marks) || request.marks.length > MAX_PLACED_MARKS || request.marks.some((m: unknown) => typeof (m as { kind?: unknown } | null)?.kind !== 'string'))) {
          throw badRequest('签章位置无效', 'Invalid marks');
        }
        if (request.finish !== undefined && typeof request.finish !== 'boolean') throw badRequest('结束签署标志无效', 'Invalid finish flag');
        validateAction(request.participantId, 'sign');
      },
    },
  );

  setHandler(
    refuseUpdate,
    async (request): Promise<EndResult> => {
      const receivedAt = new Date().toISOString();
      await acquire();
      try {
        const strict = strictRefusal(request.participantId, 'refuse');
        const r = strict instanceof Promise ? await strict : strict;
        if (r) throw refusalFailure(r);
        const outcome = await runLocked(() => db.refuseContract({ contractId, participantId: request.participantId, actorUserId: request.actorUserId, reason: request.reason.trim(), ...requestTimes(request, receivedAt) })).catch((err: unknown) => {
          throw activityFailure(err);
        });
        const me = progress.participants.find((p) => p.participantId === request.participantId);
        if (me && outcome.status === 'voided' && outcome.voidReason === 'refused') me.status = 'refused';
        adoptEnd(outcome);
        return outcome;
      } finally {
        release();
      }
    },
    {
      validator: (request) => {
        checkId(request?.participantId, '签署方 / participant');
        checkId(request.actorUserId, '操作人 / actor');
        checkReason(request.reason);
        checkRequestedAt(request.requestedAt);
        validateAction(request.participantId, 'refuse');
      },
    },
  );

  setHandler(
    revokeUpdate,
    async (request): Promise<EndResult> => {
      const receivedAt = new Date().toISOString();
      await acquire();
      try {
        if (isExpired()) throw refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
        // Who may revoke (the initiator while a member of the initiating enterprise, or its administrator) is the
        // activity's check on the database (initiator-rights.ts); the workflow cannot see memberships.
        const outcome = await runLocked(() => db.revokeContract({ contractId, actorUserId: request.actorUserId, reason: request.reason.trim(), ...requestTimes(request, receivedAt) })).catch((err: unknown) => {
          throw activityFailure(err);
        });
        adoptEnd(outcome);
        return outcome;
      } finally {
        release();
      }
    },
    {
      validator: (request) => {
        checkId(request?.actorUserId, '操作人 / actor');
        checkReason(request.reason);
        checkRequestedAt(request.requestedAt);
        if (closing === 'revoked_by_platform') throw updateFailure(REVOKED_BY_PLATFORM);
        if (isExpired()) throw refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
        if (!settled) return; // the handler waits for activation and checks again
        if (progress.status !== 'in_progress' || closing) throw refusalFailure(actionRefusal('CONTRACT_NOT_IN_PROGRESS'));
      },
    },
  );

  setHandler(
    urgeUpdate,
    async (request) => {
      const receivedAt = new Date().toISOString();
      try {
        await condition(() => settled);
      } catch (err) {
        if (isCancellation(err)) throw endedRefusal();
        throw err;
      }
      if (progress.status !== 'in_progress' || closing || isExpired()) throw endedRefusal();
      return db.urgeContract({ contractId, actorUserId: request.actorUserId, ...(request.participantIds ? { participantIds: request.participantIds } : {}), ...requestTimes(request, receivedAt) }).catch((err: unknown) => {
        throw activityFailure(err);
      });
    },
    {
      validator: (request) => {
        checkId(request?.actorUserId, '操作人 / actor');
        if (request.participantIds !== undefined && (!Array.isArray(request.participantIds) || request.participantIds.length > 20 || request.participantIds.some((id: unknown) => typeof id !== 'string'))) {
          throw badRequest('催办对象无效', 'Invalid participants to urge');
        }
        checkRequestedAt(request.requestedAt);
        if (closing === 'revoked_by_platform') throw updateFailure(REVOKED_BY_PLATFORM);
        if (isExpired()) throw refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
        if (settled && (progress.status !== 'in_progress' || closing)) throw refusalFailure(actionRefusal('CONTRACT_NOT_IN_PROGRESS'));
      },
    },
  );

  /**
   * Validator part shared by sign and refuse: judged as if the signature in flight had committed (the handler
   * re-checks strictly). NOT_YOUR_TURN is left to the handler, which asks the database (`strictRefusal`), until
   * the database has confirmed the routing the workflow holds.
   */
  function validateAction(participantId: string, action: 'sign' | 'refuse') {
    if (closing === 'revoked_by_platform') throw updateFailure(REVOKED_BY_PLATFORM);
    if (!settled) {
      if (isExpired()) throw refusalFailure(actionRefusal('CONTRACT_EXPIRED'));
      return; // the handler waits for activation and checks again
    }
    const r = refuseAction(routingState(true), participantId, action);
    if (r && (r.code !== 'NOT_YOUR_TURN' || confirmedRouting === routingKey())) throw refusalFailure(r);
  }

  /** Local routing after a committed signature: the same rule as the database's (afterSigned). */
  function recordSigned(participantId: string, notified: boolean): { stepAdvanced: number | null; completed: boolean } {
    const next = afterSigned(progress.participants, participantId);
    for (const p of progress.participants) {
      if (p.participantId === participantId) p.status = 'signed';
      if (next.newlyPending.includes(p.participantId)) p.status = 'pending';
    }
    progress.currentStep = currentStep(progress.participants);
    // The same notice rule as the activity that signed (the end notice comes with adoptEnd).
    const notice = noticeAfterSignature(contractId, next);
    if (notice?.event === 'step_started' && !notified) outbox.push(notice);
    return { stepAdvanced: next.nextStep, completed: next.completed };
  }

  /** A refuse / revoke / urge activity failed: a business refusal is answered as such, anything else as temporarily unavailable. */
  function activityFailure(err: unknown) {
    confirmedRouting = null; // the change may have committed: the view may be behind the database again
    if (isCancellation(err) || closing) return endedRefusal();
    const permanent = permanentActivityFailure(err);
    if (permanent) return updateFailure(permanentDetail(permanent));
    return updateFailure(CONTRACT_UNAVAILABLE);
  }

  const allSigned = () => progress.participants.length > 0 && progress.participants.every((p) => p.status === 'signed') && !lock.held;

  async function sendNotices() {
    while (outbox.length > 0) {
      const notice = outbox.shift()!;
      // A notification that cannot be sent never blocks the contract (the activity retries with a bound).
      await db.notifyContract(notice).catch((err: unknown) => {
        if (isCancellation(err)) throw err;
      });
    }
  }

  async function close(voidReason: VoidReason | null, cause?: string) {
    if (!(await confirmRouted())) return;
    const outcome = await db.closeContract({ contractId, voidReason, ...(cause ? { cause } : {}) });
    for (const p of progress.participants) if (outcome.signedSignerIds.includes(p.participantId)) p.status = 'signed';
    progress.currentStep = currentStep(progress.participants);
    adoptEnd({ status: outcome.status === 'completed' ? 'completed' : 'voided', voidReason: outcome.voidReason });
  }

  /** Expiry: new requests are refused; a running change gets the grace period, then it is cancelled. */
  async function expire() {
    closing = 'expired';
    if (lock.held && !(await condition(() => !lock.held, timing.expiryGraceMs))) lock.scope?.cancel();
    await condition(() => !lock.held);
    if (!ended()) await close('expired');
  }

  try {
    if (input.routing) {
      // Routed start: every change up to CURRENT_VERSION_PATCH holds without asking (the input decides).
      currentVersion = noticesInActivities = localSignature = true;
      unconfirmedRoute = true;
      adopt(input.routing.participants);
      setStatus('in_progress');
      if (progress.currentStep !== null && !input.routing.firstStepNoticeInActivation) {
        // Confirmed before `settled`: a sign Update waits for it, so no other local activity runs beside it.
        // Unanswered after its retries (database down): the notice goes out unconfirmed rather than never.
        const confirmed = !patched(ROUTED_NOTICE_CONFIRMED_PATCH) || (await confirmRouted(local).catch((err: unknown) => {
          if (isCancellation(err)) throw err;
          return true;
        }));
        if (!confirmed) return progress;
        outbox.push({ contractId, event: 'step_started', step: progress.currentStep });
      }
    } else {
      currentVersion = patched(CURRENT_VERSION_PATCH);
      noticesInActivities = currentVersion || patched(FEWER_ACTIVITIES_PATCH);
      localSignature = currentVersion || patched(LOCAL_SIGNATURE_PATCH);
      const activation = noticesInActivities ? await local.activateLifecycle({ contractId, notify: true }) : await db.activateLifecycle({ contractId });
      if (activation.result === 'missing') {
        abandon();
        return progress;
      }
      adopt(activation.participants);
      if (activation.status === 'in_progress') {
        setStatus('in_progress');
        const notified = noticesInActivities && activation.notified === true;
        if (progress.currentStep !== null && !notified) outbox.push({ contractId, event: 'step_started', step: progress.currentStep });
      } else {
        // Ended before this run settled (e.g. the reconciler closed it): adopt it.
        setStatus(activation.status, activation.voidReason);
      }
      // Under LOCAL_SIGNATURE_PATCH no signature runs in the workflow task that activated the contract:
      // this timer makes that task complete (the activation's marker is in history) before `settled`
      // lets a sign Update in. A local activity's effects stay when its workflow task is lost (timed out
      // under load, worker killed) and the task is replayed with its local activities run again: a
      // re-run activation reads the routing from the database, would see the participant a lost
      // signature already committed, and would refuse that same request, redelivered, as 该签署方已签署.
      // With the activation recorded, a lost signature task replays the recorded routing and the
      // signature re-runs idempotently (its confirmation says it committed).
      // Since CURRENT_VERSION_PATCH the same holds without a timer: a request handled in this task
      // (an Update delivered with the start) waits for the next task before it signs (signForParticipant).
      if (currentVersion) activationTask = workflowInfo().historyLength;
      else if (localSignature) await sleep(1);
    }
    settled = true;

    while (!ended()) {
      const remainingMs = expiresAtMs - Date.now();
      const woke = remainingMs > 0 && (await condition(() => outbox.length > 0 || ended() || allSigned(), remainingMs));
      await sendNotices();
      if (ended()) break;
      if (allSigned()) await close(null);
      else if (!woke) await expire();
    }
    await sendNotices();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from Temporal UI: void as 平台撤销 (unless every signature is already committed).
    await CancellationScope.nonCancellable(async () => {
      closing = 'revoked_by_platform';
      lock.scope?.cancel();
      if (!settled) {
        const activation = await db.activateLifecycle({ contractId });
        if (activation.result !== 'missing') adopt(activation.participants);
        else progress.status = 'voided';
        settled = true;
      }
      await condition(() => !lock.held);
      if (!ended()) await close('revoked_by_platform', 'workflow_cancelled');
      await sendNotices();
      await condition(allHandlersFinished);
    });
    throw err;
  }
  await condition(allHandlersFinished);
  return progress;
}
