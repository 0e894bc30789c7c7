// @sqlite-too: the v2 signing engine's rows and locks.
/**
 * The v2 signing engine on the run's database (SQLite and MariaDB): an enterprise participant's
 * operator signs with the 合同专用章 (its seal certificate) + 骑缝章 over five pages + 日期章, then a
 * person signs with 人名章 + 日期章. Who may act for a participant, the next step starting, the marks
 * stored with the version that stamped them, and the final PDF checked by pdfsig (both signers'
 * certificates valid) and rendered (the 骑缝章 strips at the right edge of pages 1–5).
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySignature } from '../../domain/contracts/apply-signature';
import { loadContract } from '../../domain/contracts/contract-access';
import { ContractMarkSchema, type MarkKind } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema, type ContractSigner } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { assertMayActFor, participantsFor } from '../../domain/contracts/participant-actor';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { verifyContractTrail } from '../../domain/contracts/trail/verify-contract-trail';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { pdfsig, redPixels, renderPage } from '../../documents/pdf/test-helpers';
import { verifyPdf } from '../../documents/pdf/verify-pdf';
import { issueSealCertificate as issueRealSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { participantRow } from '../harness/contract-rows';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let initiator: User;
let boss: User;
let operator: User;
let unauthorised: User;
let bob: User;
let enterprise: { id: string; name: string };
let contractSeal: Seal;

const em = () => platform.services.orm.em.fork();
const deps = () => ({ em: em(), store: platform.services.store, ca: platform.services.ca, masterKey: platform.config.masterKey });
const A4_WIDTH = 595.28;
const RIDING_Y = 300;

const issueSealCertificate = (seal: Seal) => issueRealSealCertificate(platform.services, platform.config.masterKey, seal, enterprise.name);

beforeAll(async () => {
  platform = await startTestPlatform();
  initiator = await createUser(platform.services, '孙发起');
  boss = await createUser(platform.services, '钱总');
  operator = await createUser(platform.services, '李经办');
  unauthorised = await createUser(platform.services, '周无权');
  bob = await createUser(platform.services, '吴签署');
  const e = await createCertifiedEnterprise(platform.services, boss, `杭州云签科技有限公司${Date.now() % 10000}`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, operator);
  await addMember(platform.services, e.id, boss, unauthorised);
  contractSeal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(contractSeal);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: contractSeal.id, userId: operator.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
});
afterAll(async () => platform?.stop());

type MarkRow = { kind: MarkKind; sealType?: string; page?: number; x?: number; y?: number; pageFrom?: number; pageTo?: number };

/** A 签署中 v2 contract of five pages: step 1 the enterprise (合同专用章 + 骑缝章 1–5 + 日期章), step 2 bob (人名章 + 日期章). */
async function newContract(title: string, bobPlacement: 'preset' | 'free' = 'preset') {
  const id = randomUUID();
  const pdf = await makePdf(5);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await platform.services.store.put(storageKey, pdf);
  const now = new Date();
  const enterpriseParticipant = randomUUID();
  const bobParticipant = randomUUID();
  const participant = (pid: string, order: number, over: Pick<ContractSigner, 'kind' | 'userId' | 'enterpriseId' | 'name' | 'mobile' | 'status'>) => participantRow(id, order, { id: pid, ...over });
  const marks: [string, MarkRow[]][] = [
    [
      enterpriseParticipant,
      [
        { kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 560 },
        { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 5, y: RIDING_Y },
        { kind: 'date', page: 1, x: 300, y: 700 },
      ],
    ],
    [
      bobParticipant,
      [
        { kind: 'name_seal', page: 5, x: 60, y: 100 },
        { kind: 'date', page: 5, x: 60, y: 170 },
      ],
    ],
  ];
  await em().transactional(async (tx) => {
    tx.create(ContractSchema, {
      id,
      title,
      contractNo: null,
      remarks: null,
      status: 'in_progress',
      voidReason: null,
      voidNote: null,
      initiatorId: initiator.id,
      initiatorEnterpriseId: null,
      lifecycle: 2,
      currentStep: 1,
      pageCount: 5,
      documentVersion: 0,
      trailSeq: 0,
      trailHead: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 86400_000),
      completedAt: null,
      voidedAt: null,
    });
    tx.create(ContractSignerSchema, participant(enterpriseParticipant, 1, { kind: 'enterprise', userId: null, enterpriseId: enterprise.id, name: enterprise.name, mobile: '', status: 'pending' }));
    tx.create(ContractSignerSchema, { ...participant(bobParticipant, 2, { kind: 'person', userId: bob.id, enterpriseId: null, name: bob.name, mobile: bob.mobile, status: 'waiting' }), placement: bobPlacement });
    for (const [participantId, rows] of marks) {
      if (participantId === bobParticipant && bobPlacement === 'free') continue;
      for (const m of rows) {
        const size = markSize(m.kind, m.sealType);
        tx.create(ContractMarkSchema, {
          id: randomUUID(),
          contractId: id,
          participantId,
          kind: m.kind,
          sealType: m.sealType ?? null,
          page: m.page ?? null,
          x: m.x ?? null,
          y: m.y ?? null,
          width: size.width,
          height: size.height,
          pageFrom: m.pageFrom ?? null,
          pageTo: m.pageTo ?? null,
          preset: true,
          appliedVersion: null,
          sealId: null,
        });
      }
    }
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
  });
  return { id, enterpriseParticipant, bobParticipant };
}

/** 意愿认证 as the API records it after the SMS code checked out. */
async function confirmation(contractId: string, participantId: string, userId: string) {
  const e = em();
  const c = e.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId, signerId: participantId, userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '203.0.113.9', codeHash: null });
  await e.flush();
  return c.id;
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('acting for a participant', () => {
  it('an authorised member acts for the enterprise; others are told why not', async () => {
    const c = await newContract('谁可以代企业签署');
    const found = (await loadContract(em(), c.id))!;
    const ep = found.signers.find((s) => s.id === c.enterpriseParticipant)!;
    expect((await participantsFor(em(), found, { userId: operator.id, actingEnterpriseId: enterprise.id })).map((s) => s.id)).toEqual([c.enterpriseParticipant]);
    expect(await participantsFor(em(), found, { userId: operator.id, actingEnterpriseId: null })).toEqual([]);
    expect((await participantsFor(em(), found, { userId: bob.id, actingEnterpriseId: null })).map((s) => s.id)).toEqual([c.bobParticipant]);

    const authority = await assertMayActFor(em(), found, ep, operator.id, new Date());
    expect([...authority.seals.keys()]).toEqual(['contract']);
    expect(authority.seals.get('contract')!.seal.id).toBe(contractSeal.id);
    expect(await codeOf(assertMayActFor(em(), found, ep, unauthorised.id, new Date()))).toBe('SEAL_NOT_AUTHORIZED');
    expect(await codeOf(assertMayActFor(em(), found, ep, bob.id, new Date()))).toBe('NOT_ENTERPRISE_MEMBER');
    expect(await codeOf(assertMayActFor(em(), found, found.signers.find((s) => s.id === c.bobParticipant)!, operator.id, new Date()))).toBe('NOT_A_PARTICIPANT');
    // A named operator: only that member may act.
    expect(await codeOf(assertMayActFor(em(), found, { ...ep, userId: unauthorised.id }, operator.id, new Date()))).toBe('NOT_THE_NAMED_OPERATOR');
  });
});

describe('signing with marks', () => {
  it('enterprise (合同专用章 + 骑缝章 + 日期章) then person (人名章 + 日期章): one signature each, both valid in pdfsig, strips on pages 1–5', async () => {
    const c = await newContract('企业与个人依次签署');
    // Step 2 must wait for step 1.
    expect(await codeOf(applySignature(deps(), { contractId: c.id, participantId: c.bobParticipant, actorUserId: bob.id, confirmationId: await confirmation(c.id, c.bobParticipant, bob.id) }))).toBe('NOT_YOUR_TURN');
    // A member without an authorisation cannot sign for the enterprise.
    const denied = { contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: unauthorised.id, confirmationId: await confirmation(c.id, c.enterpriseParticipant, unauthorised.id) };
    expect(await codeOf(applySignature(deps(), denied))).toBe('SEAL_NOT_AUTHORIZED');
    // Marks cannot be added to a preset participant.
    const input = { contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: operator.id, confirmationId: await confirmation(c.id, c.enterpriseParticipant, operator.id) };
    expect(await codeOf(applySignature(deps(), { ...input, marks: [{ kind: 'date', page: 2, x: 10, y: 10 }] }))).toBe('MARKS_PRESET');

    const t = performance.now();
    const first = await applySignature(deps(), input);
    console.log(`enterprise signature with 3 marks + 5 strips: ${(performance.now() - t).toFixed(0)} ms`);
    expect(first).toEqual({ documentVersion: 1, stepAdvanced: 2, completed: false, round: 1, finished: true });
    // A retried attempt answers the same and commits nothing more.
    expect(await applySignature(deps(), input)).toEqual(first);

    const afterFirst = (await loadContract(em(), c.id))!;
    expect(afterFirst.contract).toMatchObject({ documentVersion: 1, currentStep: 2, status: 'in_progress' });
    expect(afterFirst.signers.map((s) => [s.id, s.status, s.signedByUserId, s.signedByName])).toEqual([
      [c.enterpriseParticipant, 'signed', operator.id, operator.name],
      [c.bobParticipant, 'pending', null, null],
    ]);
    const enterpriseMarks = await em().find(ContractMarkSchema, { participantId: c.enterpriseParticipant });
    expect(enterpriseMarks.map((m) => [m.kind, m.appliedVersion, m.sealId]).sort()).toEqual([
      ['date', 1, null],
      ['riding', 1, contractSeal.id],
      ['seal', 1, contractSeal.id],
    ]);
    const events = await em().find(ContractEventSchema, { contractId: c.id }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['signed', 'step_started']);
    const signedEvent = JSON.parse(events[0]!.payload) as { marks: string[] };
    expect(signedEvent).toMatchObject({ participantId: c.enterpriseParticipant, name: enterprise.name, signedByName: operator.name, documentVersion: 1 });
    expect(signedEvent.marks.sort()).toEqual(['date', 'riding', 'seal']);
    expect(JSON.parse(events[1]!.payload)).toEqual({ step: 2, participantIds: [c.bobParticipant], names: [bob.name] });

    const second = await applySignature(deps(), { contractId: c.id, participantId: c.bobParticipant, actorUserId: bob.id, confirmationId: await confirmation(c.id, c.bobParticipant, bob.id) });
    expect(second).toEqual({ documentVersion: 2, stepAdvanced: null, completed: true, round: 1, finished: true, closed: true });

    const final = await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 2 });
    // The last signature completed the contract in its own transaction: 已完成, and the trail ends with `completed` over the final document.
    expect(await em().findOneOrFail(ContractSchema, { id: c.id })).toMatchObject({ status: 'completed', documentVersion: 2 });
    const trail = await em().find(ContractEventSchema, { contractId: c.id }, { orderBy: { seq: 'asc' } });
    expect(trail.map((e) => e.type)).toEqual(['signed', 'step_started', 'signed', 'completed']);
    expect(trail.at(-1)!.documentSha256).toBe(final.sha256);
    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store })).toMatchObject({ intact: true, checked: 4, brokenAt: null, documentMatches: true });
    const pdf = await platform.services.store.get(final.storageKey);
    const root = platform.services.ca.rootCertificatePem();
    const report = await verifyPdf(pdf, { trustedRootsPem: [root] });
    expect(report).toMatchObject({ signatureCount: 2, intact: true, signedByPlatform: true, modifiedAfterSigning: false });
    expect(report.signatures.map((s) => s.signerName)).toEqual([contractSeal.name, bob.name]);

    const { stdout, signatures } = pdfsig(pdf, root);
    console.log(stdout);
    expect(signatures).toHaveLength(2);
    for (const block of signatures) {
      expect(block).toContain('Signature is Valid.');
      expect(block).toContain('Certificate is Trusted.');
    }
    expect(signatures[0]).toContain(`Signer Certificate Common Name: ${contractSeal.name}`);
    expect(signatures[1]).toContain(`Signer Certificate Common Name: ${bob.name}`);

    const seal = markSize('riding', 'contract');
    for (let page = 1; page <= 5; page++) {
      const raster = renderPage(pdf, page);
      expect(redPixels(raster, A4_WIDTH - seal.width / 5, RIDING_Y, seal.width / 5, seal.height), `strip on page ${page}`).toBeGreaterThan(50);
      expect(redPixels(raster, A4_WIDTH - seal.width / 5 - 40, RIDING_Y, 38, seal.height), `left of the strip on page ${page}`).toBe(0);
    }
    const page1 = renderPage(pdf, 1);
    expect(redPixels(page1, 300, 560, seal.width, seal.height)).toBeGreaterThan(1000);
    expect(redPixels(page1, 300, 700, 120, 36)).toBeGreaterThan(100);
    expect(redPixels(renderPage(pdf, 5), 60, 100, 57, 57)).toBeGreaterThan(200);
  });
});

describe('authority withdrawn while the PDF is being signed', () => {
  it.each([
    ['the seal authorisation revoked', async (member: User) => void (await em().nativeDelete(SealAuthorizationSchema, { sealId: contractSeal.id, userId: member.id }))],
    ['the member removed', async (member: User) => void (await em().nativeUpdate(MembershipSchema, { enterpriseId: enterprise.id, userId: member.id }, { status: 'removed' }))],
  ])('%s: the signature is not applied (SIGNING_AUTHORITY_CHANGED), nothing commits, the signed file is removed', async (_what, withdraw) => {
    const member = await createUser(platform.services, '途中失权');
    await addMember(platform.services, enterprise.id, boss, member);
    const x = em();
    x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: contractSeal.id, userId: member.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
    await x.flush();
    const c = await newContract('签署途中撤销授权');
    const input = { contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: member.id, confirmationId: await confirmation(c.id, c.enterpriseParticipant, member.id) };
    const created: string[] = [];
    // The rights change after the checks and the PDF signature, before the commit.
    const store = { ...platform.services.store, create: async (key: string, bytes: Uint8Array) => {
      created.push(key);
      await platform.services.store.create(key, bytes);
      await withdraw(member);
    } };
    expect(await codeOf(applySignature({ ...deps(), store }, input))).toBe('SIGNING_AUTHORITY_CHANGED');
    const after = (await loadContract(em(), c.id))!;
    expect(after.contract.documentVersion).toBe(0);
    expect(after.signers.find((s) => s.id === c.enterpriseParticipant)?.status).toBe('pending');
    expect((await em().findOneOrFail(WillingnessConfirmationSchema, { id: input.confirmationId })).usedAt).toBeNull();
    expect(created).toHaveLength(1);
    await expect(platform.services.store.get(created[0]!)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('free placement', () => {
  it('the signer places their marks at signing time; the server checks kinds, pages and bounds', async () => {
    const c = await newContract('签署方自由签章', 'free');
    await applySignature(deps(), { contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: operator.id, confirmationId: await confirmation(c.id, c.enterpriseParticipant, operator.id) });
    const input = async () => ({ contractId: c.id, participantId: c.bobParticipant, actorUserId: bob.id, confirmationId: await confirmation(c.id, c.bobParticipant, bob.id) });
    expect(await codeOf(applySignature(deps(), await input()))).toBe('MARK_REQUIRED');
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 1, x: 10, y: 10 }, { kind: 'seal', sealType: 'contract', page: 1, x: 100, y: 10 }] }))).toBe('MARK_NOT_ALLOWED');
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 6, x: 10, y: 10 }] }))).toBe('POSITION_OUT_OF_PAGE');
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 2, x: 580, y: 10 }] }))).toBe('POSITION_OUT_OF_PAGE');
    // Off the left or top edge (negative coordinates) too: placed marks do not pass through the start's schema.
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 1, x: -5000, y: 10 }] }))).toBe('POSITION_OUT_OF_PAGE');
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 1, x: 10, y: -5000 }] }))).toBe('POSITION_OUT_OF_PAGE');
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: [{ kind: 'handwritten', page: 2, x: 10, y: 10 }] }))).toBe('HANDWRITTEN_SIGNATURE_REQUIRED');
    // Nothing was committed by the refused attempts.
    expect((await em().findOneOrFail(ContractSchema, { id: c.id })).documentVersion).toBe(1);

    const done = await applySignature(deps(), { ...(await input()), marks: [{ kind: 'name_seal', page: 2, x: 400, y: 500 }, { kind: 'date', page: 2, x: 400, y: 570 }] });
    expect(done).toEqual({ documentVersion: 2, stepAdvanced: null, completed: true, round: 1, finished: true, closed: true });
    const placed = await em().find(ContractMarkSchema, { participantId: c.bobParticipant });
    expect(placed.map((m) => [m.kind, m.page, m.x, m.y, m.preset, m.appliedVersion]).sort()).toEqual([
      ['date', 2, 400, 570, false, 2],
      ['name_seal', 2, 400, 500, false, 2],
    ]);
    const final = await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 2 });
    const pdf = await platform.services.store.get(final.storageKey);
    expect(redPixels(renderPage(pdf, 2), 400, 500, 57, 57)).toBeGreaterThan(200);
    expect((await verifyPdf(pdf, { trustedRootsPem: [platform.services.ca.rootCertificatePem()] })).modifiedAfterSigning).toBe(false);
  });
});

describe('v1 contracts (lifecycle 1) still sign', () => {
  it('the v1 input stamps the personal signature at the signer position, passes the turn and records the signed event', async () => {
    const id = randomUUID();
    const pdf = await makePdf(1);
    const storageKey = `contracts/${id}/v0-test.pdf`;
    await platform.services.store.put(storageKey, pdf);
    const now = new Date();
    const [first, second] = [randomUUID(), randomUUID()];
    const v1Signer = (sid: string, order: number, user: User, status: 'pending' | 'waiting') =>
      participantRow(id, order, { id: sid, userId: user.id, name: user.name, mobile: user.mobile, status, page: 1, x: 60 + 120 * (order - 1), y: 600 });
    await em().transactional(async (tx) => {
      tx.create(ContractSchema, {
        id, title: 'v1 合同', contractNo: null, remarks: null, status: 'in_progress', voidReason: null, voidNote: null, initiatorId: initiator.id, initiatorEnterpriseId: null,
        lifecycle: 1, currentStep: 1, pageCount: 1, documentVersion: 0, trailSeq: 0, trailHead: null, createdAt: now, expiresAt: new Date(now.getTime() + 86400_000), completedAt: null, voidedAt: null,
      });
      tx.create(ContractSignerSchema, v1Signer(first, 1, bob, 'pending'));
      tx.create(ContractSignerSchema, v1Signer(second, 2, initiator, 'waiting'));
      tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
    });
    const result = await applySignature(deps(), { contractId: id, signerId: first, confirmationId: await confirmation(id, first, bob.id) });
    expect(result).toEqual({ documentVersion: 1, stepAdvanced: null, completed: false });
    const after = (await loadContract(em(), id))!;
    expect(after.signers.map((s) => [s.status, s.signedByName])).toEqual([['signed', bob.name], ['pending', null]]);
    const events = await em().find(ContractEventSchema, { contractId: id });
    expect(events.map((e) => [e.type, JSON.parse(e.payload).marks])).toEqual([['signed', ['personal']]]);
    const signed = await platform.services.store.get((await em().findOneOrFail(DocumentVersionSchema, { contractId: id, version: 1 })).storageKey);
    expect(redPixels(renderPage(signed, 1), 60, 600, 57, 57)).toBeGreaterThan(200);
  });
});

describe('department participant', () => {
  it('signs with the 部门章 of its department (free placement: seal + 骑缝章 placed at signing time)', async () => {
    const x = em();
    const dept = x.create(SealSchema, { id: randomUUID(), enterpriseId: enterprise.id, type: 'department', name: `${enterprise.name}法务部`, departmentName: '法务部', status: 'active', createdAt: new Date() });
    await x.flush();
    await issueSealCertificate(dept);
    const c = await newContract('部门签署', 'preset');
    // Turn the enterprise participant into the 法务部 department with free placement.
    await em().nativeUpdate(ContractSignerSchema, { id: c.enterpriseParticipant }, { kind: 'department', departmentName: '法务部', name: `${enterprise.name}·法务部`, placement: 'free' });
    await em().nativeDelete(ContractMarkSchema, { participantId: c.enterpriseParticipant });
    const input = async () => ({ contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: operator.id, confirmationId: await confirmation(c.id, c.enterpriseParticipant, operator.id) });
    const placed = [
      { kind: 'seal', page: 1, x: 300, y: 560 },
      { kind: 'riding', pageFrom: 2, pageTo: 4, y: 200 },
    ];
    // Authorised for the 合同专用章 only: not for the 部门章.
    expect(await codeOf(applySignature(deps(), { ...(await input()), marks: placed }))).toBe('SEAL_NOT_AUTHORIZED');
    const y = em();
    y.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: dept.id, userId: operator.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
    await y.flush();
    expect(await applySignature(deps(), { ...(await input()), marks: placed })).toEqual({ documentVersion: 1, stepAdvanced: 2, completed: false, round: 1, finished: true });
    const marks = await em().find(ContractMarkSchema, { participantId: c.enterpriseParticipant });
    expect(marks.map((m) => [m.kind, m.sealType, m.sealId, m.preset]).sort()).toEqual([
      ['riding', 'department', dept.id, false],
      ['seal', 'department', dept.id, false],
    ]);
    const pdf = await platform.services.store.get((await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 1 })).storageKey);
    const report = await verifyPdf(pdf, { trustedRootsPem: [platform.services.ca.rootCertificatePem()] });
    expect(report.signatures.map((s) => s.signerName)).toEqual([dept.name]);
    const strip = markSize('riding', 'department').width / 3;
    for (const page of [2, 3, 4]) expect(redPixels(renderPage(pdf, page), A4_WIDTH - strip, 200, strip, 100), `strip on page ${page}`).toBeGreaterThan(30);
    expect(redPixels(renderPage(pdf, 5), A4_WIDTH - 40, 200, 40, 110)).toBe(0);
  });
});
