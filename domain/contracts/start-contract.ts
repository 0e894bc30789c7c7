import { createHash, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { inspectAndPrepareForSigning } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { EnterpriseSchema, type Enterprise } from '../enterprises/enterprise.entity';
import { readActingRows } from '../enterprises/acting-rows';
import { assertEnterpriseMayTransact } from '../enterprises/enterprise-standing';
import { MembershipSchema } from '../enterprises/membership.entity';
import { SealSchema } from '../enterprises/seal.entities';
import { AppError, invalid, unavailable } from '../errors';
import { maskMobile } from '../identity/masking';
import { UserSchema, type User } from '../identity/user.entity';
import { CONTRACT_EXPIRY_DAYS_BOUNDS, getSetting } from '../platform/settings';
import { findRow, findRows, insertRow } from '../persistence/plain-rows';
import { retryOnDeadlock } from '../persistence/concurrency';
import { ContractCcSchema, type ContractCc } from './contract-cc.entity';
import { ContractMarkSchema } from './contract-mark.entity';
import { ContractSignerSchema, NEW_PARTICIPANT_PROGRESS, type ContractSigner } from './contract-signer.entity';
import { bindsPerson } from './participant-actor';
import { ContractSchema, type Contract } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { loadContract } from './contract-access';
import { activateContract, firstStepNoticeInActivation } from './finish-contract';
import { IdempotencyKeySchema } from './idempotency-key.entity';
import { ContractNoticeSentSchema } from './contract-notice-sent.entity';
import type { StartRouting } from './routing';
import { toRoutingParticipant } from './routing-snapshot';
import { sendPendingMessages } from './invitations';
import { signatureFieldName } from './seal-geometry';
import { checkStartSpec, type ParticipantSpec, type StartContractSpec } from './start-contract-spec';
import { takeContractStartQuota } from './start-quota';
import { reassertTemplateStart, type TemplateStart } from '../templates/template-usable';

export { startContractSpecSchema, type StartContractSpec } from './start-contract-spec';

/** A contract must stay open at least this long: a shorter expiry creates a contract nobody can sign. */
export const MIN_CONTRACT_TTL_MS = 10 * 60_000;
export const CREATE_SCOPE = 'contract.create';
const DAY_MS = 86_400_000;

export interface StartContractDeps {
  em: EntityManager;
  store: DocumentStore;
  limits: { maxBytes: number; maxPages: number };
  /** SMS invitations to unregistered participants. */
  sms(em: EntityManager): SmsSender;
  /** The portal's address, for the invitation's link. */
  publicUrl: string;
  /** Defaults to MIN_CONTRACT_TTL_MS; tests of expiry pass less. */
  minTtlMs?: number;
  /**
   * Starts the contract's workflow (id derived from the contract id) with the routing as written (the
   * workflow then runs no activation of its own; a starter may leave it out and let the workflow's first
   * activity load it). Must be idempotent: starting an already started workflow succeeds. Throwing
   * means "not known to be started".
   */
  startWorkflow(contract: Contract, routing: StartRouting): Promise<void>;
}

/** The initiator: the user, and the enterprise they act for (切换至企业) if any. */
export type Initiator = AuditActor & { id: string; actingEnterpriseId?: string | null };

export interface StartContractOptions {
  /** The request's Idempotency-Key: a retry with the same key returns the first contract. */
  idempotencyKey?: string;
  now?: Date;
  /**
   * 从模板发起 only: the template the document was generated from (recorded on the contract), as its generation read
   * it; checked again inside the start's transaction (still usable, same version, still shared: template-usable.ts).
   */
  template?: TemplateStart | null;
}

interface ResolvedParticipant {
  spec: ParticipantSpec;
  userId: string | null;
  enterpriseId: string | null;
  departmentName: string | null;
  name: string;
  mobile: string;
}

/**
 * 发起合同 (v2), crash-safe:
 * 1. validate the spec and the PDF, resolve participants (verified users under the given name, certified enterprises,
 *    departments with a live 部门章, and last named operators who are members: no failed start reveals membership)
 *    and CC, store the document;
 * 2. one transaction writes the contract as 创建中 (lifecycle 2) with its participants (step 1
 *    `pending`, the rest `waiting`), marks, CC, version 0 and the idempotency key;
 * 3. start the workflow (idempotent by its id);
 * 4. activate: 创建中 → 签署中 with the `created` trail event (finish-contract.ts);
 * 5. SMS invitations to the person participants not bound to an account (no account, or not verified under the given
 *    name: `bindsPerson`; invitations.ts, once per participant), and the notices to unregistered CC numbers (once per row).
 * A crash after 2 leaves a 创建中 row that a retry with the same key, the workflow's first activity
 * or the reconciler finishes; a failed start removes the 创建中 rows again (503). Users never see a
 * 创建中 contract, so no visible contract lacks its workflow or its trail.
 */
export async function startContract(deps: StartContractDeps, actor: Initiator, spec: StartContractSpec, pdf: Uint8Array, options: StartContractOptions = {}): Promise<Contract> {
  const { em, store } = deps;
  const now = options.now ?? new Date();
  const key = options.idempotencyKey;
  /** Who this request initiates as (the enterprise it acts for, or null: as a person); a retry must be the same. */
  const asEnterprise = spec.actAs === 'enterprise' ? (actor.actingEnterpriseId ?? null) : null;
  if (key) {
    const earlier = await resumeByKey(deps, actor, key, asEnterprise);
    if (earlier) return earlier;
  }
  const expiresAt = spec.expiresAt ?? new Date(now.getTime() + (await getSetting(em, 'contractDefaultExpiryDays')) * DAY_MS);
  const minTtlMs = deps.minTtlMs ?? MIN_CONTRACT_TTL_MS;
  if (expiresAt.getTime() <= now.getTime()) throw invalid('EXPIRY_IN_PAST', '截止时间必须晚于当前时间', 'The expiry time must be in the future');
  if (expiresAt.getTime() < now.getTime() + minTtlMs) {
    const minutes = Math.ceil(minTtlMs / 60_000);
    throw invalid('EXPIRY_TOO_SOON', `截止时间至少应在 ${minutes} 分钟之后`, `The expiry time must be at least ${minutes} minutes from now`);
  }
  // The same bound as the operators' default signing period: no far-future date reaches the rows, the trail or the expiry timer.
  if (expiresAt.getTime() > now.getTime() + CONTRACT_EXPIRY_DAYS_BOUNDS.max * DAY_MS) {
    const days = CONTRACT_EXPIRY_DAYS_BOUNDS.max;
    throw invalid('EXPIRY_TOO_LATE', `截止时间不能晚于 ${days} 天之后`, `The expiry time must be within ${days} days from now`);
  }
  const initiatorEnterpriseId = spec.actAs === 'enterprise' ? await actingEnterprise(em, actor) : null;

  // Counted before the document is inspected (the heavy step) and stored.
  await takeContractStartQuota(em, actor.id, pdf.byteLength, now);
  const { info, prepared } = await inspectAndPrepareForSigning(pdf, deps.limits);
  const enabled = (await getSetting(em, 'sealTypes')).map((t) => t.code);
  const marks = checkStartSpec(spec, info.pages, enabled);
  const participants = await resolveParticipants(em, spec);
  const cc = await resolveCc(em, spec);

  const contractId = randomUUID();
  const storageKey = `contracts/${contractId}/v0.pdf`;
  await store.create(storageKey, prepared);

  /** The rows as this transaction writes them: the launch below starts and activates from them (no re-read). */
  const written: WrittenContract = { contract: null as unknown as Contract, signers: [], cc: [], documentSha256: createHash('sha256').update(prepared).digest('hex') };
  try {
    // Plain inserts (persistence/plain-rows.ts), parents first: every contract runs this, and a unit of work costs more than the statements.
    // A deadlock victim (the initiating enterprise's rows are read with locks) is run again: the callback starts afresh.
    await retryOnDeadlock(() => em.fork().transactional(async (tx) => {
      written.signers = [];
      written.cc = [];
      if (key) await insertRow(tx, IdempotencyKeySchema, { id: randomUUID(), userId: actor.id, scope: CREATE_SCOPE, key, resourceId: contractId, createdAt: now });
      written.contract = {
        id: contractId,
        title: spec.title,
        contractNo: spec.contractNo,
        remarks: spec.remarks,
        status: 'starting',
        voidReason: null,
        voidNote: null,
        initiatorId: actor.id,
        initiatorEnterpriseId,
        lifecycle: 2,
        currentStep: 1,
        pageCount: info.pageCount,
        documentVersion: 0,
        trailSeq: 0,
        trailHead: null,
        templateId: options.template?.id ?? null,
        createdAt: now,
        expiresAt,
        completedAt: null,
        voidedAt: null,
      };
      await insertRow(tx, ContractSchema, written.contract);
      if (initiatorEnterpriseId) await reassertInitiatingEnterprise(tx, initiatorEnterpriseId, actor.id);
      if (options.template) await reassertTemplateStart(tx, options.template);
      for (const [i, p] of participants.entries()) {
        const order = i + 1;
        const signer: ContractSigner = {
          id: randomUUID(),
          contractId,
          order,
          step: p.spec.step,
          kind: p.spec.kind,
          userId: p.userId,
          enterpriseId: p.enterpriseId,
          departmentName: p.departmentName,
          name: p.name,
          mobile: p.mobile,
          status: p.spec.step === 1 ? 'pending' : 'waiting',
          canRefuse: p.spec.canRefuse,
          placement: p.spec.placement,
          note: p.spec.note,
          ...NEW_PARTICIPANT_PROGRESS, // `invited` is set when the invitation is sent (invitations.ts)
          fieldName: signatureFieldName(order),
        };
        await insertRow(tx, ContractSignerSchema, signer);
        written.signers.push(signer);
        for (const m of marks[i]!) await insertRow(tx, ContractMarkSchema, { id: randomUUID(), contractId, participantId: signer.id, ...m, preset: true, appliedVersion: null, sealId: null, signatureId: null });
      }
      for (const c of cc) {
        // The number as the initiator typed it, masked: never the account's name (nobody named this recipient).
        const row: ContractCc = { id: randomUUID(), contractId, userId: c.userId, mobile: c.mobile, name: maskMobile(c.mobile), invited: false, createdAt: now };
        await insertRow(tx, ContractCcSchema, row);
        written.cc.push(row);
      }
      await insertRow(tx, DocumentVersionSchema, {
        id: randomUUID(),
        contractId,
        version: 0,
        storageKey,
        sha256: written.documentSha256,
        size: prepared.byteLength,
        signerId: null,
        createdAt: now,
      });
    }));
  } catch (err) {
    await store.delete(storageKey).catch(() => undefined);
    // A parallel request with the same key won the unique constraint: answer with its contract.
    if (key && err instanceof UniqueConstraintViolationException) {
      const winner = await resumeByKey(deps, actor, key, asEnterprise);
      if (winner) return winner;
    }
    throw err;
  }
  return launchContract(deps, contractId, actor, written);
}

/** A contract as its start transaction wrote it (still 创建中): what the launch needs without reading it back. */
interface WrittenContract {
  contract: Contract;
  signers: ContractSigner[];
  cc: ContractCc[];
  /** The hash of version 0 (the `created` event records it). */
  documentSha256: string;
}

const notActingAsEnterprise = () => invalid('NOT_ACTING_AS_ENTERPRISE', '请先切换至已认证的企业，再以企业身份发起合同', 'Switch to a certified enterprise to initiate as the enterprise');

/** The enterprise the initiator acts for: must be certified (the session's membership is checked by the API). */
async function actingEnterprise(em: EntityManager, actor: Initiator): Promise<string> {
  const id = actor.actingEnterpriseId;
  const enterprise = id ? await em.findOne(EnterpriseSchema, { id }) : null;
  if (!enterprise || enterprise.status !== 'certified') throw notActingAsEnterprise();
  assertEnterpriseMayTransact(enterprise); // 待重新认证: 409 ENTERPRISE_RECERTIFYING
  return enterprise.id;
}

/**
 * Inside the start's transaction (after its first write: on SQLite it then holds the write lock): the initiator
 * still acts for the enterprise as checked before the document was inspected — still a member, the enterprise
 * still certified and not 待重新认证. A removal or a 变更企业名称 that committed meanwhile starts nothing; on
 * MariaDB the reads lock, so one running now waits for this start.
 */
async function reassertInitiatingEnterprise(tx: EntityManager, enterpriseId: string, userId: string): Promise<void> {
  const acting = await readActingRows(tx, enterpriseId, userId);
  if (acting.status !== 'certified') throw notActingAsEnterprise();
  assertEnterpriseMayTransact(acting);
  if (!acting.member) throw new AppError('forbidden', 'NOT_ENTERPRISE_MEMBER', '您已不是该企业的成员，不能以企业身份发起合同', 'You are no longer a member of this enterprise and cannot initiate as it');
}

const whoZh = (i: number) => `第 ${i + 1} 个签署方`;
const whoEn = (i: number) => `Participant ${i + 1}`;

async function resolveParticipants(em: EntityManager, spec: StartContractSpec): Promise<ResolvedParticipant[]> {
  const mobiles = spec.participants.flatMap((p) => (p.kind === 'person' ? [p.mobile] : p.operatorMobile ? [p.operatorMobile] : []));
  const users = await findRows(em, UserSchema, { mobile: mobiles });
  const userByMobile = new Map(users.map((u) => [u.mobile, u]));
  const enterpriseIds = [...new Set(spec.participants.flatMap((p) => (p.kind === 'person' ? [] : [p.enterpriseId])))];
  const enterprises = enterpriseIds.length ? await em.find(EnterpriseSchema, { id: { $in: enterpriseIds }, status: 'certified' }) : [];
  const out: ResolvedParticipant[] = [];
  const operators: Array<{ i: number; enterprise: Enterprise; mobile: string }> = [];
  for (const [i, p] of spec.participants.entries()) {
    if (p.kind === 'person') {
      // The initiator's name, never the account's; bound to the number's owner only if verified under that name (bindsPerson),
      // else invited by SMS like a number without an account: the start tells nothing about whose number it is.
      const user = userByMobile.get(p.mobile);
      out.push({ spec: p, userId: user && bindsPerson(user, p.name) ? user.id : null, enterpriseId: null, departmentName: null, name: p.name, mobile: p.mobile });
      continue;
    }
    const enterprise = enterprises.find((e) => e.id === p.enterpriseId);
    if (!enterprise) throw invalid('ENTERPRISE_NOT_FOUND', `${whoZh(i)}：企业不存在或未认证`, `${whoEn(i)}: the enterprise does not exist or is not certified`);
    if (p.kind === 'department') {
      const seal = await em.findOne(SealSchema, { enterpriseId: enterprise.id, type: 'department', departmentName: p.departmentName, status: { $ne: 'voided' } });
      if (!seal) throw invalid('DEPARTMENT_NOT_FOUND', `${whoZh(i)}：${enterprise.name}没有名为“${p.departmentName}”的部门章`, `${whoEn(i)}: ${enterprise.name} has no department seal named ${p.departmentName}`);
    }
    out.push({
      spec: p,
      userId: null,
      enterpriseId: enterprise.id,
      departmentName: p.kind === 'department' ? p.departmentName : null,
      name: p.kind === 'department' ? `${enterprise.name}·${p.departmentName}` : enterprise.name,
      mobile: '',
    });
    if (p.operatorMobile) operators.push({ i, enterprise, mobile: p.operatorMobile });
  }
  // Last, after every other participant's checks: whether a number is an active member of an enterprise. Checked
  // earlier, a start that fails anyway (e.g. a second participant with an unknown enterprise id) would answer
  // OPERATOR_NOT_MEMBER or the other error depending on the number, and tell anyone whose number is a member
  // without creating, sending or auditing anything. Now only a start that otherwise goes through tells it, and
  // that one is audited and shown to the enterprise.
  for (const { i, enterprise, mobile } of operators) {
    const operator = await namedOperator(em, enterprise, userByMobile.get(mobile), i);
    out[i] = { ...out[i]!, userId: operator.id, mobile: operator.mobile };
  }
  return out;
}

/** A named operator must be a registered, active member of the enterprise. */
async function namedOperator(em: EntityManager, enterprise: Enterprise, user: User | undefined, i: number): Promise<User> {
  const member = user ? await em.count(MembershipSchema, { enterpriseId: enterprise.id, userId: user.id, status: 'active' }) : 0;
  if (!user || !member) throw invalid('OPERATOR_NOT_MEMBER', `${whoZh(i)}：经办人不是${enterprise.name}的成员`, `${whoEn(i)}: the operator is not a member of ${enterprise.name}`);
  return user;
}

/**
 * 抄送 recipients: every number is accepted with the same answer, registered or not (a start tells nothing about
 * whose number it is). The row of a number whose account passed 实名认证 names its user; any other row has no user, gets
 * one SMS notice once the contract is 签署中 (invitations.ts `sendCcNotices`) and is bound to the number's owner at
 * 实名认证 (an unverified account may be an old one on a recycled number: it never sees the contract).
 */
async function resolveCc(em: EntityManager, spec: StartContractSpec): Promise<{ mobile: string; userId: string | null }[]> {
  if (spec.cc.length === 0) return [];
  const users = await findRows(em, UserSchema, { mobile: spec.cc.map((c) => c.mobile), realNameStatus: 'verified' });
  return spec.cc.map((c) => ({ mobile: c.mobile, userId: users.find((u) => u.mobile === c.mobile)?.id ?? null }));
}

/**
 * The contract an earlier request with this key started, finished if it is still 创建中. Only for the
 * same 发起身份: a key used to start a contract as an enterprise never hands it to a request made as
 * a person or for another enterprise (409 IDEMPOTENCY_KEY_REUSED), and the route has checked that
 * the user still acts for that enterprise (a member who left cannot reach it through the key).
 */
/**
 * The contract an earlier request with this Idempotency-Key started (finishing its launch if it died before), or
 * null. Callers with work to do before startContract (a template's generation) ask first, so a retry repeats none
 * of it; startContract asks again itself.
 */
export async function resumeStartByKey(deps: StartContractDeps, actor: Initiator, key: string, actAs: StartContractSpec['actAs']): Promise<Contract | null> {
  return resumeByKey(deps, actor, key, actAs === 'enterprise' ? (actor.actingEnterpriseId ?? null) : null);
}

async function resumeByKey(deps: StartContractDeps, actor: AuditActor & { id: string }, key: string, asEnterprise: string | null): Promise<Contract | null> {
  const em = deps.em.fork();
  const row = await em.findOne(IdempotencyKeySchema, { userId: actor.id, scope: CREATE_SCOPE, key });
  if (!row) return null;
  const contract = await em.findOne(ContractSchema, { id: row.resourceId });
  if (!contract) return null;
  if ((contract.initiatorEnterpriseId ?? null) !== asEnterprise) {
    throw new AppError('conflict', 'IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于以其他发起身份发起的合同，请使用新的 Key', 'This Idempotency-Key was used to start a contract as another initiator identity; use a new key');
  }
  if (contract.status === 'starting') return launchContract(deps, contract.id, actor);
  await sendInvitationsIfPossible(deps, contract.id);
  return contract;
}

/** Steps 3–5 for a 创建中 contract (also for a retry with the same key, and the reconciler). */
type LaunchDeps = Pick<StartContractDeps, 'em' | 'store' | 'startWorkflow'> & Partial<Pick<StartContractDeps, 'sms' | 'publicUrl'>>;

async function launchContract(deps: LaunchDeps, contractId: string, actor: (AuditActor & { id: string }) | null, written?: WrittenContract): Promise<Contract> {
  const found = written ? { contract: written.contract, signers: written.signers } : await loadContract(deps.em.fork(), contractId);
  if (!found) throw startFailed();
  const { contract } = found;
  // The first step's notice commits with the activation below when the sender allows; else the workflow sends it.
  const routing: StartRouting = {
    initiatorId: contract.initiatorId,
    participants: found.signers.map(toRoutingParticipant),
    firstStepNoticeInActivation: deps.sms ? firstStepNoticeInActivation(deps.sms, deps.em) : false,
  };
  try {
    await deps.startWorkflow(contract, routing);
  } catch (err) {
    // Not known to be started (unreachable, or a timeout that may still have started it). Remove the
    // rows while 创建中; if they are no longer 创建中, a retry of this request (same key) or the reconciler
    // activated them meanwhile, so the workflow runs. A workflow that did start for removed rows reads
    // them at expiry at the latest and ends as abandoned (contract-lifecycle.ts, confirmRouted).
    if (await removeStartingContract(deps.em.fork(), deps.store, contractId, actor ?? SYSTEM_ACTOR, 'workflow_start_failed')) throw startFailed(err);
  }
  const known = written ? { found, cc: written.cc, documentSha256: written.documentSha256 } : undefined;
  if ((await activateContract(deps.em.fork(), contractId, actor, new Date(), known, routing.firstStepNoticeInActivation ? deps.sms : undefined)) === 'missing') throw startFailed();
  // Invitations and CC notices go to unregistered numbers only: with none among the rows written, there is nothing to read.
  if (!written || written.signers.some((p) => p.kind === 'person' && p.userId === null) || written.cc.some((c) => c.userId === null)) await sendInvitationsIfPossible(deps, contractId);
  const started = await findRow(deps.em.fork(), ContractSchema, { id: contractId });
  if (!started) throw startFailed();
  return started;
}

/**
 * Invitations (and CC notices) are best effort after the contract is active: a failure leaves `invited` false (shown as
 * such for participants), and a retry with the same key or the reconciler's next pass sends them.
 */
async function sendInvitationsIfPossible(deps: LaunchDeps, contractId: string) {
  if (!deps.sms || deps.publicUrl === undefined) return;
  await sendPendingMessages({ em: deps.em.fork(), sms: deps.sms, publicUrl: deps.publicUrl }, contractId).catch((err: unknown) => {
    // The reconciler sends what is left (reconcile-contracts.ts).
    console.warn(`contract ${contractId}: invitations or CC notices not sent: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/** Finishes the start of a 创建中 contract found by the reconciler (initiator recorded without an address). */
export const resumeStartingContract = (deps: LaunchDeps, contractId: string) => launchContract(deps, contractId, null);

const startFailed = (cause?: unknown) => {
  const err = unavailable('WORKFLOW_START_FAILED', '合同签署流程暂时无法启动，请稍后重试', 'Could not start the signing process; please retry', 5);
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  return err;
};

/**
 * Compensation: deletes a contract that is still 创建中 (rows, idempotency key, stored files), in
 * one transaction conditional on the status, with its audit row (`contract.start_abandoned`: the rows are
 * gone, the row says who started what and why it was removed). Returns whether it removed it.
 * `actor`: the request whose workflow start failed, or the reconciler (SYSTEM_ACTOR) for a start a crash left.
 */
export async function removeStartingContract(em: EntityManager, store: DocumentStore, contractId: string, actor: AuditActor = SYSTEM_ACTOR, cause: 'workflow_start_failed' | 'start_left_unfinished' = 'start_left_unfinished'): Promise<boolean> {
  const versions = await em.find(DocumentVersionSchema, { contractId });
  const contract = await em.findOne(ContractSchema, { id: contractId }, { fields: ['title', 'initiatorId', 'initiatorEnterpriseId', 'createdAt'] });
  // Children before the contract (foreign keys); if the contract is no longer 创建中 when its own
  // conditional delete runs, the whole transaction is rolled back and the children stay.
  try {
    await em.transactional(async (tx) => {
      await tx.nativeDelete(DocumentVersionSchema, { contractId });
      await tx.nativeDelete(ContractMarkSchema, { contractId });
      await tx.nativeDelete(ContractCcSchema, { contractId });
      await tx.nativeDelete(ContractSignerSchema, { contractId });
      await tx.nativeDelete(IdempotencyKeySchema, { resourceId: contractId });
      await tx.nativeDelete(ContractNoticeSentSchema, { contractId });
      const n = await tx.nativeDelete(ContractSchema, { id: contractId, status: 'starting' });
      if (n !== 1) throw new NoLongerStarting();
      recordAudit(tx, actor, {
        action: 'contract.start_abandoned',
        targetType: 'contract',
        targetId: contractId,
        enterpriseId: contract?.initiatorEnterpriseId ?? null,
        detail: { cause, title: contract?.title ?? null, initiator: contract?.initiatorId ?? null, createdAt: contract?.createdAt.toISOString() ?? null },
      });
    });
  } catch (err) {
    if (err instanceof NoLongerStarting) return false;
    throw err;
  }
  for (const v of versions) await store.delete(v.storageKey).catch(() => undefined);
  return true;
}

/** Rolls back the compensation of a contract that left 创建中 (or vanished) meanwhile. */
class NoLongerStarting extends Error {}
