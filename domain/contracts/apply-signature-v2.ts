import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { signPdf } from '../../documents';
import { SYSTEM_ACTOR } from '../audit/record-audit';
import { AppError, rejected } from '../errors';
import type { ApplySignatureDeps, ApplySignatureResult, ApplySignatureV2Input } from './apply-signature';
import { loadContract, type ContractWithSigners } from './contract-access';
import { ContractMarkSchema } from './contract-mark.entity';
import type { ContractSigner } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';
import { noticeAfterSignature } from './contract-notice';
import type { NoticeRows } from './contract-notifications';
import { DocumentVersionSchema } from './document-version.entity';
import { actionRefusal, afterSigned, currentStep, refuseAction, type AfterSigned, type RoutingParticipant } from './routing';
import { reassertAuthority, type ActorAuthority } from './participant-actor';
import { planStamps, prepareSignature, roundFieldName } from './signing-marks';
import { recordContractEvents } from './trail/record-contract-event';
import { confirmationUsable, WillingnessConfirmationSchema } from './willingness-confirmation.entity';
import { findRow } from '../persistence/plain-rows';
import { allSql, placeholders, runSql, sqlDate } from '../persistence/plain-sql';

const routingOf = (signers: readonly ContractSigner[]): RoutingParticipant[] =>
  signers.map((s) => ({ participantId: s.id, step: s.step, status: s.status, canRefuse: s.canRefuse }));

const refusalError = (code: Parameters<typeof actionRefusal>[0]) => {
  const r = actionRefusal(code);
  return new AppError(code === 'NOT_A_PARTICIPANT' ? 'forbidden' : 'rejected', r.code, r.message, r.messageEn);
};

/**
 * What a finished signature leads to, recorded in its own transaction: the `step_started` event of
 * the step it starts, or — the last signature — the `completed` event with the final document's
 * hash (the contract row turns 已完成 in the same claim: see `completion`).
 */
function followingEvents(contractId: string, signers: readonly ContractSigner[], routing: { nextStep: number | null; newlyPending: string[]; completed: boolean }, final: { version: number; sha256: string }, at: Date) {
  if (routing.completed) return [{ actor: SYSTEM_ACTOR, event: { contractId, type: 'completed' as const, payload: { documentVersion: final.version }, documentSha256: final.sha256, at } }];
  if (routing.nextStep === null) return [];
  const names = routing.newlyPending.map((id) => signers.find((s) => s.id === id)!.name);
  // The document of the step start is the version this signature committed (what the trail would read back).
  return [{ actor: SYSTEM_ACTOR, event: { contractId, type: 'step_started' as const, payload: { step: routing.nextStep, participantIds: routing.newlyPending, names }, documentSha256: final.sha256, at } }];
}

/** `closed` is answered only when true (results keep their shape otherwise). */
const closedIf = (closed: boolean) => (closed ? { closed: true as const } : {});

/**
 * The contract and its participants as a signature's commit leaves them: ONE place decides the
 * post-signature state. The commit writes these values (the conditional statements below), and
 * the notice it leads to is sent with them (no re-read). `finish: false` (继续签署) only counts the round.
 */
export function rowsAfterSignature(
  found: ContractWithSigners,
  c: { participantId: string; user: { id: string; name: string }; finish: boolean; round: number; routing: AfterSigned; version: number; at: Date },
): NoticeRows {
  const { contract } = found;
  const participants = found.signers.map((s): ContractSigner => {
    if (s.id === c.participantId) return c.finish ? { ...s, status: 'signed', signedAt: c.at, signedByUserId: c.user.id, signedByName: c.user.name, signedRounds: c.round } : { ...s, signedRounds: c.round };
    if (c.routing.newlyPending.includes(s.id)) return { ...s, status: 'pending' };
    return s;
  });
  const after: Contract = {
    ...contract,
    documentVersion: c.version,
    ...(c.routing.nextStep !== null ? { currentStep: c.routing.nextStep } : {}),
    ...(c.routing.completed ? { status: 'completed' as const, completedAt: c.at } : {}),
  };
  return { contract: after, participants };
}

/**
 * After a signature committed: the notice it leads to, sent with the rows the commit wrote.
 * Answers `notified` only when `deps.notify` was given: true once sent or when none is due, false
 * when sending failed (the signature stands; the workflow then sends the notice through its
 * notify activity).
 */
async function noticeAfterCommit(deps: ApplySignatureDeps, rows: NoticeRows, routing: AfterSigned): Promise<{ notified?: boolean }> {
  if (!deps.notify) return {};
  if (noticesInCommit(deps)) return { notified: true }; // written with the signature (`noticeInCommit`)
  const notice = noticeAfterSignature(rows.contract.id, routing);
  if (!notice) return { notified: true };
  try {
    await deps.notify(notice, rows);
    return { notified: true };
  } catch (err) {
    console.warn(`contract ${rows.contract.id}: ${notice.event} notice not sent with the signature, the workflow sends it: ${err instanceof Error ? err.message : String(err)}`);
    return { notified: false };
  }
}

/** The notices this signature leads to are written in its own transaction (`notifyInCommit`, asked with `notify`). */
const noticesInCommit = (deps: ApplySignatureDeps): deps is ApplySignatureDeps & Required<Pick<ApplySignatureDeps, 'notifyInCommit'>> => Boolean(deps.notify && deps.notifyInCommit);

/** With `noticesInCommit`: the notice the signature leads to, written in its transaction. */
async function noticeInCommit(deps: ApplySignatureDeps, tx: EntityManager, rows: NoticeRows, routing: AfterSigned): Promise<void> {
  const notice = noticesInCommit(deps) ? noticeAfterSignature(rows.contract.id, routing) : null;
  if (notice) await deps.notifyInCommit!(tx, notice, rows);
}

/** The conditional claim of the contract row, setting what `after` says changed (status and step only when they did). */
function claimContract(tx: EntityManager, before: Contract, after: Contract) {
  const set: string[] = ['document_version = ?'];
  const values: unknown[] = [after.documentVersion];
  if (after.currentStep !== before.currentStep) {
    set.push('current_step = ?');
    values.push(after.currentStep);
  }
  if (after.status !== before.status) {
    set.push('status = ?', 'completed_at = ?');
    values.push(after.status, after.completedAt ? sqlDate(tx, after.completedAt) : null);
  }
  // The same condition as the close in finish-contract.ts: still 签署中, at the version this attempt started from, not expired.
  return runSql(tx, `update contracts set ${set.join(', ')} where id = ? and status = 'in_progress' and document_version = ? and expires_at > ?`, [
    ...values,
    before.id,
    before.documentVersion,
    sqlDate(tx, new Date()),
  ]);
}

/** The participant's row as `after` has it, conditional on the round read before (two rounds of one participant never both commit). */
function markParticipant(tx: EntityManager, before: ContractSigner, after: ContractSigner) {
  const condition = "where id = ? and status = 'pending' and signed_rounds = ?";
  if (after.status === 'signed') {
    return runSql(tx, `update contract_signers set status = 'signed', signed_at = ?, signed_by_user_id = ?, signed_by_name = ?, signed_rounds = ? ${condition}`, [
      sqlDate(tx, after.signedAt!),
      after.signedByUserId,
      after.signedByName,
      after.signedRounds,
      before.id,
      before.signedRounds,
    ]);
  }
  return runSql(tx, `update contract_signers set signed_rounds = ? ${condition}`, [after.signedRounds, before.id, before.signedRounds]);
}

/**
 * Inside the commit, right after the claim (which holds the contract row): the participants are as this attempt
 * read them. The claim's version check alone does not show everything: a 结束签署 without a new signature
 * (`finishWithoutSignature`) signs a participant off without moving the version, so a parallel participant's
 * attempt that read them still pending would commit a routing decided on stale rows (its step never seen as
 * complete: the next step never starts). A difference rolls back; the attempt is retried on fresh rows.
 * A plain read sees the latest rows: every change of a participant's status claims the contract row first (a
 * signature, a finish, a refusal, a revocation), which this transaction now holds; on MariaDB this is the
 * transaction's first consistent read, so its snapshot begins after the claim; on SQLite the claim took the
 * database's write lock.
 */
async function assertParticipantsAsRead(tx: EntityManager, found: ContractWithSigners): Promise<void> {
  const rows = await allSql(tx, 'select id, status, signed_rounds from contract_signers where contract_id = ?', [found.contract.id]);
  const read = new Map(found.signers.map((s) => [s.id, s]));
  const same = rows.length === read.size && rows.every((r) => read.get(String(r.id))?.status === r.status && read.get(String(r.id))?.signedRounds === Number(r.signed_rounds));
  if (!same) throw new Error(`Contract ${found.contract.id}: a participant changed while this signature was prepared; retrying`);
}

/** Participants `after` made pending (the next step's), from 待签 only. */
async function startNextStep(tx: EntityManager, routing: AfterSigned) {
  if (routing.newlyPending.length) await runSql(tx, `update contract_signers set status = 'pending' where id in (${placeholders(routing.newlyPending.length)}) and status = 'waiting'`, routing.newlyPending);
}

/**
 * The commit's transaction starts with an empty identity map: it only writes (native updates, new
 * rows, the trail), so the rows read before it need not be copied into it, compared at each flush
 * and merged back after it.
 */
const FRESH_TX = { clear: true } as const;

/** Uses the 意愿认证 once: not used before, not replaced by a copy for a retry (`renewConfirmation`). */
const USE_CONFIRMATION = 'update willingness_confirmations set used_at = ? where id = ? and used_at is null and superseded_at is null';

const notConfirmed = () => rejected('WILLINGNESS_NOT_CONFIRMED', '意愿认证无效，请重新获取验证码', 'Intent to sign was not confirmed; request a new code');

/**
 * What an already committed signature round of `participantId` changed, read back from the
 * database (a retried attempt answers like the first): whether it finished its step (its version
 * is the last of the step and the step is all signed) and which step that started, whether all
 * have signed, and the participant's round.
 */
async function outcomeOf(deps: ApplySignatureDeps, em: EntityManager, c: ContractWithSigners, participant: ContractSigner, version: number, finished: boolean): Promise<ApplySignatureResult> {
  const completed = c.signers.every((s) => s.status === 'signed');
  const sameStep = c.signers.filter((s) => s.step === participant.step);
  let stepAdvanced: number | null = null;
  if (finished && !completed && sameStep.every((s) => s.status === 'signed')) {
    const versions = await em.find(DocumentVersionSchema, { contractId: c.contract.id, signerId: { $in: sameStep.map((s) => s.id) } });
    if (Math.max(...versions.map((v) => v.version)) === version) stepAdvanced = currentStep(routingOf(c.signers));
  }
  // Notices written in the commit (`notifyInCommit`) were sent by it: the workflow must not send them again.
  return { documentVersion: version, stepAdvanced, completed, round: participant.signedRounds, finished, ...closedIf(c.contract.status === 'completed'), ...(noticesInCommit(deps) ? { notified: true } : {}) };
}

/** The version the participant's last signature produced (a 结束签署 without one: the contract's current version). */
async function lastVersionOf(em: EntityManager, participant: ContractSigner, fallback: number): Promise<number> {
  const last = await em.findOne(DocumentVersionSchema, { contractId: participant.contractId, signerId: participant.id }, { orderBy: { version: 'desc' } });
  return last?.version ?? fallback;
}

const finishedOf = (participant: ContractSigner) => participant.status === 'signed';

/**
 * 结束签署 after earlier rounds, with no new marks: no signature is added; in one transaction (on
 * the same conditions as a signature) the participant becomes signed, the next step starts and the
 * `signed` event records the finish (its document is the current version).
 */
async function finishWithoutSignature(
  deps: ApplySignatureDeps,
  found: ContractWithSigners,
  participant: ContractSigner,
  args: { confirmationId: string; ip: string | null; authority: ActorAuthority; now: Date },
): Promise<ApplySignatureResult> {
  const { contract, signers } = found;
  const { authority, now } = args;
  const { user } = authority;
  const version = contract.documentVersion;
  const routing = afterSigned(routingOf(signers), participant.id);
  const current = await deps.em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version });
  const after = rowsAfterSignature(found, { participantId: participant.id, user, finish: true, round: participant.signedRounds, routing, version, at: now });
  const me = after.participants.find((s) => s.id === participant.id)!;
  const committed = await deps.em.transactional(async (tx) => {
    if ((await claimContract(tx, contract, after.contract)) !== 1) return false;
    await assertParticipantsAsRead(tx, found);
    if ((await runSql(tx, USE_CONFIRMATION, [sqlDate(tx, now), args.confirmationId])) !== 1) throw notConfirmed();
    await reassertAuthority(tx, participant, authority, now);
    if ((await markParticipant(tx, participant, me)) !== 1) throw new Error(`participant ${participant.id} is no longer pending`);
    await startNextStep(tx, routing);
    await recordContractEvents(tx, [
      {
        actor: { id: user.id, name: user.name, ip: args.ip },
        event: {
          contractId: contract.id,
          type: 'signed',
          payload: { participantId: participant.id, name: participant.name, step: participant.step, signedByName: user.name, documentVersion: version, marks: [], round: participant.signedRounds, finished: true },
          documentSha256: current.sha256,
          at: now,
        },
      },
      ...followingEvents(contract.id, signers, routing, { version, sha256: current.sha256 }, now),
    ]);
    await noticeInCommit(deps, tx, after, routing);
    return true;
  }, FRESH_TX);
  if (committed) {
    const notified = await noticeAfterCommit(deps, after, routing);
    return { documentVersion: version, stepAdvanced: routing.nextStep, completed: routing.completed, round: participant.signedRounds, finished: true, ...closedIf(routing.completed), ...notified };
  }
  const latest = await deps.em.fork().findOneOrFail(ContractSchema, { id: contract.id });
  if (latest.voidReason === 'expired' || latest.expiresAt.getTime() <= Date.now()) throw refusalError('CONTRACT_EXPIRED');
  if (latest.status !== 'in_progress') throw refusalError('CONTRACT_NOT_IN_PROGRESS');
  throw new Error(`Contract ${contract.id} changed while finishing (version ${version} → ${latest.documentVersion}); retrying`);
}

/**
 * v2: stamps the participant's marks (preset, or placed now for free placement) and applies ONE
 * PAdES signature carrying them all: a person signs with their own certificate, an enterprise or
 * department with the certificate of its seal (the operator is recorded as who signed).
 *
 * Safe under retries, duplicate attempts and a concurrent close, like v1: the PDF work first, then
 * ONE transaction that commits only if the contract is still 签署中, not expired, and at the
 * document version this attempt started from (a parallel participant of the same step who
 * committed first moves the version: this attempt then fails retryably and runs again on the
 * new version), and only if the signer's authority still holds (`reassertAuthority`: membership, seal
 * authorisation, seal, certificate — withdrawn while the PDF was signed, the signature is not applied).
 * The transaction marks the participant signed, stores the marks with the version
 * that stamped them, starts the next step (its participants pending, `contracts.current_step`)
 * and records the `signed` (and `step_started`) events of the 签署轨迹.
 */
export async function applySignatureV2(deps: ApplySignatureDeps, input: ApplySignatureV2Input, now: Date): Promise<ApplySignatureResult> {
  const { em } = deps;
  const found = await loadContract(em, input.contractId);
  if (!found) throw new Error(`Contract ${input.contractId} not found`);
  const { contract, signers } = found;
  const participant = signers.find((s) => s.id === input.participantId);
  if (!participant) throw refusalError('NOT_A_PARTICIPANT');
  const confirmation = await findRow(em, WillingnessConfirmationSchema, { id: input.confirmationId });
  const ofThisRequest = confirmation && confirmation.contractId === contract.id && confirmation.signerId === participant.id && confirmation.userId === input.actorUserId;
  // Committed by an earlier attempt of this request (the confirmation is used in the commit's transaction).
  if (ofThisRequest && confirmation.usedAt) return outcomeOf(deps, em, found, participant, await lastVersionOf(em, participant, contract.documentVersion), finishedOf(participant));
  if (participant.status === 'signed') {
    const done = await em.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: participant.id }, { orderBy: { version: 'desc' } });
    if (done) return outcomeOf(deps, em, found, participant, done.version, true);
  }

  const expired = contract.expiresAt.getTime() <= now.getTime() || contract.voidReason === 'expired';
  const refusal = refuseAction({ inProgress: contract.status === 'in_progress', expired, participants: routingOf(signers) }, participant.id, 'sign');
  if (refusal) throw refusalError(refusal.code);

  if (!ofThisRequest || !confirmationUsable(confirmation, now)) throw notConfirmed();
  const { authority, marks, round } = await prepareSignature(em, deps.store, found, participant, { actorUserId: input.actorUserId, marks: input.marks, finish: input.finish, now });
  const { user } = authority;
  // 结束签署 with nothing new after earlier rounds: the participant is done, no signature is added.
  if (marks.length === 0) return finishWithoutSignature(deps, found, participant, { confirmationId: confirmation.id, ip: confirmation.ip, authority, now });
  const plan = await planStamps(em, deps, { participant, authority, marks, now });

  const current = await findRow(em, DocumentVersionSchema, { contractId: contract.id, version: contract.documentVersion });
  if (!current) throw new Error(`Contract ${contract.id} has no document version ${contract.documentVersion}`);
  const pdf = await deps.store.get(current.storageKey);
  const signed = await signPdf({
    pdf,
    signer: plan.credentials,
    signerName: plan.signerName,
    fieldName: roundFieldName(participant, round.round),
    appearances: plan.appearances,
    riding: plan.riding,
    reason: `签署合同：${contract.title}`,
    location: 'SealFlow',
    signingTime: now,
  });

  const version = contract.documentVersion + 1;
  const storageKey = `contracts/${contract.id}/v${version}-${randomUUID().slice(0, 8)}.pdf`;
  await deps.store.create(storageKey, signed);
  deps.signal?.throwIfAborted();

  const sha256 = createHash('sha256').update(signed).digest('hex');
  const routing = round.finish ? afterSigned(routingOf(signers), participant.id) : { nextStep: null, newlyPending: [], completed: false };
  const after = rowsAfterSignature(found, { participantId: participant.id, user, finish: round.finish, round: round.round, routing, version, at: now });
  const me = after.participants.find((s) => s.id === participant.id)!;
  const committed = await em
    .transactional(async (tx) => {
      // Plain SQL (plain-sql.ts): conditional statements writing `after`, without the query builder.
      const at = sqlDate(tx, now);
      // First statement: the conditional claim of the contract row (write lock).
      if ((await claimContract(tx, contract, after.contract)) !== 1) return false;
      await assertParticipantsAsRead(tx, found);
      if ((await runSql(tx, USE_CONFIRMATION, [at, confirmation.id])) !== 1) throw notConfirmed();
      await reassertAuthority(tx, participant, authority, now);
      if ((await markParticipant(tx, participant, me)) !== 1) throw new Error(`participant ${participant.id} is no longer pending at round ${round.round}`);
      await startNextStep(tx, routing);
      for (const m of plan.marks) {
        if (m.id) {
          await runSql(tx, 'update contract_marks set applied_version = ?, seal_id = ?, signature_id = ? where id = ?', [version, m.sealId, m.signatureId, m.id]);
        } else {
          tx.create(ContractMarkSchema, {
            id: randomUUID(),
            contractId: contract.id,
            participantId: participant.id,
            kind: m.kind,
            sealType: m.sealType,
            page: m.page,
            x: m.x,
            y: m.y,
            width: m.width,
            height: m.height,
            pageFrom: m.pageFrom,
            pageTo: m.pageTo,
            ridingRule: m.ridingRule,
            preset: false,
            appliedVersion: version,
            sealId: m.sealId,
            signatureId: m.signatureId,
          });
        }
      }
      await runSql(tx, 'insert into document_versions (id, contract_id, version, storage_key, sha256, size, signer_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)', [
        randomUUID(),
        contract.id,
        version,
        storageKey,
        sha256,
        signed.byteLength,
        participant.id,
        at,
      ]);
      await recordContractEvents(tx, [
        {
          actor: { id: user.id, name: user.name, ip: confirmation.ip },
          event: {
            contractId: contract.id,
            type: 'signed',
            payload: { participantId: participant.id, name: participant.name, step: participant.step, signedByName: user.name, documentVersion: version, marks: plan.marks.map((m) => m.kind), round: round.round, finished: round.finish },
            documentSha256: sha256,
            at: now,
          },
        },
        ...followingEvents(contract.id, signers, routing, { version, sha256 }, now),
      ]);
      await noticeInCommit(deps, tx, after, routing);
      return true;
    }, FRESH_TX)
    .catch(async (err: unknown) => {
      await deps.store.delete(storageKey).catch(() => undefined);
      throw err;
    });
  if (committed) {
    const notified = await noticeAfterCommit(deps, after, routing);
    return { documentVersion: version, stepAdvanced: routing.nextStep, completed: routing.completed, round: round.round, finished: round.finish, ...closedIf(routing.completed), ...notified };
  }

  // Not committed: find out why, from the database as it is now.
  await deps.store.delete(storageKey).catch(() => undefined);
  const fresh = em.fork();
  const used = await fresh.findOne(WillingnessConfirmationSchema, { id: confirmation.id });
  if (used?.usedAt) {
    // A concurrent attempt of this same request won.
    const reloaded = (await loadContract(fresh, contract.id))!;
    const me = reloaded.signers.find((s) => s.id === participant.id)!;
    return outcomeOf(deps, fresh, reloaded, me, await lastVersionOf(fresh, me, reloaded.contract.documentVersion), finishedOf(me));
  }
  const latest = await fresh.findOneOrFail(ContractSchema, { id: contract.id });
  if (latest.voidReason === 'expired' || latest.expiresAt.getTime() <= Date.now()) throw refusalError('CONTRACT_EXPIRED');
  if (latest.status !== 'in_progress') throw refusalError('CONTRACT_NOT_IN_PROGRESS');
  throw new Error(`Contract ${contract.id} changed while signing (version ${contract.documentVersion} → ${latest.documentVersion}); retrying`);
}
