/**
 * The contract's lifecycle writes besides signatures and user requests (拒签 / 撤销: void-by-request.ts):
 * 创建中 → 签署中 (activation) and the close (已完成, or 已作废 by 过期 / 平台撤销). Each is one
 * conditional UPDATE on the contract row plus its trail event (trail/record-contract-event.ts, which
 * also writes the audit row and refreshes the lists) in one transaction, so it serialises with a
 * signature committing at the same moment (see apply-signature.ts, which commits only while the row
 * is 签署中 at the version it read). Both workflow types (v1 contractSigningWorkflow, v2
 * contractLifecycleWorkflow) and the reconciler use these.
 */
import type { EntityManager } from '@mikro-orm/core';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { retryOnDeadlock } from '../persistence/concurrency';
import { findRow, findRows } from '../persistence/plain-rows';
import { runSql } from '../persistence/plain-sql';
import { loadContract, type ContractWithSigners } from './contract-access';
import { ContractCcSchema } from './contract-cc.entity';
import { ContractSchema } from './contract.entity';
import type { ContractStatus, VoidReason } from './contract-status';
import { DocumentVersionSchema } from './document-version.entity';
import { writeContractNotices, type NotificationDeps } from './contract-notifications';
import { currentStep } from './routing';
import { toRoutingParticipant } from './routing-snapshot';
import { recordContractEvent, recordContractEvents } from './trail/record-contract-event';
import { userActor } from './void-by-request';

export type ActivationResult = 'activated' | 'already_active' | 'missing';

/**
 * Whether the first step's notice (SMS + 站内消息 asking step 1 to sign) is written by the activation's
 * own transaction: with a transactional SMS sender (the outbox) it commits with 签署中 and cannot be lost
 * or sent twice. Otherwise (a gateway) the contract's workflow sends it, with retries. One rule for the
 * activation below and for the workflow's start input (start-contract.ts).
 */
export const firstStepNoticeInActivation = (sms: NotificationDeps['sms'], em: EntityManager): boolean => sms(em).transactional === true;

/**
 * 创建中 → 签署中 with its `created` trail event (and, for v2, `step_started` of the first step),
 * once. Called by the API right after the workflow started, by the workflow's first activity and by
 * the reconciler (whichever comes first; the others find it done). `actor` is the initiator; without
 * it (recovery) the initiator is recorded without an address.
 */
export async function activateContract(
  em: EntityManager,
  contractId: string,
  actor: (AuditActor & { id: string }) | null = null,
  now = new Date(),
  /** The rows as the start just wrote them (startContract): not read again. The conditional update below still decides. */
  known?: { found: ContractWithSigners; cc: { id: string; name: string }[]; documentSha256: string },
  /** The SMS sender of a start that routes its workflow (start-contract.ts): the first step's notice commits here when `firstStepNoticeInActivation`. */
  sms?: NotificationDeps['sms'],
): Promise<ActivationResult> {
  const found = known?.found ?? (await loadContract(em, contractId));
  if (!found) return 'missing';
  if (found.contract.status !== 'starting') return 'already_active';
  const initiator = actor ?? (await userActor(em, found.contract.initiatorId));
  const cc = known?.cc ?? (await findRows(em, ContractCcSchema, { contractId }, { orderBy: [['createdAt', 'asc']] }));
  const changed = await retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      if ((await runSql(tx, "update contracts set status = 'in_progress' where id = ? and status = 'starting'", [contractId])) !== 1) return false;
      const documentSha256 = known ? { documentSha256: known.documentSha256 } : {};
      const events: Parameters<typeof recordContractEvents>[1][number][] = [{ actor: initiator, event: { contractId, type: 'created', payload: createdPayload(found, cc, !actor), at: now, ...documentSha256 } }];
      if (found.contract.lifecycle === 2) {
        const step = currentStep(found.signers.map(toRoutingParticipant));
        const first = found.signers.filter((s) => s.step === step);
        if (step !== null && first.length > 0) {
          events.push({ actor: initiator, event: { contractId, type: 'step_started', payload: { step, participantIds: first.map((s) => s.id), names: first.map((s) => s.name) }, at: now, ...documentSha256 } });
          if (sms && firstStepNoticeInActivation(sms, tx)) {
            await writeContractNotices({ sms }, tx, { contractId, event: 'step_started', step }, { contract: { ...found.contract, status: 'in_progress' }, participants: found.signers }, now);
          }
        }
      }
      await recordContractEvents(tx, events);
      return true;
    }),
  );
  if (changed) return 'activated';
  return (await findRow(em.fork(), ContractSchema, { id: contractId })) ? 'already_active' : 'missing';
}

function createdPayload({ contract, signers }: ContractWithSigners, cc: { id: string; name: string }[], recovered: boolean) {
  return {
    title: contract.title,
    contractNo: contract.contractNo,
    lifecycle: contract.lifecycle === 2 ? (2 as const) : (1 as const),
    pageCount: contract.pageCount,
    expiresAt: contract.expiresAt.toISOString(),
    actAs: contract.initiatorEnterpriseId ? ('enterprise' as const) : ('person' as const),
    initiatorEnterpriseId: contract.initiatorEnterpriseId,
    participants: signers.map((s) => ({ id: s.id, step: s.step, kind: s.kind, name: s.name })),
    // The row's id, never its user: the payload is shown to every viewer (contract-event-types.ts).
    cc: cc.map((c) => ({ id: c.id, name: c.name })),
    ...(recovered ? { recovered: true } : {}),
  };
}

export interface CloseOutcome {
  status: ContractStatus;
  voidReason: VoidReason | null;
  /** Signers (participants) whose signature is committed in the database: the workflow adopts this. */
  signedSignerIds: string[];
}

export interface CloseRequest {
  contractId: string;
  /** null: every participant signed (已完成). Otherwise the reason to void if not every participant has signed. */
  voidReason: VoidReason | null;
  /** Why, for the trail (e.g. `workflow_cancelled`, `workflow_terminated`). */
  cause?: string;
}

/**
 * Ends a contract, deciding from what the database has committed: 已完成 if every participant's
 * signature is committed (also when it is asked to void: a signature that committed before the
 * end counts), otherwise 已作废 with the given reason. Idempotent: an ended contract reports how it
 * ended. The caller (workflow, reconciler) adopts the outcome, so database and workflow agree.
 */
export async function closeContract(em: EntityManager, request: CloseRequest, now = new Date()): Promise<CloseOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await loadContract(em.fork(), request.contractId);
    if (!found) throw new Error(`Contract ${request.contractId} does not exist`);
    const { contract, signers } = found;
    const signedSignerIds = signers.filter((s) => s.status === 'signed').map((s) => s.id);
    if (contract.status === 'completed' || contract.status === 'voided') return { status: contract.status, voidReason: contract.voidReason, signedSignerIds };
    if (contract.status === 'starting') throw new Error(`Contract ${contract.id} is still starting; the reconciler removes it if its workflow never ran`);
    const allSigned = signedSignerIds.length === signers.length;
    if (!allSigned && request.voidReason === null) throw new Error(`Contract ${contract.id} cannot complete: ${signers.length - signedSignerIds.length} signature(s) missing`);
    const to: ContractStatus = allSigned ? 'completed' : 'voided';
    const voidReason = allSigned ? null : request.voidReason;
    const done = await retryOnDeadlock(() =>
      em.fork().transactional(async (tx) => {
        // Conditional on the version read above: a signature committing meanwhile makes this 0 rows and we decide again.
        const n = await tx.nativeUpdate(
          ContractSchema,
          { id: contract.id, status: 'in_progress', documentVersion: contract.documentVersion },
          to === 'completed' ? { status: to, completedAt: now } : { status: to, voidedAt: now, voidReason },
        );
        if (n !== 1) return false;
        await recordClose(tx, contract.id, contract.documentVersion, voidReason, request.cause, now);
        return true;
      }),
    );
    if (done) return { status: to, voidReason, signedSignerIds };
  }
  throw new Error(`Contract ${request.contractId}: could not close after 5 attempts (concurrent changes)`);
}

async function recordClose(tx: EntityManager, contractId: string, documentVersion: number, voidReason: VoidReason | null, cause: string | undefined, at: Date) {
  const withCause = cause ? { cause: cause.slice(0, 60) } : {};
  if (voidReason === null) {
    // The final document's hash is part of the chain: the trail and the document vouch for each other.
    const final = await tx.findOneOrFail(DocumentVersionSchema, { contractId, version: documentVersion });
    await recordContractEvent(tx, SYSTEM_ACTOR, { contractId, type: 'completed', payload: { documentVersion }, documentSha256: final.sha256, at });
  } else if (voidReason === 'expired') {
    await recordContractEvent(tx, SYSTEM_ACTOR, { contractId, type: 'expired', payload: withCause, at });
  } else if (voidReason === 'revoked_by_platform') {
    await recordContractEvent(tx, SYSTEM_ACTOR, { contractId, type: 'revoked_by_platform', payload: withCause, at });
  } else {
    throw new Error(`closeContract: ${voidReason} is decided by a user's request (void-by-request.ts), not by a close`);
  }
}
