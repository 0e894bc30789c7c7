/**
 * Issue 10 signing server side through the API (real database, Temporal dev server, workflow):
 * a free-placement person signs in two rounds (继续签署 then 结束签署) — each round its own PAdES
 * signature, both valid in pdfsig, the first still valid after the second; the sign options; a
 * resize out of limits, a seal the operator is not authorised for and 201 marks are refused before
 * the SMS code is used.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize, markSizeLimits } from '../../domain/contracts/mark-geometry';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { pdfsig, redPixels, renderPage } from '../../documents/pdf/test-helpers';
import { verifyPdf } from '../../documents/pdf/verify-pdf';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: User, bob: User, boss: User, op: User;
let enterprise: { id: string; name: string };
let contractSeal: Seal;
let officialSeal: Seal;
const em = () => platform.services.orm.em.fork();

async function login(u: User, enterpriseId?: string) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  if (enterpriseId) expect((await c.post('/auth/acting', { enterpriseId })).status).toBe(200);
  return c;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, boss, op] = (await Promise.all(['发起人甲', '自由签乙', '企业管理丙', '经办人丁'].map((n) => createUser(platform.services, n)))) as [User, User, User, User];
  const e = await createCertifiedEnterprise(platform.services, boss, `云签轮次科技${Date.now() % 100000}有限公司`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, op);
  const seals = await sealsOf(platform.services, e.id);
  contractSeal = seals.find((s) => s.type === 'contract')!;
  officialSeal = seals.find((s) => s.type === 'official')!;
  for (const s of [contractSeal, officialSeal]) await issueSealCertificate(platform.services, platform.config.masterKey, s, enterprise.name);
  // op may use the 合同专用章 only (not the 公章).
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: contractSeal.id, userId: op.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
});
afterAll(async () => platform?.stop());

async function startFree(kind: 'person' | 'enterprise', pages = 3) {
  const participant = kind === 'person' ? { kind, step: 1, mobile: bob.mobile, name: bob.name, placement: 'free', marks: [] } : { kind, step: 1, enterpriseId: enterprise.id, placement: 'free', marks: [] };
  const spec = { title: kind === 'person' ? '两轮自由签署' : '企业自由签署', participants: [participant] };
  const r = await (await login(alice)).post('/contracts', contractForm(await makePdf(pages), { title: spec.title, spec }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { id: r.json.id as string, participantId: r.json.participants[0].id as string };
}

/**
 * Sends the sign request with the newest code of `mobile`, asking for a new one first when `fresh`
 * (the 60 s resend cooldown is aged in the database: a new round needs a new code). A refused mark
 * does not use the code, so refused requests reuse it.
 */
async function sign(client: ApiClient, mobile: string, contractId: string, participantId: string, body: Record<string, unknown>, fresh = true) {
  if (fresh) {
    await em().nativeUpdate(SmsChallengeSchema, { mobile }, { createdAt: new Date(Date.now() - 120_000) });
    const sent = await client.post(`/contracts/${contractId}/sms-code`, { participantId });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  }
  return client.post(`/contracts/${contractId}/sign`, { code: await latestSmsCode(platform.services, mobile), participantId, ...body });
}

const versionPdf = async (contractId: string, version: number) => platform.services.store.get((await em().findOneOrFail(DocumentVersionSchema, { contractId, version })).storageKey);

describe('继续签署: a free-placement person signs in two rounds', () => {
  it('round 1 (继续签署) and round 2 (结束签署) are two signatures, both valid in pdfsig; the participant stays pending in between', async () => {
    const c = await startFree('person');
    const api = await login(bob);
    const options = await api.get(`/contracts/${c.id}/sign-options?participantId=${c.participantId}`);
    expect(options.status, JSON.stringify(options.json)).toBe(200);
    expect(options.json).toMatchObject({ participantId: c.participantId, placement: 'free', kind: 'person', finishAllowed: false, continueAllowed: true, round: 0, allowedKinds: ['name_seal', 'handwritten', 'date'], seals: [], maxMarks: 200 });
    expect(options.json.limits.name_seal).toEqual(markSizeLimits('name_seal', markSize('name_seal')));

    // Round 1: 人名章 at 1.5×, 继续签署.
    const base = markSize('name_seal');
    const first = await sign(api, bob.mobile, c.id, c.participantId, { finish: false, marks: [{ kind: 'name_seal', page: 1, x: 60, y: 100, width: base.width * 1.5, height: base.height * 1.5 }] });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ status: 'in_progress', documentVersion: 1 });
    expect(first.json.participants[0]).toMatchObject({ status: 'pending' });
    expect((await em().findOneOrFail(ContractSignerSchema, { id: c.participantId })).signedRounds).toBe(1);
    const again = await api.get(`/contracts/${c.id}/sign-options?participantId=${c.participantId}`);
    expect(again.json).toMatchObject({ round: 1, finishAllowed: true });

    // Round 2: 日期章 on page 2, 结束签署: the contract completes.
    const second = await sign(api, bob.mobile, c.id, c.participantId, { finish: true, marks: [{ kind: 'date', page: 2, x: 300, y: 500 }] });
    expect(second.status, JSON.stringify(second.json)).toBe(200);
    expect(second.json).toMatchObject({ status: 'completed', documentVersion: 2 });
    expect(second.json.participants[0]).toMatchObject({ status: 'signed' });

    const root = platform.services.ca.rootCertificatePem();
    const v1 = pdfsig(await versionPdf(c.id, 1), root);
    expect(v1.signatures).toHaveLength(1);
    const final = await versionPdf(c.id, 2);
    const { stdout, signatures } = pdfsig(final, root);
    console.log(stdout);
    expect(signatures).toHaveLength(2);
    for (const block of signatures) {
      expect(block).toContain('Signature is Valid.');
      expect(block).toContain(`Signer Certificate Common Name: ${bob.name}`);
    }
    // NSS in pdfsig checks a certificate once per run: the SAME certificate's second signature reports
    // "Unknown issue with Certificate" (seen with poppler 22); its trust is checked by the platform's verifier.
    expect(signatures[0]).toContain('Certificate is Trusted.');
    expect(v1.signatures[0]).toContain('Certificate is Trusted.');
    const report = await verifyPdf(final, { trustedRootsPem: [root] });
    expect(report).toMatchObject({ signatureCount: 2, intact: true, signedByPlatform: true, modifiedAfterSigning: false });
    expect(report.signatures.map((s) => [s.fieldName, s.signerName, s.intact, s.chainedToPlatform])).toEqual([
      ['签署方1', bob.name, true, true],
      ['签署方1-2', bob.name, true, true],
    ]);
    expect(signatures[0]).toContain('Signature Field Name: 签署方1');
    expect(signatures[1]).toContain('Signature Field Name: 签署方1-2');
    expect(signatures[0]).not.toContain('Total document signed'); // round 1 covers its revision; round 2 was appended
    // The resized 人名章 (1.5×) is stamped at its size on page 1.
    expect(redPixels(renderPage(final, 1), 60 + base.width, 100, base.width * 0.5 - 2, base.height * 1.5)).toBeGreaterThan(20);

    const events = await em().find(ContractEventSchema, { contractId: c.id, type: 'signed' }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => JSON.parse(e.payload) as { round: number; finished: boolean; marks: string[] }).map((p) => [p.round, p.finished, p.marks])).toEqual([
      [1, false, ['name_seal']],
      [2, true, ['date']],
    ]);
    const trail = await api.get(`/contracts/${c.id}/trail/verify`);
    expect(trail.json).toMatchObject({ intact: true, documentMatches: true });
  });

  it('结束签署 without new marks after a round adds no signature; a preset participant cannot 继续签署', async () => {
    const c = await startFree('person', 1);
    const api = await login(bob);
    expect((await sign(api, bob.mobile, c.id, c.participantId, { finish: false, marks: [{ kind: 'name_seal', page: 1, x: 60, y: 100 }] })).status).toBe(200);
    // 继续签署 needs new marks.
    const empty = await sign(api, bob.mobile, c.id, c.participantId, { finish: false, marks: [] });
    // (the code just sent stays unused: the refusal came before it was checked)
    expect(empty.status).toBe(400);
    expect(empty.json.error.code).toBe('MARK_REQUIRED');
    const done = await sign(api, bob.mobile, c.id, c.participantId, { finish: true }, false);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json).toMatchObject({ status: 'completed', documentVersion: 1 });
    expect(pdfsig(await versionPdf(c.id, 1), platform.services.ca.rootCertificatePem()).signatures).toHaveLength(1);

    const preset = { title: '预设位置', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, marks: [{ kind: 'name_seal', page: 1, x: 60, y: 100 }] }] };
    const p = await (await login(alice)).post('/contracts', contractForm(await makePdf(1), { title: preset.title, spec: preset }));
    const refused = await sign(api, bob.mobile, p.json.id, p.json.participants[0].id, { finish: false });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'CONTINUE_NOT_ALLOWED' });
    expect(refused.json.error.message).toMatch(/继续签署/);
  });
});

describe('the server checks each placed mark before the code is used', () => {
  it('a 手写签名 mark from a signer who has no handwritten signature is refused (422) before the code is spent: the same code then signs with other marks', async () => {
    const c = await startFree('person', 1);
    const api = await login(bob);
    const refused = await sign(api, bob.mobile, c.id, c.participantId, { marks: [{ kind: 'handwritten', page: 1, x: 100, y: 100 }] });
    expect([refused.status, refused.json.error.code]).toEqual([422, 'HANDWRITTEN_SIGNATURE_REQUIRED']);
    expect(await em().count(ContractEventSchema, { contractId: c.id, type: 'willingness_confirmed' })).toBe(0);
    const signed = await sign(api, bob.mobile, c.id, c.participantId, { marks: [{ kind: 'name_seal', page: 1, x: 100, y: 100 }] }, false);
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    expect(signed.json).toMatchObject({ status: 'completed' });
  });

  it('the marks are checked against page sizes read once per contract: 6 parallel requests with a wrong code do not load and inspect the upload 6 times', async () => {
    const c = await startFree('person', 2);
    const api = await login(bob);
    const { store } = platform.services;
    const original = (await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 0 })).storageKey;
    const get = store.get;
    let reads = 0;
    store.get = (key: string) => {
      if (key === original) reads++;
      return get.call(store, key);
    };
    try {
      await em().nativeUpdate(SmsChallengeSchema, { mobile: bob.mobile }, { createdAt: new Date(Date.now() - 120_000) });
      expect((await api.post(`/contracts/${c.id}/sms-code`, { participantId: c.participantId })).status).toBe(200);
      const wrong = String((Number(await latestSmsCode(platform.services, bob.mobile)) + 1) % 1_000_000).padStart(6, '0');
      const body = { participantId: c.participantId, code: wrong, finish: false, marks: [{ kind: 'name_seal', page: 2, x: 60, y: 100 }] };
      const answers = await Promise.all(Array.from({ length: 6 }, () => api.post(`/contracts/${c.id}/sign`, body)));
      expect(answers.map((a) => a.status)).toEqual([422, 422, 422, 422, 422, 422]);
      expect(reads).toBe(1);
      // A mark outside the contract's pages is still refused by those sizes (before the code).
      const outside = await api.post(`/contracts/${c.id}/sign`, { ...body, marks: [{ kind: 'name_seal', page: 3, x: 60, y: 100 }] });
      expect(outside.status).toBe(400);
      expect(outside.json.error.code).not.toBe(answers[0]!.json.error.code);
      expect(reads).toBe(1);
    } finally {
      store.get = get;
    }
  });


  it('a resize out of limits → 400 naming the limits; 201 marks → 400; a seal the operator is not authorised for → 403; the authorised seal by id signs', async () => {
    const c = await startFree('enterprise');
    const api = await login(op, enterprise.id);
    const options = await api.get(`/contracts/${c.id}/sign-options?participantId=${c.participantId}`);
    expect(options.status, JSON.stringify(options.json)).toBe(200);
    const seals = options.json.seals as { id: string; type: string; usable: boolean; reason?: string; certificateState: string; imageUrl: string | null; widthPt: number }[];
    expect(seals.find((s) => s.id === contractSeal.id)).toMatchObject({ type: 'contract', usable: true, certificateState: 'issued', widthPt: markSize('seal', 'contract').width });
    expect(seals.find((s) => s.id === officialSeal.id)).toMatchObject({ usable: false, imageUrl: null });
    expect(seals.find((s) => s.id === officialSeal.id)!.reason).toMatch(/授权/);
    const imagePath = seals.find((s) => s.id === contractSeal.id)!.imageUrl!.replace(/^\/api/, '');
    const image = await api.get(imagePath);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await (await login(bob)).get(imagePath)).status).toBe(404);
    // The picture of a seal the operator is not authorised for is not served to them (forgery material): 404 as for a foreign seal.
    expect((await api.get(imagePath.replace(contractSeal.id, officialSeal.id))).status).toBe(404);

    const size = markSize('seal', 'contract');
    const seal = (over: Record<string, unknown>) => ({ kind: 'seal', sealId: contractSeal.id, page: 1, x: 100, y: 100, ...over });
    const tooBig = await sign(api, op.mobile, c.id, c.participantId, { marks: [seal({ width: size.width * 1.5, height: size.height * 1.5 })] });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error.code).toBe('MARK_SIZE_OUT_OF_LIMITS');
    expect(tooBig.json.error.message).toMatch(/企业印章的大小须在 .+ 至 .+ 磅之间/);
    expect(tooBig.json.error.messageEn).toMatch(/between .+ and .+ pt/);
    const tooMany = await sign(api, op.mobile, c.id, c.participantId, { marks: Array.from({ length: 201 }, () => ({ kind: 'date', page: 1, x: 10, y: 10 })) }, false);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json)).toMatch(/200/);
    const notAuthorised = await sign(api, op.mobile, c.id, c.participantId, { marks: [seal({ sealId: officialSeal.id })] }, false);
    expect(notAuthorised.status).toBe(403);
    expect(notAuthorised.json.error.code).toBe('SEAL_NOT_AUTHORIZED');
    const foreign = await sign(api, op.mobile, c.id, c.participantId, { marks: [seal({ sealId: randomUUID() })] }, false);
    expect(foreign.status).toBe(404);
    // Nothing was signed by the refused requests.
    expect((await em().findOneOrFail(ContractSignerSchema, { id: c.participantId })).status).toBe('pending');

    // 多页盖章: the same seal on pages 1–3 (one mark per page), resized to 0.9×.
    const marks = [1, 2, 3].map((page) => seal({ page, x: 400, y: 600, width: size.width * 0.9, height: size.height * 0.9 }));
    const ok = await sign(api, op.mobile, c.id, c.participantId, { marks }, false);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.status).toBe('completed');
    const pdf = await versionPdf(c.id, 1);
    const { signatures } = pdfsig(pdf, platform.services.ca.rootCertificatePem());
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toContain('Signature is Valid.');
    expect(signatures[0]).toContain(`Signer Certificate Common Name: ${contractSeal.name}`);
    for (const page of [1, 2, 3]) expect(redPixels(renderPage(pdf, page), 400, 600, size.width * 0.9, size.height * 0.9), `seal on page ${page}`).toBeGreaterThan(500);
  });
});
