// @sqlite-too: the checks run inside the commit's transaction, after its claim, on both dialects.
/**
 * What a signature, a refusal or a start decided before its transaction must still hold when it commits
 * (the run's database; the engine the workflow's activities run, called directly). Each case forces the
 * interleaving: the competing change commits while the attempt's document is being stored, i.e. after
 * the attempt read the rows and before its transaction.
 *  - 结束签署 without a new signature commits while a parallel participant's signature is prepared: that
 *    signature must not commit on the rows it read (it did, and the next step never started);
 *  - a retry's copy of a 意愿认证 (renewConfirmation, after 暂不可用) and the still-running attempt of the
 *    failed request: one code signs once (both committed: two signature rounds);
 *  - a signature that commits while a refusal of the same participant is decided: the refusal must not
 *    overwrite it (the contract was voided and the signed participant marked refused);
 *  - 变更企业名称 commits while an enterprise's signature or contract start is prepared: 待重新认证 signs
 *    and starts nothing (both committed);
 *  - a member removed, or an administrator replaced, after a 拒签's / 撤销's / 催办's check and before its
 *    transaction: the commit asks the same rule again and voids (or urges) nothing (each committed);
 *  - a 意愿认证 left unused by a refused signature, its id replayed later (it is in the workflow's history):
 *    past its window it signs nothing (it signed, whenever it came).
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySignature } from '../../domain/contracts/apply-signature';
import { renewConfirmation } from '../../domain/contracts/confirm-willingness';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { refuseContract } from '../../domain/contracts/refuse-contract';
import { revokeContract } from '../../domain/contracts/revoke-contract';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { urgeContract } from '../../domain/contracts/urge-contract';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { CONFIRMATION_SIGN_MS, WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { replaceAdministrator } from '../../domain/enterprises/administrator';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { removeMember } from '../../domain/enterprises/members';
import { startRename } from '../../domain/enterprises/recertification/start-rename';
import { revokeSealAuthorization } from '../../domain/enterprises/seal-authorizations';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { runSql } from '../../domain/persistence/plain-sql';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { createSmsSender } from '../../integrations/sms';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { newEnterpriseContract, willingnessConfirmation } from '../harness/enterprise-contract';
import { activeMembership, addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { participantRow } from '../harness/contract-rows';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { actorOf, forkRacedBeforeWrite, outcomeOf } from '../harness/race-hooks';

let platform: TestPlatform;
let initiator: User, a: User, b: User, c: User;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  [initiator, a, b, c] = (await Promise.all(['竞态发起人', '竞态自由签甲', '竞态并行乙', '竞态下一步丙'].map((n) => createUser(platform.services, n)))) as [User, User, User, User];
});
afterAll(async () => platform?.stop());

/** The platform's store, running `meanwhile` once right after the next document is stored (the attempt has read its rows; its transaction is next). */
function storeThen(meanwhile: () => Promise<unknown>): DocumentStore {
  const store = platform.services.store;
  let pending: (() => Promise<unknown>) | null = meanwhile;
  return {
    ...store,
    async create(key, bytes) {
      await store.create(key, bytes);
      const run = pending;
      pending = null;
      if (run) await run();
    },
  };
}

const deps = (store: DocumentStore = platform.services.store) => ({ em: em(), store, ca: platform.services.ca, masterKey: platform.config.masterKey });
const outcome = (p: Promise<unknown>) => p.then(() => 'committed', (e: unknown) => (e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e)));

/**
 * A 签署中 contract written straight to the database: step 1 = A (free placement, may 继续签署) and B (a preset
 * 人名章, may refuse), step 2 = C. Answers the participant ids.
 */
async function parallelStepContract(title: string) {
  const id = randomUUID();
  const pdf = await makePdf(2);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await platform.services.store.put(storageKey, pdf);
  const now = new Date();
  const rows = {
    a: participantRow(id, 1, { kind: 'person', userId: a.id, name: a.name, mobile: a.mobile, step: 1, status: 'pending', placement: 'free' }),
    b: participantRow(id, 2, { kind: 'person', userId: b.id, name: b.name, mobile: b.mobile, step: 1, status: 'pending', canRefuse: true }),
    c: participantRow(id, 3, { kind: 'person', userId: c.id, name: c.name, mobile: c.mobile, step: 2, status: 'waiting' }),
  };
  await em().transactional(async (tx) => {
    tx.create(ContractSchema, { id, title, contractNo: null, remarks: null, status: 'in_progress', voidReason: null, voidNote: null, initiatorId: initiator.id, initiatorEnterpriseId: null, lifecycle: 2, currentStep: 1, pageCount: 2, documentVersion: 0, trailSeq: 0, trailHead: null, createdAt: now, expiresAt: new Date(now.getTime() + 86_400_000), completedAt: null, voidedAt: null });
    await tx.flush();
    for (const p of Object.values(rows)) tx.create(ContractSignerSchema, p);
    const size = markSize('name_seal');
    for (const [p, page] of [[rows.b, 1], [rows.c, 2]] as const) {
      tx.create(ContractMarkSchema, { id: randomUUID(), contractId: id, participantId: p.id, kind: 'name_seal', sealType: null, page, x: 60, y: 100, width: size.width, height: size.height, pageFrom: null, pageTo: null, preset: true, appliedVersion: null, sealId: null });
    }
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
  });
  return { id, a: rows.a.id, b: rows.b.id, c: rows.c.id };
}

const confirm = (contractId: string, participantId: string, user: User) => willingnessConfirmation(platform.services, contractId, participantId, user.id);
const participants = async (contractId: string) => Object.fromEntries((await em().find(ContractSignerSchema, { contractId })).map((p) => [p.id, p]));

describe('a signature commits only on the rows it was decided on', () => {
  it('结束签署 without a new signature commits while a parallel participant signs: that signature is retried and starts step 2 (it committed on stale rows, step 2 never started)', async () => {
    const k = await parallelStepContract('并行结束签署');
    // A: one round (继续签署), then 结束签署 with nothing new (no new signature, the version stays).
    await applySignature(deps(), { contractId: k.id, participantId: k.a, actorUserId: a.id, confirmationId: await confirm(k.id, k.a, a), finish: false, marks: [{ kind: 'name_seal', page: 1, x: 300, y: 100 }] });
    const bConfirmation = await confirm(k.id, k.b, b);
    const aFinish = await confirm(k.id, k.a, a);

    // B's attempt reads A pending; A's finish commits while B's document is stored.
    const first = await outcome(applySignature(deps(storeThen(() => applySignature(deps(), { contractId: k.id, participantId: k.a, actorUserId: a.id, confirmationId: aFinish, finish: true }))), { contractId: k.id, participantId: k.b, actorUserId: b.id, confirmationId: bConfirmation }));
    expect(first).toMatch(/participant changed while this signature was prepared; retrying/);
    expect((await participants(k.id))[k.a]!.status).toBe('signed');
    expect((await participants(k.id))[k.b]!.status).toBe('pending');

    // Retried (as the workflow retries a retryable failure): B's signature completes step 1 and starts step 2.
    const retried = await applySignature(deps(), { contractId: k.id, participantId: k.b, actorUserId: b.id, confirmationId: bConfirmation });
    expect(retried).toMatchObject({ documentVersion: 2, stepAdvanced: 2, completed: false });
    const after = await participants(k.id);
    expect([after[k.a]!.status, after[k.b]!.status, after[k.c]!.status]).toEqual(['signed', 'signed', 'pending']);
    expect((await em().findOneOrFail(ContractSchema, { id: k.id })).currentStep).toBe(2);
  });

  it("a retry's copy of a 意愿认证 and the failed request's attempt still running: one code signs once (both committed, two rounds)", async () => {
    const k = await parallelStepContract('意愿认证续用');
    const original = await confirm(k.id, k.a, a);
    await em().nativeUpdate(WillingnessConfirmationSchema, { id: original }, { codeHash: 'f'.repeat(64) }); // confirmed by a code (renewable)
    const round = { contractId: k.id, participantId: k.a, actorUserId: a.id, finish: false, marks: [{ kind: 'name_seal' as const, page: 1, x: 300, y: 100 }] };

    // The workflow answered 暂不可用 while this attempt still ran; the API renews the confirmation for the retry.
    const late = await outcome(applySignature(deps(storeThen(() => renewConfirmation(em(), original))), { ...round, confirmationId: original }));
    expect(late).toBe('WILLINGNESS_NOT_CONFIRMED');
    const copy = await em().findOneOrFail(WillingnessConfirmationSchema, { signerId: k.a, id: { $ne: original }, usedAt: null });
    expect(copy.codeHash).toBe('f'.repeat(64));
    expect(await applySignature(deps(), { ...round, confirmationId: copy.id })).toMatchObject({ documentVersion: 1, round: 1 });
    expect((await participants(k.id))[k.a]!.signedRounds).toBe(1);
    expect(await em().count(DocumentVersionSchema, { contractId: k.id })).toBe(2); // v0 and the one signature
  });

  it('a signature that commits while a refusal of the same participant is decided is not overwritten: the refusal is judged again (it voided the contract, the signed participant marked refused)', async () => {
    const k = await parallelStepContract('拒签与签署');
    const refusing = em();
    // The refusal reads B pending; B's signature commits before the refusal's transaction (after its actor is read).
    const findOne = refusing.findOne.bind(refusing);
    let signedMeanwhile = false;
    refusing.findOne = (async (...args: Parameters<typeof findOne>) => {
      if (!signedMeanwhile) {
        signedMeanwhile = true;
        await applySignature(deps(), { contractId: k.id, participantId: k.b, actorUserId: b.id, confirmationId: await confirm(k.id, k.b, b) });
      }
      return findOne(...args);
    }) as typeof refusing.findOne;
    const first = await outcome(refuseContract(refusing, { contractId: k.id, participantId: k.b, actorUserId: b.id, reason: '条款不同意' }));
    expect(signedMeanwhile).toBe(true);
    expect(first).toMatch(/changed while refusing; retrying/);
    expect((await em().findOneOrFail(ContractSchema, { id: k.id })).status).toBe('in_progress');
    expect((await participants(k.id))[k.b]!.status).toBe('signed');
    // Retried: B has signed, so there is nothing to refuse any more.
    expect(await outcome(refuseContract(em(), { contractId: k.id, participantId: k.b, actorUserId: b.id, reason: '条款不同意' }))).not.toBe('committed');
    expect((await em().findOneOrFail(ContractSchema, { id: k.id })).status).toBe('in_progress');
  });
});

describe('a 意愿认证 signs only within its window', () => {
  it('its id sent again after CONFIRMATION_SIGN_MS (an Update replayed by a Reset, or sent by someone who read the history): 意愿认证无效, nothing signed; within it, it signs', async () => {
    const k = await parallelStepContract('意愿认证过期后重放');
    const confirmationId = await confirm(k.id, k.b, b);
    const { confirmedAt } = await em().findOneOrFail(WillingnessConfirmationSchema, { id: confirmationId });
    const input = { contractId: k.id, participantId: k.b, actorUserId: b.id, confirmationId };
    expect(await outcome(applySignature(deps(), input, new Date(confirmedAt.getTime() + CONFIRMATION_SIGN_MS + 1000)))).toBe('WILLINGNESS_NOT_CONFIRMED');
    expect((await participants(k.id))[k.b]!.status).toBe('pending');
    expect((await em().findOneOrFail(ContractSchema, { id: k.id })).documentVersion).toBe(0);
    expect(await outcome(applySignature(deps(), input, new Date(confirmedAt.getTime() + CONFIRMATION_SIGN_MS - 60_000)))).toBe('committed');
    expect((await participants(k.id))[k.b]!.status).toBe('signed');
  });

  it('a 批量签署 item\'s confirmation counts from when the item is signed, not from the batch\'s SMS code', async () => {
    const k = await parallelStepContract('批量项意愿认证');
    const x = em();
    const long = new Date(Date.now() - 3_600_000);
    const id = randomUUID();
    x.create(WillingnessConfirmationSchema, { id, contractId: k.id, signerId: k.b, userId: b.id, method: 'sms', confirmedAt: long, usableUntil: new Date(Date.now() + CONFIRMATION_SIGN_MS), usedAt: null, ip: null, codeHash: null });
    await x.flush();
    expect(await outcome(applySignature(deps(), { contractId: k.id, participantId: k.b, actorUserId: b.id, confirmationId: id }))).toBe('committed');
  });
});

describe('变更企业名称 that commits while an enterprise signs or starts a contract', () => {
  async function enterpriseWithSigningAdmin(label: string) {
    const admin = await createUser(platform.services, `${label}管理员`);
    const enterprise = await createCertifiedEnterprise(platform.services, admin, `${label}${Date.now() % 100000}有限公司`, ['official', 'contract']);
    const seal = (await sealsOf(platform.services, enterprise.id)).find((s) => s.type === 'contract')!;
    await issueSealCertificate(platform.services, platform.config.masterKey, seal, enterprise.name);
    const x = em();
    x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: seal.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: null });
    await x.flush();
    const rename = () => startRename(em(), { enterpriseId: enterprise.id, actor: { id: admin.id, name: admin.name, ip: null }, newName: `${enterprise.name}（新）` });
    return { admin, enterprise, rename };
  }

  it('a signature for the enterprise prepared before the change commits nothing (409 ENTERPRISE_RECERTIFYING; it signed)', async () => {
    const { admin, enterprise, rename } = await enterpriseWithSigningAdmin('签署中改名');
    const k = await newEnterpriseContract(platform.services, { title: '改名前准备的签署', initiator, enterprise, person: c });
    const confirmationId = await confirm(k.id, k.enterpriseParticipant, admin);
    const signed = await outcome(applySignature(deps(storeThen(rename)), { contractId: k.id, participantId: k.enterpriseParticipant, actorUserId: admin.id, confirmationId }));
    expect(signed).toBe('ENTERPRISE_RECERTIFYING');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).standing).toBe('recertifying');
    expect((await em().findOneOrFail(ContractSchema, { id: k.id })).documentVersion).toBe(0);
    expect((await em().findOneOrFail(WillingnessConfirmationSchema, { id: confirmationId })).usedAt).toBeNull();
  });

  it('a contract started as the enterprise, the change committing while its document is stored, is not created (409 ENTERPRISE_RECERTIFYING; it was)', async () => {
    const { admin, enterprise, rename } = await enterpriseWithSigningAdmin('发起中改名');
    const title = `改名前发起-${randomUUID().slice(0, 8)}`;
    const spec = startContractSpecSchema.parse({ title, actAs: 'enterprise', participants: [{ kind: 'person', step: 1, mobile: c.mobile, name: c.name, marks: [{ kind: 'name_seal', page: 1, x: 60, y: 100 }] }] });
    const started = await outcome(
      startContract(
        {
          em: em(),
          store: storeThen(rename),
          limits: { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages },
          sms: (e) => createSmsSender(platform.config, e),
          publicUrl: platform.config.publicUrl,
          startWorkflow: () => Promise.reject(new Error('no workflow may start for a contract that was not created')),
        },
        { id: admin.id, name: admin.name, ip: null, actingEnterpriseId: enterprise.id },
        spec,
        await makePdf(1),
      ),
    );
    expect(started).toBe('ENTERPRISE_RECERTIFYING');
    expect(await em().count(ContractSchema, { title })).toBe(0);
    await runSql(em(), 'select 1', []); // the connection is healthy after the rollback
  });
});

describe('a 拒签, 撤销 or 催办 whose actor lost the authority between its check and its commit', () => {
  /** A certified enterprise whose 合同专用章 (with its certificate) is authorised to a member; `remove` removes that member. */
  async function enterpriseWithMember(label: string) {
    const admin = await createUser(platform.services, `${label}管理员`);
    const member = await createUser(platform.services, `${label}成员`);
    const enterprise = await createCertifiedEnterprise(platform.services, admin, `${label}${Date.now() % 100000}有限公司`, ['official', 'contract']);
    const membership = await addMember(platform.services, enterprise.id, admin, member);
    const seal = (await sealsOf(platform.services, enterprise.id)).find((s) => s.type === 'contract')!;
    await issueSealCertificate(platform.services, platform.config.masterKey, seal, enterprise.name);
    const x = em();
    const authorizationId = randomUUID();
    x.create(SealAuthorizationSchema, { id: authorizationId, enterpriseId: enterprise.id, sealId: seal.id, userId: member.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: null });
    await x.flush();
    const remove = async () => {
      const r = em();
      await removeMember(r, await r.findOneOrFail(EnterpriseSchema, { id: enterprise.id }), membership.id, actorOf(admin), await activeMembership(r, enterprise.id, admin));
    };
    /** The operator approves the member's 管理员申请 (or a 转让 completes): the administrator is replaced and leaves. */
    const replaceAdmin = async () => {
      const r = em();
      await replaceAdministrator(r, enterprise.id, member.id, SYSTEM_ACTOR);
      await r.flush();
    };
    /** The administrator revokes the member's 印章授权 of the 合同专用章 (the member stays). */
    const revokeGrant = async () => {
      const r = em();
      await revokeSealAuthorization(r, { enterpriseId: enterprise.id, sealId: seal.id, authorizationId, actor: actorOf(admin), revokerMembership: await activeMembership(r, enterprise.id, admin) });
    };
    return { admin, member, enterprise, remove, replaceAdmin, revokeGrant };
  }

  /** A 签署中 contract of the enterprise (step 1, may refuse), started by `starter` for it. */
  async function enterpriseContract(title: string, enterprise: { id: string; name: string }, starter: User) {
    const k = await newEnterpriseContract(platform.services, { title, initiator: starter, enterprise, person: c });
    await em().nativeUpdate(ContractSchema, { id: k.id }, { initiatorEnterpriseId: enterprise.id });
    await em().nativeUpdate(ContractSignerSchema, { id: k.enterpriseParticipant }, { canRefuse: true });
    return k;
  }

  const events = async (contractId: string) => (await em().find(ContractEventSchema, { contractId }, { orderBy: { seq: 'asc' } })).map((e) => e.type);
  const stillInProgress = async (contractId: string) => {
    expect(await em().findOneOrFail(ContractSchema, { id: contractId })).toMatchObject({ status: 'in_progress', voidReason: null, voidedAt: null });
    expect(await events(contractId)).not.toEqual(expect.arrayContaining(['refused']));
    expect(await events(contractId)).not.toEqual(expect.arrayContaining(['revoked']));
  };

  it('拒签 by a member removed after its check: 403 NOT_ENTERPRISE_MEMBER, the contract stays 签署中, no 拒签 in the trail (it voided the contract)', async () => {
    const { admin, member, enterprise, remove } = await enterpriseWithMember('拒签中移除');
    const k = await enterpriseContract('移除前拒签', enterprise, admin);
    const refusing = forkRacedBeforeWrite(platform.services.orm.em, remove);
    expect(await outcomeOf(refuseContract(refusing, { contractId: k.id, participantId: k.enterpriseParticipant, actorUserId: member.id, reason: '不同意' }))).toBe('forbidden NOT_ENTERPRISE_MEMBER');
    expect(await em().count(AuditEventSchema, { action: 'membership.removed', enterpriseId: enterprise.id })).toBe(1); // the removal committed in between
    await stillInProgress(k.id);
    expect((await participants(k.id))[k.enterpriseParticipant]!).toMatchObject({ status: 'pending', refusedAt: null });
  });

  it('拒签 by a member whose 印章授权 is revoked after its check: 403 REFUSAL_AUTHORITY_CHANGED, the contract stays 签署中 (it voided the contract)', async () => {
    const { admin, member, enterprise, revokeGrant } = await enterpriseWithMember('拒签中撤授权');
    const k = await enterpriseContract('撤授权前拒签', enterprise, admin);
    const refusing = forkRacedBeforeWrite(platform.services.orm.em, revokeGrant);
    expect(await outcomeOf(refuseContract(refusing, { contractId: k.id, participantId: k.enterpriseParticipant, actorUserId: member.id, reason: '不同意' }))).toBe('forbidden REFUSAL_AUTHORITY_CHANGED');
    expect(await em().count(AuditEventSchema, { action: 'seal.authorization_revoked', enterpriseId: enterprise.id })).toBe(1); // the revocation committed in between
    await stillInProgress(k.id);
    expect((await participants(k.id))[k.enterpriseParticipant]!).toMatchObject({ status: 'pending', refusedAt: null });
  });

  it('撤销 by the initiator removed from the initiating enterprise after its check, or by an administrator replaced after it: 403 NOT_INITIATOR, nothing voided', async () => {
    const removed = await enterpriseWithMember('撤销中移除');
    const k = await enterpriseContract('移除前撤销', removed.enterprise, removed.member);
    const revoking = forkRacedBeforeWrite(platform.services.orm.em, removed.remove);
    expect(await outcomeOf(revokeContract(revoking, { contractId: k.id, actorUserId: removed.member.id, reason: '不再需要' }))).toBe('forbidden NOT_INITIATOR');
    await stillInProgress(k.id);

    const replaced = await enterpriseWithMember('撤销中换管理员');
    const k2 = await enterpriseContract('换管理员前撤销', replaced.enterprise, replaced.member);
    const byAdmin = forkRacedBeforeWrite(platform.services.orm.em, replaced.replaceAdmin);
    expect(await outcomeOf(revokeContract(byAdmin, { contractId: k2.id, actorUserId: replaced.admin.id, reason: '不再需要' }))).toBe('forbidden NOT_INITIATOR');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: replaced.enterprise.id })).adminUserId).toBe(replaced.member.id);
    await stillInProgress(k2.id);
    // The one who may now revokes.
    expect(await revokeContract(em(), { contractId: k2.id, actorUserId: replaced.member.id, reason: '不再需要' })).toEqual({ status: 'voided', voidReason: 'revoked' });
  });

  it('催办 by the initiator removed after its check: 403 NOT_ALLOWED_TO_URGE, no one urged', async () => {
    const { member, enterprise, remove } = await enterpriseWithMember('催办中移除');
    const k = await enterpriseContract('移除前催办', enterprise, member);
    const urging = forkRacedBeforeWrite(platform.services.orm.em, remove);
    expect(await outcomeOf(urgeContract({ em: urging, sms: (e) => createSmsSender(platform.config, e) }, { contractId: k.id, actorUserId: member.id }))).toBe('forbidden NOT_ALLOWED_TO_URGE');
    expect((await participants(k.id))[k.enterpriseParticipant]!).toMatchObject({ urgeCount: 0, lastUrgedAt: null });
    expect(await events(k.id)).not.toEqual(expect.arrayContaining(['urged']));
  });
});
