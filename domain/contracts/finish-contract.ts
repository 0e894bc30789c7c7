/**
 * The contract's lifecycle writes besides signatures: 创建中 → 签署中 (activation) and the close
 * (已完成 or 已作废). Each is one conditional UPDATE on the contract row plus its audit row in one
 * transaction, so it serialises with a signature committing at the same moment (see
 * apply-signature.ts, which commits only while the row is 签署中 at the version it read).
 */
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { UserSchema } from '../identity/user.entity';
import { loadContract } from './contract-access';
import { ContractSchema } from './contract.entity';
import type { ContractStatus, VoidReason } from './contract-status';

export type ActivationResult = 'activated' | 'already_active' | 'missing';

/**
 * 创建中 → 签署中 with its `contract.created` audit row, once. Called by the API right after the
 * workflow started, by the workflow's first activity and by the reconciler (whichever comes first;
 * the others find it done). `actor` is the initiator; without it (recovery) the initiator is
 * recorded without an address.
 */
export async function activateContract(em: EntityManager, contractId: string, actor: (AuditActor & { id: string }) | null = null, now = new Date()): Promise<ActivationResult> {
  const found = await loadContract(em, contractId);
  if (!found) return 'missing';
  if (found.contract.status !== 'starting') return 'already_active';
  const initiator = actor ?? (await initiatorActor(em, found.contract.initiatorId));
  const changed = await em.transactional(async (tx) => {
    const n = await tx.nativeUpdate(ContractSchema, { id: contractId, status: 'starting' }, { status: 'in_progress' });
    if (n !== 1) return false;
    recordAudit(tx, initiator, {
      action: 'contract.created',
      targetType: 'contract',
      targetId: contractId,
      detail: {
        title: found.contract.title,
        pages: found.contract.pageCount,
        signers: found.signers.map((s) => s.name),
        expiresAt: found.contract.expiresAt.toISOString(),
        ...(actor ? {} : { recovered: true }),
      },
      at: now,
    });
    return true;
  });
  if (changed) return 'activated';
  return (await em.fork().findOne(ContractSchema, { id: contractId })) ? 'already_active' : 'missing';
}

async function initiatorActor(em: EntityManager, userId: string): Promise<AuditActor & { id: string }> {
  const user = await em.findOne(UserSchema, { id: userId });
  return { id: userId, name: user?.name ?? '', ip: null };
}

export interface CloseOutcome {
  status: ContractStatus;
  voidReason: VoidReason | null;
  /** Signers whose signature is committed in the database: the workflow adopts this. */
  signedSignerIds: string[];
}

export interface CloseRequest {
  contractId: string;
  /** null: every signer signed (已完成). Otherwise the reason to void if not every signer has signed. */
  voidReason: VoidReason | null;
  /** Why, for the audit row (e.g. `workflow_cancelled`, `workflow_terminated`). */
  cause?: string;
}

const AUDIT_FOR: Record<VoidReason, 'contract.expired' | 'contract.revoked'> = {
  expired: 'contract.expired',
  revoked_by_platform: 'contract.revoked',
};

/**
 * Ends a contract, deciding from what the database has committed: 已完成 if every signer's
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
    const done = await em.transactional(async (tx) => {
      // Conditional on the version read above: a signature committing meanwhile makes this 0 rows and we decide again.
      const n = await tx.nativeUpdate(
        ContractSchema,
        { id: contract.id, status: 'in_progress', documentVersion: contract.documentVersion },
        to === 'completed' ? { status: to, completedAt: now } : { status: to, voidedAt: now, voidReason },
      );
      if (n !== 1) return false;
      recordAudit(tx, SYSTEM_ACTOR, {
        action: voidReason ? AUDIT_FOR[voidReason] : 'contract.completed',
        targetType: 'contract',
        targetId: contract.id,
        detail: request.cause ? { cause: request.cause } : undefined,
        at: now,
      });
      return true;
    });
    if (done) return { status: to, voidReason, signedSignerIds };
  }
  throw new Error(`Contract ${request.contractId}: could not close after 5 attempts (concurrent changes)`);
}
