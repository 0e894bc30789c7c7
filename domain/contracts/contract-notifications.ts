/**
 * Who hears about what happens to a v2 contract, and the texts (zh-CN). One place for:
 * - step started / 催办 → the pending participants: SMS + 站内消息. A person is reached as their
 *   user (an invited, unregistered number by SMS only); an enterprise or department participant
 *   through the operator the initiator named, else the enterprise's administrator;
 * - completed / voided → the initiator, every participant's user and every CC recipient: 站内消息.
 * 站内消息 rows are written in one transaction with the SMS hand-over (the outbox sender writes in
 * the same transaction; a gateway failure rolls the notices back and the activity retries).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { UserSchema } from '../identity/user.entity';
import { notifyNow } from '../notifications/notify';
import { findRow, findRows } from '../persistence/plain-rows';
import { transactionWithSms } from '../sms/sms-after-commit';
import { allSql, runSql, sqlDate } from '../persistence/plain-sql';
import { fromDbDate, lockingRead, sqlDialect } from '../persistence/sql-dialect';
import { ContractCcSchema } from './contract-cc.entity';
import { loadContract } from './contract-access';
import type { ContractSigner } from './contract-signer.entity';
import { VOID_REASON_LABELS } from './contract-status';
import type { ContractNotice } from './contract-notice';
import type { Contract } from './contract.entity';
import { sendNoticeSms, smsTitle } from '../sms/notice-budget';
import { namedOperatorOf } from './participant-actor';

export type { ContractNotice } from './contract-notice';

export interface NotificationDeps {
  em: EntityManager;
  sms(em: EntityManager): SmsSender;
}

export interface Recipient {
  userId: string | null;
  mobile: string;
  enterpriseId: string | null;
}

export const contractLink = (contractId: string) => `/contracts/${contractId}/show`;

/** Who acts for a participant: the person, the named operator, or the enterprise's administrator. */
export async function participantRecipient(em: EntityManager, p: ContractSigner): Promise<Recipient | null> {
  const enterpriseId = p.kind === 'person' ? null : p.enterpriseId;
  // A named operator who left the enterprise no longer hears about it: its administrator does.
  let userId = p.kind === 'person' ? p.userId : await namedOperatorOf(em, p);
  if (!userId && enterpriseId) userId = (await em.findOne(EnterpriseSchema, { id: enterpriseId }, { fields: ['adminUserId'] }))?.adminUserId ?? null;
  if (!userId) return p.mobile ? { userId: null, mobile: p.mobile, enterpriseId } : null;
  const user = await findRow(em, UserSchema, { id: userId });
  return { userId, mobile: user?.mobile ?? p.mobile, enterpriseId };
}

/** Sends "please sign" (step started, or urged) to the given participants; returns how many were reached. */
export async function askToSign(deps: Pick<NotificationDeps, 'sms'>, tx: EntityManager, contract: Contract, participants: ContractSigner[], urged: boolean, now = new Date()): Promise<number> {
  let reached = 0;
  for (const p of participants) {
    const to = await participantRecipient(tx, p);
    if (!to) continue;
    const who = p.kind === 'person' ? '您' : `${p.name}`;
    const title = urged ? `催办：请签署《${contract.title}》` : `待签署：《${contract.title}》`;
    const bodyOf = (t: string) => (urged ? `发起方提醒${who}尽快签署合同《${t}》。` : `合同《${t}》已轮到${who}签署，请登录 SealFlow 查看并签署。`);
    if (to.userId) await notifyNow(tx, { userId: to.userId, enterpriseId: to.enterpriseId, kind: urged ? 'contract.urged' : 'contract.to_sign', title, body: bodyOf(contract.title), link: contractLink(contract.id), at: now });
    // Within the number's daily notice budget (notice-budget.ts); the title shortened.
    if (to.mobile) await sendNoticeSms(tx, deps.sms(tx), { mobile: to.mobile, purpose: urged ? 'contract_urge' : 'contract_to_sign', content: `【SealFlow】${bodyOf(smsTitle(contract.title))}` }, now);
    reached++;
  }
  return reached;
}

/** Everyone who hears about the end of a contract: initiator, participants (and who signed for them), CC. */
async function endRecipients(em: EntityManager, contract: Contract, participants: ContractSigner[]): Promise<Map<string, string | null>> {
  const users = new Map<string, string | null>([[contract.initiatorId, contract.initiatorEnterpriseId]]);
  for (const p of participants) {
    // Only the user is needed here (站内消息): a person participant's user id is on its row, no lookup.
    const to = p.kind === 'person' && p.userId ? { userId: p.userId, enterpriseId: null } : await participantRecipient(em, p);
    if (to?.userId && !users.has(to.userId)) users.set(to.userId, to.enterpriseId);
    if (p.signedByUserId && !users.has(p.signedByUserId)) users.set(p.signedByUserId, p.kind === 'person' ? null : p.enterpriseId);
  }
  // A CC row without a user (a number not registered and verified yet) has nobody to write a 站内消息 to.
  for (const cc of await findRows(em, ContractCcSchema, { contractId: contract.id })) if (cc.userId && !users.has(cc.userId)) users.set(cc.userId, null);
  return users;
}

/** The contract and its participants as the change being notified left them (read by the caller). */
export interface NoticeRows {
  contract: Contract;
  participants: ContractSigner[];
}

/**
 * Sends the notices for one workflow notice; returns how many recipients were reached. `loaded`:
 * the rows as the change that led to the notice left them (an activity that just committed it
 * passes what it has), else they are read.
 */
export async function notifyContractEvent(deps: NotificationDeps, notice: ContractNotice, now = new Date(), loaded?: NoticeRows): Promise<{ notified: number }> {
  const found = loaded ?? (await noticeRowsOf(deps.em, notice.contractId));
  if (!found) return { notified: 0 };
  const notified = await transactionWithSms(deps.em, deps.sms, async (tx, sms) => {
    // A step's 待签署 read before the transaction: not for a contract that ended meanwhile (the rows above may be older).
    if (notice.event === 'step_started' && !(await stillInProgress(tx, notice.contractId, now))) return 0;
    return writeContractNotices({ sms }, tx, notice, found, now);
  });
  return { notified };
}

/**
 * Whether the contract is 签署中 and not expired, read under its row's write lock (the lock every change of a contract
 * takes first, by its trail event): a change that ends it either committed before this read or waits for this transaction.
 */
export async function stillInProgress(tx: EntityManager, contractId: string, now: Date): Promise<boolean> {
  const [row] = await allSql(tx, `select status, expires_at from contracts where id = ?${lockingRead(tx, 'update')}`, [contractId]);
  return row !== undefined && row.status === 'in_progress' && fromDbDate(row.expires_at).getTime() > now.getTime();
}

async function noticeRowsOf(em: EntityManager, contractId: string): Promise<NoticeRows | null> {
  const found = await loadContract(em, contractId);
  return found && { contract: found.contract, participants: found.signers };
}

/** The key a notice is sent under once per contract: a step's 待签署, the 已完成, the 已作废. */
const contractNoticeKey = (notice: ContractNotice) => `${notice.contractId}:${notice.event === 'step_started' ? `step_started:${notice.step}` : notice.event}`;

/**
 * Claims the notice in `tx` (contract-notice-sent.entity.ts): true the first time, false when it was
 * sent already — then nothing is written again. A parallel claim of the same key waits for this
 * transaction (the primary key) and finds it taken once it commits.
 */
async function claimNotice(tx: EntityManager, notice: ContractNotice, now: Date): Promise<boolean> {
  const insert = sqlDialect(tx) === 'sqlite' ? 'insert into contract_notices_sent (id, contract_id, sent_at) values (?, ?, ?) on conflict (id) do nothing' : 'insert ignore into contract_notices_sent (id, contract_id, sent_at) values (?, ?, ?)';
  return (await runSql(tx, insert, [contractNoticeKey(notice), notice.contractId, sqlDate(tx, now)])) === 1;
}

/**
 * The notices of one workflow notice, written in `tx` (SMS through `deps.sms(tx)`); how many
 * recipients were reached (0 when this notice was sent before: each is sent once per contract).
 * Inside the transaction of the change that causes them only when the SMS sender is `transactional`
 * (the outbox): a gateway call never runs in a transaction.
 */
export async function writeContractNotices(deps: Pick<NotificationDeps, 'sms'>, tx: EntityManager, notice: ContractNotice, rows: NoticeRows, now: Date): Promise<number> {
  if (!(await claimNotice(tx, notice, now))) return 0;
  const { contract, participants } = rows;
  if (notice.event === 'step_started') {
    const pending = participants.filter((p) => p.step === notice.step && p.status === 'pending');
    return askToSign(deps, tx, contract, pending, false, now);
  }
  const ended = notice.event === 'completed' ? '已完成签署' : `已作废（${contract.voidReason ? VOID_REASON_LABELS[contract.voidReason].zh : '作废'}）`;
  const note = notice.event === 'voided' && contract.voidNote ? `原因：${contract.voidNote}` : '';
  const users = await endRecipients(tx, contract, participants);
  for (const [userId, enterpriseId] of users) {
    await notifyNow(tx, { userId, enterpriseId, kind: `contract.${notice.event}`, title: `合同《${contract.title}》${ended}`, body: `合同《${contract.title}》${ended}。${note}`, link: contractLink(contract.id), at: now });
  }
  return users.size;
}
