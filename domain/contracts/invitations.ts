/**
 * SMS invitations (M21): a person participant whose mobile is not registered when the contract
 * starts gets one SMS with the portal link; the participant row stays bound to that mobile number
 * (`user_id` NULL). When the number's owner passes 实名认证, `claimContractInvitations` binds every
 * such row to them, and the contract is waiting in their lists.
 * Each step is a conditional UPDATE in the transaction that writes its trail event, so a retry
 * never sends or claims twice. With an SMS gateway the message goes out after the claim commits (a
 * network call never runs in a transaction): a failed delivery undoes the claim, a delivered one is
 * recorded in the trail.
 * 抄送 numbers without an account are treated alike (contract-cc.entity.ts): one SMS notice per row once the
 * contract is 签署中 (`sendCcNotices`; no trail event: the trail is shown to the initiator and must not tell which
 * numbers had no account), and the rows are bound to the number's owner at 实名认证 (`cc_claimed`).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import type { AuditActor } from '../audit/record-audit';
import { maskMobile } from '../identity/masking';
import { UserSchema, type User } from '../identity/user.entity';
import { retryOnDeadlock } from '../persistence/concurrency';
import { ContractCcSchema } from './contract-cc.entity';
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

export const ccNoticeText = (initiatorName: string, title: string, publicUrl: string) =>
  `【SealFlow】${initiatorName}将合同《${smsTitle(title)}》抄送给您。请访问 ${publicUrl.replace(/\/+$/, '')}/register 用本手机号注册并完成实名认证后查看。`;

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
 * Sends the notice of every 抄送 row of an active contract whose number has no account and was not noticed yet; returns
 * how many were sent. Like the invitations: a conditional UPDATE of `invited` in the transaction that hands the
 * message to the outbox (or, with a gateway, the claim first and the call after the commit, undone when not
 * delivered), within the number's daily notice budget. No trail event (see above).
 */
export async function sendCcNotices(deps: InvitationDeps, contractId: string): Promise<number> {
  const em = deps.em.fork();
  const contract = await em.findOne(ContractSchema, { id: contractId });
  if (!contract || contract.status !== 'in_progress') return 0;
  const open = await em.find(ContractCcSchema, { contractId, userId: null, invited: false }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  if (open.length === 0) return 0;
  const initiatorName = (await em.findOne(UserSchema, { id: contract.initiatorId }, { fields: ['name'] }))?.name ?? '';
  const sender = deps.sms(deps.em);
  let sent = 0;
  for (const cc of open) {
    const message = { mobile: cc.mobile, purpose: 'contract_cc_notice', content: ccNoticeText(initiatorName, contract.title, deps.publicUrl) };
    const claimed = await retryOnDeadlock(() =>
      deps.em.fork().transactional(async (tx) => {
        const n = await tx.nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, invited: false }, { invited: true });
        if (n !== 1) return false;
        // Past the number's budget the row counts as noticed (no retry); its owner still finds the contract once verified.
        return sendNoticeSms(tx, sender.transactional ? deps.sms(tx) : { send: async () => undefined }, message);
      }),
    );
    if (!claimed) continue;
    if (!sender.transactional) {
      const delivered = await sender.send(message).then(
        () => true,
        (err: unknown) => (console.warn(`[sms] CC notice to ${maskMobile(cc.mobile)} not delivered: ${err instanceof Error ? err.message : String(err)}`), false),
      );
      if (!delivered) {
        await deps.em.fork().nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, invited: true }, { invited: false });
        continue;
      }
    }
    sent++;
  }
  return sent;
}

/**
 * Binds the invitations for `user.mobile` to the user (called once 实名认证 is approved): every
 * person participant row with that mobile and no user, of a contract past 创建中. The participant keeps the
 * name the initiator gave (the trail too): the verified name is nobody else's business until its owner signs,
 * and signing needs the two to match (participant-actor.ts). The 抄送 rows with that mobile and no user are bound
 * alike (`cc_claimed`, without any name: the row keeps showing the masked number). Returns the contracts claimed.
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
  for (const cc of await em.fork().find(ContractCcSchema, { userId: null, mobile: user.mobile })) {
    const ok = await retryOnDeadlock(() =>
      em.fork().transactional(async (tx) => {
        const contract = await tx.findOne(ContractSchema, { id: cc.contractId });
        if (!contract || contract.status === 'starting') return false;
        const n = await tx.nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, mobile: user.mobile }, { userId: user.id });
        if (n !== 1) return false;
        // Recorded under the row's masked number, never the verified name (the trail is shown to the contract's other parties).
        await recordContractEvent(tx, { ...actor, name: cc.name }, { contractId: cc.contractId, type: 'cc_claimed', payload: { ccId: cc.id, userId: user.id } });
        return true;
      }),
    );
    if (ok && !claimed.includes(cc.contractId)) claimed.push(cc.contractId);
  }
  return claimed;
}
