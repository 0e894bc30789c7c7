/**
 * The reconciler: repairs what no workflow code can (a workflow terminated from Temporal UI, a
 * crash between writing a 创建中 row and starting its workflow, a lost workflow, a workflow stuck
 * past expiry). Run by the `contract-reconcile` Temporal Schedule (workflows/contract-reconcile.ts),
 * idempotent, bounded per run. A contract it ends gets its 已完成 / 已作废 notices (sent once per
 * contract: a workflow that sent them already is not repeated). One row that cannot be repaired is
 * reported in `failed` and does not stop the others.
 *
 * Messages no start sent: a contract the reconciler activates or restarts gets its invitations and CC notices (to
 * numbers not bound to an account) as the start would have sent them, and so does any 签署中 contract with such a message
 * still unsent (the start died after its activation, or the SMS gateway did not deliver). Each message is claimed once
 * (invitations.ts), so a pass racing the start sends nothing twice; the number's daily notice budget bounds the retries
 * of an undelivered one.
 *
 * Expiry always wins: a 签署中 contract `overdueMs` past its expiry whose workflow still runs is stuck
 * (its workflow task fails on every attempt, e.g. after a bad deployment; its expiry timer fired long
 * ago and the workflow ends a contract within its grace period). Temporal still lists it as running, so
 * it is terminated and the contract voided as 已过期 (cause `workflow_stuck`).
 */
import type { EntityManager } from '@mikro-orm/core';
import { loadContract } from './contract-access';
import { ContractSchema } from './contract.entity';
import { retryOnDeadlock } from '../persistence/concurrency';
import { eachRow } from '../persistence/each-row';
import { notifyContractEvent, type NotificationDeps } from './contract-notifications';
import { activateContract, closeContract } from './finish-contract';
import { contractsWithPendingMessages, sendPendingMessages } from './invitations';
import { removeStartingContract, resumeStartingContract, type StartContractDeps } from './start-contract';
import type { DocumentStore } from '../../integrations/storage/document-store';

export type WorkflowState = 'running' | 'closed' | 'missing';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface ContractWorkflows {
  state(contractId: string): Promise<WorkflowState>;
  /**
   * Contract ids whose workflow is closed while its ContractStatus search attribute still says 创建中/签署中 (terminated,
   * timed out), as Temporal lists them: read lazily, the reconciler stops once it has enough rows still open. A listed
   * run may be an old one whose workflow id runs again (an operator's Reset): the reconciler asks `state` of each.
   */
  closedButOpen(): AsyncIterable<string>;
  start: StartContractDeps['startWorkflow'];
  /** Ends a running workflow without running its code (one stuck past expiry). */
  terminate(contractId: string, reason: string): Promise<void>;
}

export interface ReconcileOptions {
  /** A 创建中 row younger than this belongs to a request still running. */
  startingGraceMs: number;
  /** 签署中 rows this long past expiry are checked even if Temporal lists nothing (lost workflow). */
  overdueMs: number;
  limit: number;
}

export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = { startingGraceMs: 2 * 60_000, overdueMs: 10 * 60_000, limit: 200 };

/** Listed ids a pass reads at most (the rest wait for the next pass; a run stays listed for the lookback). */
export const MAX_LISTED_PER_PASS = 50_000;
const LISTED_CHUNK = 500;

/**
 * Up to `limit` of the listed contracts that are broken: the row still 签署中 and no run of the workflow id still running.
 * A closed workflow's ContractStatus cannot change, so a contract fixed by an earlier pass stays listed for the whole
 * lookback, and so does every run an operator's Reset (or a continue-as-new) closed while the contract goes on in a newer
 * run: its row is 签署中 and rightly so. The list is read chunk by chunk against the database, and each contract still
 * 签署中 is asked whether a newer run is running (in listing order, only until `limit` are found), so that neither kind
 * fills a pass (a mass Reset used to fill the limit, and the contracts really broken were never reached). A contract
 * whose state cannot be read stays a candidate (the pass reports it).
 */
async function brokenAmong(em: EntityManager, workflows: Pick<ContractWorkflows, 'state'>, listed: AsyncIterable<string>, limit: number): Promise<string[]> {
  const broken = new Set<string>();
  let chunk = new Set<string>();
  let read = 0;
  const check = async () => {
    const stillOpen = new Set((await em.fork().find(ContractSchema, { id: { $in: [...chunk] }, status: 'in_progress' }, { fields: ['id'] })).map((c) => c.id));
    for (const id of chunk) {
      if (broken.size >= limit) break;
      if (!stillOpen.has(id) || broken.has(id)) continue;
      if ((await workflows.state(id).catch(() => 'unknown')) === 'running') continue; // a newer run carries it on
      broken.add(id);
    }
    chunk = new Set();
  };
  for await (const id of listed) {
    chunk.add(id);
    if (chunk.size >= LISTED_CHUNK) {
      await check();
      if (broken.size >= limit) break;
    }
    if (++read >= MAX_LISTED_PER_PASS) break;
  }
  if (chunk.size > 0 && broken.size < limit) await check();
  return [...broken];
}

export interface ReconcileReport {
  activated: string[];
  restarted: string[];
  /** Contracts whose pending invitations or CC notices this pass sent (some or all). */
  messaged: string[];
  removed: string[];
  closed: { contractId: string; status: string; cause: string }[];
  failed: { contractId: string; error: string }[];
}

/** The platform's SMS sender and the portal's address (PUBLIC_URL, for the invitations' link). */
export interface ReconcileMessaging {
  sms: NotificationDeps['sms'];
  publicUrl: string;
}

/**
 * `messaging`: a 创建中 contract whose workflow runs is activated here with its SMS sender, so that the first step's
 * notice commits with the activation as the start promised its workflow (finish-contract.ts,
 * firstStepNoticeInActivation); the 已完成 / 已作废 notices and the pending invitations go out through it. Without
 * it (tests of other parts) no message is sent.
 */
export async function reconcileContracts(em: EntityManager, store: DocumentStore, workflows: ContractWorkflows, options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS, now = new Date(), messaging?: ReconcileMessaging): Promise<ReconcileReport> {
  const report: ReconcileReport = { activated: [], restarted: [], messaged: [], removed: [], closed: [], failed: [] };
  const sms = messaging?.sms;

  const starting = await em.fork().find(ContractSchema, { status: 'starting', createdAt: { $lt: new Date(now.getTime() - options.startingGraceMs) } }, { orderBy: { createdAt: 'asc' }, limit: options.limit });
  const failed = (contractId: string) => (error: string) => report.failed.push({ contractId, error });
  for (const c of starting) {
    await eachRow('contract', c.id, async () => {
      const state = await workflows.state(c.id);
      if (state === 'running') {
        if ((await activateContract(em.fork(), c.id, null, now, undefined, sms)) === 'activated') report.activated.push(c.id);
      } else if (state === 'missing' && c.expiresAt > now) {
        // The request crashed between the row and the workflow: finish what the user asked for.
        await resumeStartingContract({ em: em.fork(), store, startWorkflow: workflows.start, ...messaging }, c.id);
        report.restarted.push(c.id);
      } else if (await removeStartingContract(em.fork(), store, c.id)) {
        report.removed.push(c.id);
      }
    }, failed(c.id));
  }

  // After the activations above, so a contract activated in this pass is messaged in it too.
  if (messaging) {
    for (const id of await contractsWithPendingMessages(em.fork(), new Date(now.getTime() - options.startingGraceMs), options.limit)) {
      await eachRow('contract', id, async () => {
        const sent = await sendPendingMessages({ em: em.fork(), ...messaging }, id);
        if (sent.invitations + sent.ccNotices > 0) report.messaged.push(id);
      }, failed(id));
    }
  }

  const overdue = await em.fork().find(ContractSchema, { status: 'in_progress', expiresAt: { $lt: new Date(now.getTime() - options.overdueMs) } }, { fields: ['id'], orderBy: { expiresAt: 'asc' }, limit: options.limit });
  const listed = await brokenAmong(em, workflows, workflows.closedButOpen(), options.limit);
  const candidates = [...new Set([...listed, ...overdue.map((c) => c.id)])].slice(0, options.limit);
  const overdueBefore = now.getTime() - options.overdueMs;
  for (const id of candidates) {
    await eachRow('contract', id, async () => {
      const found = await loadContract(em.fork(), id);
      if (!found || found.contract.status !== 'in_progress') return; // another environment's workflow, or already fixed
      const state = await workflows.state(id);
      const stuck = state === 'running' && found.contract.expiresAt.getTime() < overdueBefore;
      if (state === 'running' && !stuck) return;
      if (stuck) await workflows.terminate(id, 'contract past its expiry while its workflow still runs (stuck): ended by the reconciler');
      const cause = stuck ? 'workflow_stuck' : state === 'missing' ? 'workflow_missing' : 'workflow_closed';
      const expired = found.contract.expiresAt <= now;
      const outcome = await closeContract(em.fork(), { contractId: id, voidReason: expired ? 'expired' : 'revoked_by_platform', cause }, now);
      report.closed.push({ contractId: id, status: outcome.status, cause });
      if (sms && (outcome.status === 'completed' || outcome.status === 'voided')) {
        // Once closed the row is not listed again: a lock conflict must not lose the notice.
        const event = outcome.status;
        await retryOnDeadlock(() => notifyContractEvent({ em: em.fork(), sms }, { contractId: id, event }, now));
      }
    }, failed(id));
  }
  return report;
}
