/**
 * SMS invitations (M21): a person participant not bound to an account when the contract starts (the
 * number has none, or its owner has not passed 实名认证 under the name the initiator gave: participant-actor.ts
 * `bindsPerson`) gets one SMS with the portal link; the row stays tied to that mobile number (`user_id` NULL).
 * When the number's owner passes 实名认证 under that name, `claimContractInvitations` binds the row to them,
 * and the contract is waiting in their lists; under another name it stays unbound (they never see it).
 * Each step is a conditional UPDATE in the transaction that writes its trail event, so a retry
 * never sends or claims twice. With an SMS gateway the message goes out after the claim commits (a
 * network call never runs in a transaction): a failed delivery undoes the claim, a delivered one is
 * recorded in the trail.
 * 抄送 numbers without an account are treated alike (contract-cc.entity.ts): one SMS notice per row once the
 * contract is 签署中 (`sendCcNotices`; no trail event: the trail is shown to the initiator and must not tell which
 * numbers had no account), and the rows are bound to the number's owner at 实名认证 (audit `contract.cc_claimed`, not in the
 * trail, for the same reason).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { auditRow, insertAuditRows, type AuditActor } from '../audit/record-audit';
import { maskMobile } from '../identity/masking';
import { UserSchema, type User } from '../identity/user.entity';
import { retryOnDeadlock } from '../persistence/concurrency';
import { ContractCcSchema } from './contract-cc.entity';
import { ContractSignerSchema } from './contract-signer.entity';
import { bindsPerson } from './participant-actor';
import { ContractSchema } from './contract.entity';
import { sendNoticeSms, smsTitle } from '../sms/notice-budget';
import { allSql, lockRows, sqlDate } from '../persistence/plain-sql';
import { refreshContractListEntries } from './lists/refresh-list-entries';
import { recordContractEvent } from './trail/record-contract-event';

export interface InvitationDeps {
  em: EntityManager;
  sms(em: EntityManager): SmsSender;
  /** The portal's address (PUBLIC_URL). */
  publicUrl: string;
}

/** Sent alike whether the number has an account or not (the start tells nothing about it). */
export const invitationText = (initiatorName: string, title: string, publicUrl: string) =>
  `【SealFlow】${initiatorName}邀请您签署合同《${smsTitle(title)}》。请访问 ${publicUrl.replace(/\/+$/, '')}/register 用本手机号注册（已有账号请直接登录），以本人姓名完成实名认证后即可查看并签署。`;

export const ccNoticeText = (initiatorName: string, title: string, publicUrl: string) =>
  `【SealFlow】${initiatorName}将合同《${smsTitle(title)}》抄送给您。请访问 ${publicUrl.replace(/\/+$/, '')}/register 用本手机号注册并完成实名认证后查看。`;

/** One message per row, at most once: how `sendOncePerRow` claims, undoes and records a row's message. */
interface OncePerRow<R> {
  /** For the log line of an undelivered message. */
  what: string;
  rows: readonly R[];
  message(row: R): { mobile: string; purpose: string; content: string };
  /** The row's conditional claim (`invited` false → true, still unbound); answers the rows it changed. */
  claim(tx: EntityManager, row: R): Promise<number>;
  /** Undoes the claim of a message the gateway did not deliver (a retry of the start sends it again). */
  undo(row: R): Promise<unknown>;
  /** The trail event of a sent message, if it has one. */
  recorded?(tx: EntityManager, row: R): Promise<unknown>;
}

/**
 * The rows' messages, each claimed by a conditional UPDATE in the transaction that hands the message to the outbox
 * (with its trail event), within the number's daily notice budget (notice-budget.ts: past it the row counts as sent,
 * no retry, no trail event; its owner still finds the contract once verified). With a gateway the claim commits
 * first and the call comes after (never inside a transaction: it would hold the locks for the gateway's time); not
 * delivered, the claim is undone. Answers how many were sent.
 */
async function sendOncePerRow<R>(deps: InvitationDeps, once: OncePerRow<R>): Promise<number> {
  const sender = deps.sms(deps.em);
  let sent = 0;
  for (const row of once.rows) {
    const message = once.message(row);
    const claimed = await retryOnDeadlock(() =>
      deps.em.fork().transactional(async (tx) => {
        if ((await once.claim(tx, row)) !== 1) return false;
        if (!(await sendNoticeSms(tx, sender.transactional ? deps.sms(tx) : { send: async () => undefined }, message))) return false;
        if (sender.transactional) await once.recorded?.(tx, row);
        return true;
      }),
    );
    if (!claimed) continue;
    if (!sender.transactional) {
      const delivered = await sender.send(message).then(
        () => true,
        (err: unknown) => (console.warn(`[sms] ${once.what} to ${maskMobile(message.mobile)} not delivered: ${err instanceof Error ? err.message : String(err)}`), false),
      );
      if (!delivered) {
        await once.undo(row);
        continue;
      }
      const recorded = once.recorded;
      if (recorded) await retryOnDeadlock(() => deps.em.fork().transactional((tx) => recorded(tx, row)));
    }
    sent++;
  }
  return sent;
}

/** The contract if it is 签署中 and has rows to message (`rowsOf`), with its initiator as their sender; else null. */
async function rowsToMessage<R>(deps: InvitationDeps, contractId: string, rowsOf: (em: EntityManager) => Promise<R[]>) {
  const em = deps.em.fork();
  const contract = await em.findOne(ContractSchema, { id: contractId });
  if (!contract || contract.status !== 'in_progress') return null;
  const rows = await rowsOf(em);
  if (rows.length === 0) return null;
  const initiatorUser = await em.findOne(UserSchema, { id: contract.initiatorId }, { fields: ['name'] });
  const initiator: AuditActor = { id: contract.initiatorId, name: initiatorUser?.name ?? '', ip: null };
  return { contract, rows, initiator };
}

/** Sends the invitation of every unbound person participant of an active contract not invited yet (trail: `invitation_sent`); returns how many were sent. */
export async function sendContractInvitations(deps: InvitationDeps, contractId: string): Promise<number> {
  const open = await rowsToMessage(deps, contractId, (em) => em.find(ContractSignerSchema, { contractId, kind: 'person', userId: null, invited: false }, { orderBy: { order: 'asc' } }));
  if (!open) return 0;
  const { contract, rows, initiator } = open;
  return sendOncePerRow(deps, {
    what: 'invitation',
    rows,
    message: (p) => ({ mobile: p.mobile, purpose: 'contract_invitation', content: invitationText(initiator.name, contract.title, deps.publicUrl) }),
    claim: (tx, p) => tx.nativeUpdate(ContractSignerSchema, { id: p.id, userId: null, invited: false }, { invited: true }),
    undo: (p) => deps.em.fork().nativeUpdate(ContractSignerSchema, { id: p.id, userId: null, invited: true }, { invited: false }),
    recorded: (tx, p) => recordContractEvent(tx, initiator, { contractId, type: 'invitation_sent', payload: { participantId: p.id, name: p.name, mobileMasked: maskMobile(p.mobile) } }),
  });
}

/** Sends the notice of every 抄送 row of an active contract whose number has no account and was not noticed yet (no trail event, see above); returns how many were sent. */
export async function sendCcNotices(deps: InvitationDeps, contractId: string): Promise<number> {
  const open = await rowsToMessage(deps, contractId, (em) => em.find(ContractCcSchema, { contractId, userId: null, invited: false }, { orderBy: { createdAt: 'asc', id: 'asc' } }));
  if (!open) return 0;
  const { contract, rows, initiator } = open;
  return sendOncePerRow(deps, {
    what: 'CC notice',
    rows,
    message: (cc) => ({ mobile: cc.mobile, purpose: 'contract_cc_notice', content: ccNoticeText(initiator.name, contract.title, deps.publicUrl) }),
    claim: (tx, cc) => tx.nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, invited: false }, { invited: true }),
    undo: (cc) => deps.em.fork().nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, invited: true }, { invited: false }),
  });
}

/** Both kinds of messages of an active contract not sent yet: the participants' invitations, then the CC notices. */
export async function sendPendingMessages(deps: InvitationDeps, contractId: string): Promise<{ invitations: number; ccNotices: number }> {
  const invitations = await sendContractInvitations(deps, contractId);
  const ccNotices = await sendCcNotices(deps, contractId);
  return { invitations, ccNotices };
}

/**
 * Active contracts created before `createdBefore` with a message still unsent (an unbound person participant or CC
 * row not `invited`): the start that sent them died, or the gateway did not deliver and the claim was undone. For the
 * reconciler (reconcile-contracts.ts); the (user_id, invited) indexes keep it to the rows that are waiting.
 */
export async function contractsWithPendingMessages(em: EntityManager, createdBefore: Date, limit: number): Promise<string[]> {
  const before = sqlDate(em, createdBefore);
  const rows = await allSql(
    em,
    `select s.contract_id as id from contract_signers s join contracts c on c.id = s.contract_id
       where s.user_id is null and s.invited = 0 and s.kind = 'person' and c.status = 'in_progress' and c.created_at < ?
     union
     select cc.contract_id as id from contract_cc cc join contracts c on c.id = cc.contract_id
       where cc.user_id is null and cc.invited = 0 and c.status = 'in_progress' and c.created_at < ?
     limit ${Math.max(0, Math.floor(limit))}`,
    [before, before],
  );
  return rows.map((r) => String(r.id));
}

/**
 * Binds the invitations for `user.mobile` to the user (called once 实名认证 is approved): every
 * person participant row with that mobile, no user and the user's verified name as its given name (bindsPerson), of a
 * contract past 创建中. The participant keeps the name the initiator gave (the trail too): the verified name is
 * nobody else's business until its owner signs. The 抄送 rows with that mobile and no user are bound
 * alike (the user's audit row `contract.cc_claimed`; the row keeps showing the masked number). Returns the contracts claimed.
 */
export async function claimContractInvitations(em: EntityManager, user: Pick<User, 'id' | 'name' | 'mobile' | 'realNameStatus'>, actor: AuditActor = { id: user.id, name: user.name, ip: null }): Promise<string[]> {
  // Only the participants named as this user's verified name (bindsPerson): another person's invitation stays unbound.
  const rows = (await em.fork().find(ContractSignerSchema, { kind: 'person', userId: null, mobile: user.mobile })).filter((p) => bindsPerson(user, p.name));
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
        // The contract row's lock first, as every change of a contract takes it (its trail event): the lists below are
        // recomputed by one change at a time.
        await lockRows(tx, 'contracts', [cc.contractId]);
        const contract = await tx.findOne(ContractSchema, { id: cc.contractId });
        if (!contract || contract.status === 'starting') return false;
        const n = await tx.nativeUpdate(ContractCcSchema, { id: cc.id, userId: null, mobile: user.mobile }, { userId: user.id });
        if (n !== 1) return false;
        // Not in the 签署轨迹: it is shown to the contract's other parties and would tell them this number had no
        // verified account when the contract started. The audit row is the user's, for operators.
        await insertAuditRows(tx, [auditRow(actor, { action: 'contract.cc_claimed', targetType: 'user', targetId: user.id, detail: { contractId: cc.contractId, ccId: cc.id } })]);
        await refreshContractListEntries(tx, cc.contractId);
        return true;
      }),
    );
    if (ok && !claimed.includes(cc.contractId)) claimed.push(cc.contractId);
  }
  return claimed;
}
