/**
 * Time bounds of the signing workflows, as workflow input (tests pass short ones: there is no
 * time-skipping test server offline). Pure data: the workflow sandbox imports it.
 *
 * Worst cases with the defaults. A signature runs as a regular activity (v1, and v2 executions from
 * before LOCAL_SIGNATURE_PATCH) or, in ContractLifecycleWorkflow since that patch, as a LOCAL activity
 * run by the worker inside the workflow task that accepted the sign Update:
 * - a worker killed mid-signature: regular activity — the attempt is declared lost after
 *   `heartbeatTimeoutMs` (5 s) and retried after `retryInitialMs`; local activity — the workflow task
 *   times out after CONTRACT_WORKFLOW_TASK_TIMEOUT_MS (3 s; set by workflows/clients/start-contract-workflow.ts),
 *   another worker replays the workflow, re-validates the Update and signs again (attempts count
 *   from 1 again; the signature is idempotent by its confirmation). While a local activity runs, the
 *   worker heartbeats the workflow task every 80 % of that timeout (2.4 s);
 * - an infrastructure failure (database, storage): at most `maxSignAttempts` attempts with
 *   exponential backoff from `retryInitialMs` to `retryMaxMs` (for a local activity the backoff
 *   stays in the worker: its `localRetryThreshold` is `retryMaxMs`), then the sign Update answers
 *   "签署服务暂时不可用" and the signing lock is released;
 * - expiry during a running signature: the contract is settled at most `expiryGraceMs` after expiry
 *   (the running attempt is cancelled and can no longer commit). For a local activity the worker
 *   itself enforces it: its schedule-to-close timeout ends at expiry + `expiryGraceMs`;
 * - what a local activity costs others: while a signature runs, the workflow task stays open, so
 *   requests, Queries, timers and a Temporal-UI cancel reach the workflow only when the signature ends
 *   or at the next workflow task heartbeat (≤ 2.4 s), and what the workflow answers or schedules
 *   meanwhile is sent at the heartbeat after that. Worst cases during a long signature: the sign
 *   Update's own acceptance ≤ 2.4 s; another Update's acceptance ≤ 4.8 s (two heartbeats) — the API
 *   awaits acceptance within TEMPORAL_CALL_TIMEOUT_SECONDS (default 5 s; production refuses ≤ 4.8 s);
 *   a 催办 (its own activity) ≈ four heartbeats. A usual signature (≈ 0.1–0.3 s) ends long before any
 *   heartbeat: then everything waits for its end only.
 */
export interface SigningTiming {
  signAttemptTimeoutMs: number;
  heartbeatTimeoutMs: number;
  maxSignAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  expiryGraceMs: number;
}

export const DEFAULT_SIGNING_TIMING: SigningTiming = {
  signAttemptTimeoutMs: 60_000,
  heartbeatTimeoutMs: 5_000,
  maxSignAttempts: 5,
  retryInitialMs: 1_000,
  retryMaxMs: 10_000,
  expiryGraceMs: 30_000,
};

/**
 * Timeouts of one local signature series (ContractLifecycleWorkflow since LOCAL_SIGNATURE_PATCH):
 * each attempt is bounded by `signAttemptTimeoutMs`, the whole series by expiry + `expiryGraceMs`
 * (`untilGraceOverMs` from now). When the series bound is the shorter one, it is the ONLY bound:
 * Temporal's core clamps a start-to-close longer than the schedule-to-close down to it, and the two
 * timers then end at almost the same instant. Under load the (retryable) start-to-close timeout can be
 * handled first: the attempt is retried, the schedule-to-close timeout that follows is dropped
 * (sdk-core 1.x local_activities.rs: it finds the retry still backing off), and every retry gets a
 * fresh clamped bound — expiry then answered only after `maxSignAttempts` attempts (seen in the paths
 * test on a loaded machine: three attempts of 0.9–1.8 s each after expiry). With the schedule-to-close
 * alone there is one timer and no race; the series is then short anyway (≤ one attempt's bound).
 */
export function localSignatureTimeouts(timing: SigningTiming, untilGraceOverMs: number): { startToCloseTimeout?: number; scheduleToCloseTimeout: number } {
  const scheduleToCloseTimeout = Math.max(1, Math.ceil(untilGraceOverMs));
  if (scheduleToCloseTimeout <= timing.signAttemptTimeoutMs) return { scheduleToCloseTimeout };
  return { startToCloseTimeout: timing.signAttemptTimeoutMs, scheduleToCloseTimeout };
}

/**
 * Workflow task timeout of ContractLifecycleWorkflow executions (Temporal's default is 10 s). It bounds
 * how long a worker that died during a local-activity signature holds the contract, and its 80 % is the
 * heartbeat interval of a workflow task that runs a signature (see above). Not shorter: the task also
 * has to absorb the worker's event-loop delay after the signature. At 2 s, bench/contract-flow (16
 * contracts at a time, the worker's main thread ~95 % busy, load average ~7 on 2 cores) saw workflow
 * tasks time out (12 in one run of 32 contracts: retried, signatures re-run, throughput halved); at 3 s,
 * none in two runs. Not longer: two heartbeats must stay under the API's accept deadline (5 s).
 */
export const CONTRACT_WORKFLOW_TASK_TIMEOUT_MS = 3_000;

/**
 * The longest a contract workflow may take to accept an Update while a signature runs in a local
 * activity: two workflow task heartbeats (80 % of the task timeout each). The API waits for acceptance
 * within TEMPORAL_CALL_TIMEOUT_SECONDS, which production therefore keeps above it (config/index.ts).
 */
export const LONGEST_UPDATE_ACCEPTANCE_MS = 2 * 0.8 * CONTRACT_WORKFLOW_TASK_TIMEOUT_MS;
