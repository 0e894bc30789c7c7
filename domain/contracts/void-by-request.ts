/**
 * 拒签 and 撤销 end a 签署中 contract at a user's request. Shared here: one conditional UPDATE
 * (only while the row is 签署中 and not expired — a contract that ended meanwhile keeps how it ended, and one past
 * its expiry is the workflow's to end as 已过期), the re-check of the actor's authority, the
 * participant's change, and the trail event, in ONE transaction (retried as a deadlock victim).
 * The workflow holds its lock while this runs, so no signature of this contract runs meanwhile.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../audit/record-audit';
import { UserSchema } from '../identity/user.entity';
import { rejected } from '../errors';
import { retryOnDeadlock } from '../persistence/concurrency';
import { ContractSchema } from './contract.entity';
import type { VoidReason } from './contract-status';
import { actionRefusal } from './routing';
import { recordContractEvent } from './trail/record-contract-event';
import type { ContractEventInput } from './trail/contract-event-types';

export interface EndOutcome {
  status: 'completed' | 'voided';
  voidReason: VoidReason | null;
}

export async function userActor(em: EntityManager, userId: string): Promise<AuditActor & { id: string }> {
  const user = await em.findOne(UserSchema, { id: userId }, { fields: ['name'] });
  return { id: userId, name: user?.name ?? '', ip: null };
}

/**
 * Voids the contract with `reason` / `note` if it is still 签署中; `alsoInTx` writes the rest of the
 * change (e.g. the participant refused). Answers how the contract ended (the database's truth).
 * `authority` re-asserts, inside the transaction and right after the contract row is claimed, what the caller
 * checked about the actor before it (the same rule: a member removed or an administrator replaced meanwhile);
 * it throws its AppError (403) and the transaction rolls back. On SQLite the claim already holds the write lock;
 * on MariaDB `authority` reads the rows it depends on locking.
 */
export async function voidByRequest(
  em: EntityManager,
  request: {
    contractId: string;
    reason: 'refused' | 'revoked';
    note: string;
    actor: AuditActor;
    event: ContractEventInput;
    authority: (tx: EntityManager) => Promise<void>;
    alsoInTx?: (tx: EntityManager) => Promise<void>;
  },
  now = new Date(),
): Promise<EndOutcome> {
  const done = await retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      // Expiry wins at the boundary too: a request checked before it and committed after it voids nothing.
      const n = await tx.nativeUpdate(ContractSchema, { id: request.contractId, status: 'in_progress', expiresAt: { $gt: now } }, { status: 'voided', voidReason: request.reason, voidNote: request.note, voidedAt: now });
      if (n !== 1) return false;
      await request.authority(tx);
      await request.alsoInTx?.(tx);
      await recordContractEvent(tx, request.actor, { ...request.event, at: now } as ContractEventInput);
      return true;
    }),
  );
  if (done) return { status: 'voided', voidReason: request.reason };
  const contract = await em.fork().findOneOrFail(ContractSchema, { id: request.contractId });
  if (contract.status === 'completed') return { status: 'completed', voidReason: null };
  if (contract.status === 'voided') return { status: 'voided', voidReason: contract.voidReason };
  if (contract.status === 'in_progress' && contract.expiresAt.getTime() <= now.getTime()) {
    const r = actionRefusal('CONTRACT_EXPIRED');
    throw rejected(r.code, r.message, r.messageEn);
  }
  throw new Error(`Contract ${request.contractId} is ${contract.status}: cannot void it`);
}
