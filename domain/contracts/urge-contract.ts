/**
 * 催办: the initiator (or an enterprise administrator for the enterprise's contracts — `mayManageAsInitiator`, also
 * checked by the API) urges the pending participants of the current step. Rate limit per participant, enforced by
 * ONE conditional UPDATE each (so parallel requests cannot both pass): at least an hour apart and at
 * most URGE_DAILY_CAP times per China day. The accepted ones get SMS + 站内消息 and one `urged`
 * trail event, all in one transaction.
 */
import type { EntityManager } from '@mikro-orm/core';
import { raw } from '@mikro-orm/core';
import { rejected } from '../errors';
import { transactionWithSms } from '../sms/sms-after-commit';
import { loadContract } from './contract-access';
import { askToSign, stillInProgress, type NotificationDeps } from './contract-notifications';
import { mayManageAsInitiator, notAllowedToUrge } from './initiator-rights';
import { ContractSignerSchema, type ContractSigner } from './contract-signer.entity';
import { actionRefusal, pendingParticipants } from './routing';
import { assertRequestFresh } from './request-freshness';
import { toRoutingParticipant } from './routing-snapshot';
import { recordContractEvent } from './trail/record-contract-event';
import { userActor } from './void-by-request';

export const URGE_MIN_INTERVAL_MS = 60 * 60 * 1000;
export const URGE_DAILY_CAP = 3;

export interface UrgeInput {
  contractId: string;
  actorUserId: string;
  /** Default: every pending participant of the current step. */
  participantIds?: string[];
  /** When the API accepted the request and its workflow run received it (ISO; request-freshness.ts); absent on Updates from before. */
  requestedAt?: string;
  receivedAt?: string;
}

export interface UrgeSkip {
  participantId: string;
  name: string;
  reason: 'NOT_PENDING' | 'URGED_RECENTLY' | 'DAILY_LIMIT';
  message: string;
  messageEn: string;
}

export interface UrgeOutcome {
  urged: string[];
  skipped: UrgeSkip[];
}

const SKIPS: Record<UrgeSkip['reason'], { message: string; messageEn: string }> = {
  NOT_PENDING: { message: '该签署方当前无需签署', messageEn: 'This participant has nothing to sign now' },
  URGED_RECENTLY: { message: '1 小时内已催办过该签署方', messageEn: 'This participant was urged less than an hour ago' },
  DAILY_LIMIT: { message: `今日催办该签署方已达 ${URGE_DAILY_CAP} 次`, messageEn: `This participant was already urged ${URGE_DAILY_CAP} times today` },
};

/** The calendar day in China time (UTC+8, no daylight saving). */
export const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Takes one urge of the participant's budget, atomically: same day → count + 1 while below the cap;
 * new day → count = 1. Both require the last urge an hour ago or more. Returns whether it was taken.
 */
async function takeUrge(tx: EntityManager, participantId: string, now: Date): Promise<boolean> {
  const day = chinaDay(now);
  const hourAgo = new Date(now.getTime() - URGE_MIN_INTERVAL_MS);
  const rested = { $or: [{ lastUrgedAt: null }, { lastUrgedAt: { $lte: hourAgo } }] };
  const sameDay = await tx.nativeUpdate(
    ContractSignerSchema,
    { id: participantId, status: 'pending', urgeDay: day, urgeCount: { $lt: URGE_DAILY_CAP }, ...rested },
    { urgeCount: raw('urge_count + 1'), lastUrgedAt: now },
  );
  if (sameDay === 1) return true;
  const newDay = await tx.nativeUpdate(
    ContractSignerSchema,
    { id: participantId, status: 'pending', $and: [{ $or: [{ urgeDay: null }, { urgeDay: { $ne: day } }] }, rested] },
    { urgeCount: 1, urgeDay: day, lastUrgedAt: now },
  );
  return newDay === 1;
}

export async function urgeContract(deps: NotificationDeps, input: UrgeInput, now = new Date()): Promise<UrgeOutcome> {
  assertRequestFresh(input, now);
  const found = await loadContract(deps.em, input.contractId);
  if (!found) throw new Error(`Contract ${input.contractId} not found`);
  const { contract, signers } = found;
  if (!(await mayManageAsInitiator(deps.em, contract, input.actorUserId))) throw notAllowedToUrge();
  const refusal = contract.expiresAt.getTime() <= now.getTime() ? actionRefusal('CONTRACT_EXPIRED') : contract.status !== 'in_progress' ? actionRefusal('CONTRACT_NOT_IN_PROGRESS') : null;
  if (refusal) throw rejected(refusal.code, refusal.message, refusal.messageEn);
  const pendingIds = new Set(pendingParticipants(signers.map(toRoutingParticipant)).map((p) => p.participantId));
  const wanted = input.participantIds ? signers.filter((s) => input.participantIds!.includes(s.id)) : signers.filter((s) => pendingIds.has(s.id));
  const skip = (p: ContractSigner, reason: UrgeSkip['reason']): UrgeSkip => ({ participantId: p.id, name: p.name, reason, ...SKIPS[reason] });
  const actor = await userActor(deps.em, input.actorUserId);

  return transactionWithSms(deps.em, deps.sms, async (tx, sms) => {
    // Again under the contract row's lock, which every end of a contract takes (its trail event): a contract voided
    // or completed since the read above sends no 催办 (the participants' rows do not change when it is voided).
    if (!(await stillInProgress(tx, contract.id, now))) {
      const r = actionRefusal('CONTRACT_NOT_IN_PROGRESS');
      throw rejected(r.code, r.message, r.messageEn);
    }
    // Who may urge, again in the transaction that sends: a member removed or an administrator replaced since the check urges no one.
    if (!(await mayManageAsInitiator(tx, contract, input.actorUserId))) throw notAllowedToUrge();
    const urged: ContractSigner[] = [];
    const skipped: UrgeSkip[] = [];
    // Sorted by id: parallel requests lock the participant rows in the same order.
    for (const p of [...wanted].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (!pendingIds.has(p.id)) skipped.push(skip(p, 'NOT_PENDING'));
      else if (await takeUrge(tx, p.id, now)) urged.push(p);
      else {
        const [row] = await tx.find(ContractSignerSchema, { id: p.id }, { fields: ['urgeDay', 'urgeCount', 'status'], disableIdentityMap: true });
        skipped.push(skip(p, row?.status !== 'pending' ? 'NOT_PENDING' : row.urgeDay === chinaDay(now) && row.urgeCount >= URGE_DAILY_CAP ? 'DAILY_LIMIT' : 'URGED_RECENTLY'));
      }
    }
    if (urged.length > 0) {
      await recordContractEvent(tx, actor, { contractId: contract.id, type: 'urged', payload: { participantIds: urged.map((p) => p.id), names: urged.map((p) => p.name) }, at: now });
      await askToSign({ sms }, tx, contract, urged, true, now);
    }
    return { urged: urged.map((p) => p.name), skipped };
  });
}
