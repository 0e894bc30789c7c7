/**
 * SMS invitations (M21): a person participant whose mobile is not registered when the contract
 * starts gets one SMS with the portal link; the participant row stays bound to that mobile number
 * (`user_id` NULL). When the number's owner passes 实名认证, `claimContractInvitations` binds every
 * such row to them, and the contract is waiting in their lists.
 * Each step is a conditional UPDATE in the transaction that writes its trail event, so a retry
 * never sends or claims twice. With an SMS gateway the message goes out after the claim commits (a
 * network call never runs in a transaction): a failed delivery undoes the claim, a delivered one is
 * recorded in the trail.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import type { AuditActor } from '../audit/record-audit';
import { maskMobile } from '../identity/masking';
import { UserSchema, type User } from '../identity/user.entity';
import { retryOnDeadlock } from '../persistence/concurrency';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema } from './contract.entity';
import { sendNoticeSms, smsTitle } from '../sms/notice-budget';
import { recordContractEvent } from './trail/record-contract-event';

export interface InvitationDeps {
  em: EntityManager;
  sms(em: EntityManager): SmsSender;
  /** The portal's address (PUBLIC_URL). */
  publicUrl: string;
}

export const invitationText = (initiatorName: string, title: string, publicUrl: string) =>
  `【SealFlow】${initiatorName}邀请您签署合同《${smsTitle(title)}》。请访问 ${publicUrl.replace(/\/+$/, '')}/register 用本手机号注册并完成实名认证，即可查看并签署。`;

/** Sends the invitation of every unregistered person participant of an active contract not invited yet; returns how many were sent. */
export async function sendContractInvitations(deps: InvitationDeps, contractId: string): Promise<number> {
  const em = deps.em.fork();
  const contract = await em.findOne(ContractSchema, { id: contractId });
  if (!contract || contract.status !== 'in_progress') return 0;
  const open = await em.find(ContractSignerSchema, { contractId, kind: 'person', userId: null, invited: false }, { orderBy: { order: 'asc' } });
  if (open.length === 0) return 0;
  const initiatorUser = await em.findOne(UserSchema, { id: contract.initiatorId }, { fields: ['name'] });
  const initiator: AuditActor = { id: contract.initiatorId, name: initiatorUser?.name ?? '', ip: null };
  const sender = deps.sms(deps.em);
  let sent = 0;
  for (const p of open) {
    const message = { mobile: p.mobile, purpose: 'contract_invitation', content: invitationText(initiator.name, contract.title, deps.publicUrl) };
    const recorded = (tx: EntityManager) => recordContractEvent(tx, initiator, { contractId, type: 'invitation_sent', payload: { participantId: p.id, name: p.name, mobileMasked: maskMobile(p.mobile) } });
    const claimed = await retryOnDeadlock(() =>
      deps.em.fork().transactional(async (tx) => {
        const n = await tx.nativeUpdate(ContractSignerSchema, { id: p.id, userId: null, invited: false }, { invited: true });
        if (n !== 1) return false;
        // Within the number's daily notice budget (notice-budget.ts). Past it the participant counts as invited (no retry) and
        // the trail records no invitation; the number's owner still finds the contract once registered and verified.
        // The outbox writes the message here, with its trail event; a gateway is called after the commit (below).
        if (!(await sendNoticeSms(tx, sender.transactional ? deps.sms(tx) : { send: async () => undefined }, message))) return false;
        if (sender.transactional) await recorded(tx);
        return true;
      }),
    );
    if (!claimed) continue;
    if (!sender.transactional) {
      // Never inside the transaction (it would hold its locks for the gateway's time). Not delivered: the claim is
      // undone, so a retry of the start (same key) sends it; delivered: the trail records it.
      const delivered = await sender.send(message).then(
        () => true,
        (err: unknown) => (console.warn(`[sms] invitation to ${maskMobile(p.mobile)} not delivered: ${err instanceof Error ? err.message : String(err)}`), false),
      );
      if (!delivered) {
        await deps.em.fork().nativeUpdate(ContractSignerSchema, { id: p.id, userId: null, invited: true }, { invited: false });
        continue;
      }
      await retryOnDeadlock(() => deps.em.fork().transactional(recorded));
    }
    sent++;
  }
  return sent;
}

/**
 * Binds the invitations for `user.mobile` to the user (called once 实名认证 is approved): every
 * person participant row with that mobile and no user, of a contract past 创建中. The participant keeps the
 * name the initiator gave (the trail too): the verified name is nobody else's business until its owner signs,
 * and signing needs the two to match (participant-actor.ts). Returns the contracts claimed.
 */
export async function claimContractInvitations(em: EntityManager, user: Pick<User, 'id' | 'name' | 'mobile'>, actor: AuditActor = { id: user.id, name: user.name, ip: null }): Promise<string[]> {
  const rows = await em.fork().find(ContractSignerSchema, { kind: 'person', userId: null, mobile: user.mobile });
  const claimed: string[] = [];
  for (const p of rows) {
    const ok = await retryOnDeadlock(() =>
      em.fork().transactional(async (tx) => {
        const contract = await tx.findOne(ContractSchema, { id: p.contractId });
        if (!contract || contract.status === 'starting') return false;
        const n = await tx.nativeUpdate(ContractSignerSchema, { id: p.id, userId: null, mobile: user.mobile }, { userId: user.id });
        if (n !== 1) return false;
        await recordContractEvent(tx, { ...actor, name: p.name }, { contractId: p.contractId, type: 'invitation_claimed', payload: { participantId: p.id, userId: user.id, name: p.name } });
        return true;
      }),
    );
    if (ok) claimed.push(p.contractId);
  }
  return claimed;
}
