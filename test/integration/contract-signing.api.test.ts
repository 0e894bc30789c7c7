// @sqlite-too: the signing path end to end on the database.
/**
 * The walking skeleton over HTTP, against the real Temporal dev server and the run's database
 * (MariaDB in one run, SQLite in the other): start a v2 contract (one person per step) → two
 * signers sign with SMS codes → 已完成 → download → verify; the lists (GET /contracts, keyset
 * `{ items, nextCursor }`); plus the refusals a user can run into.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let bob: { id: string; mobile: string; name: string };
let eve: { id: string; mobile: string; name: string };
const as: Record<string, ApiClient> = {};

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '王小明');
  bob = await createUser(platform.services, '李华');
  eve = await createUser(platform.services, '赵敏');
  for (const [key, u] of Object.entries({ alice, bob, eve })) {
    as[key] = new ApiClient(platform.baseUrl);
    await as[key]!.login(u.mobile, TEST_PASSWORD);
  }
});
afterAll(async () => platform?.stop());

const inOneWeek = () => new Date(Date.now() + 7 * 24 * 3600_000);

async function startTwoPartyContract(title = '采购合同') {
  const form = contractForm(await makePdf(2), {
    title,
    expiresAt: inOneWeek(),
    signers: [
      { mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 650 },
      { mobile: bob.mobile, name: bob.name, page: 2, x: 350, y: 650 },
    ],
  });
  const r = await as.alice!.post('/contracts', form);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}

async function sign(client: ApiClient, mobile: string, contractId: string) {
  const sent = await client.post(`/contracts/${contractId}/sms-code`);
  expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  const code = await latestSmsCode(platform.services, mobile);
  return client.post(`/contracts/${contractId}/sign`, { code });
}

describe('walking skeleton over HTTP', () => {
  it('two signers sign in order; the signed PDF verifies with two intact platform signatures', async () => {
    const contract = await startTwoPartyContract();
    expect(contract.status).toBe('in_progress');
    // Portal users never get internal Temporal identifiers or links (operators do, in the console).
    expect(contract).not.toHaveProperty('workflowId');
    expect(contract).not.toHaveProperty('temporalUrl');
    const listed = (await as.alice!.get('/contracts')).json.items.find((c: any) => c.id === contract.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('temporalUrl');
    const operator = await createUser(platform.services, '运营专员', 'operator');
    const operatorApi = new ApiClient(platform.baseUrl);
    await operatorApi.login(operator.mobile, TEST_PASSWORD);
    const seen = await operatorApi.get(`/admin/contracts/${contract.id}`);
    expect(seen.json).toMatchObject({ workflowId: `contract:${contract.id}`, temporalUrl: expect.stringContaining(encodeURIComponent(`contract:${contract.id}`)) });
    expect(contract.lifecycle).toBe(2);
    expect(contract.participants.map((s: any) => [s.step, s.status])).toEqual([[1, 'pending'], [2, 'waiting']]);

    const ids = async (who: string, box: string) => {
      const r = await as[who]!.get(`/contracts?box=${box}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json).toHaveProperty('nextCursor');
      return r.json.items.map((c: any) => c.id);
    };
    expect(await ids('alice', 'todo')).toContain(contract.id);
    expect(await ids('bob', 'todo')).not.toContain(contract.id);
    expect(await ids('bob', 'waiting')).toContain(contract.id);

    // Bob may not jump the queue.
    const early = await as.bob!.post(`/contracts/${contract.id}/sms-code`);
    expect(early.status).toBe(422);
    expect(early.json.error.code).toBe('NOT_YOUR_TURN');

    const first = await sign(as.alice!, alice.mobile, contract.id);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.participants.map((s: any) => s.status)).toEqual(['signed', 'pending']);
    expect(first.json.currentStep).toBe(2);

    const second = await sign(as.bob!, bob.mobile, contract.id);
    expect(second.status, JSON.stringify(second.json)).toBe(200);
    expect(second.json.status).toBe('completed');
    expect(second.json.statusLabel).toBe('已完成');

    expect(await ids('bob', 'completed')).toContain(contract.id);
    expect(await ids('alice', 'completed')).toContain(contract.id);

    const pdf = await as.alice!.get(`/contracts/${contract.id}/document?download=1`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);

    const form = new FormData();
    form.append('file', new Blob([pdf.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'signed.pdf');
    const report = await as.eve!.post('/verifications', form);
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({ signedByPlatform: true, intact: true, modifiedAfterSigning: false, signatureCount: 2 });
    expect(report.json.signatures.map((s: any) => s.signerName)).toEqual([alice.name, bob.name]);

    const trail = await as.alice!.get(`/contracts/${contract.id}/audit`);
    const actions = trail.json.map((e: any) => e.action);
    for (const a of ['contract.created', 'contract.sms_code_sent', 'contract.willingness_confirmed', 'contract.signed', 'contract.completed', 'contract.downloaded']) {
      expect(actions).toContain(a);
    }
    expect(actions.filter((a: string) => a === 'contract.signed')).toHaveLength(2);
    // A participant sees their own address, never another participant's.
    expect(trail.json.filter((e: any) => e.action === 'contract.signed').map((e: any) => e.ip)).toEqual([as.alice!.ip, null]);
    const bobsTrail = await as.bob!.get(`/contracts/${contract.id}/audit`);
    const ipsBobSees = bobsTrail.json.filter((e: any) => e.ip !== null).map((e: any) => [e.actorId, e.ip]);
    expect(ipsBobSees.length).toBeGreaterThan(0);
    expect(ipsBobSees.every(([actorId, ip]: [string, string]) => actorId === bob.id && ip === as.bob!.ip)).toBe(true);
    // Operators keep seeing every address (console audit stays complete).
    const rows = await platform.services.orm.em.fork().find(AuditEventSchema, { targetId: contract.id, action: 'contract.signed' }, { orderBy: { at: 'asc' } });
    expect(rows.map((r) => r.ip)).toEqual([as.alice!.ip, as.bob!.ip]);
  });

  it('a one-byte change inside a signed range is reported as modified', async () => {
    const contract = await startTwoPartyContract('篡改检测');
    await sign(as.alice!, alice.mobile, contract.id);
    const pdf = (await as.alice!.get(`/contracts/${contract.id}/document`)).bytes;
    const tampered = new Uint8Array(pdf);
    // Change one digit of the first page's MediaBox: still a readable PDF, but no longer the signed bytes.
    const text = new TextDecoder('latin1').decode(tampered);
    const at = text.slice(text.indexOf('/MediaBox')).search(/[1-9]/) + text.indexOf('/MediaBox');
    expect(at).toBeGreaterThan(0);
    tampered[at] = tampered[at] === 0x39 ? 0x38 : tampered[at]! + 1;
    const form = new FormData();
    form.append('file', new Blob([tampered as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'tampered.pdf');
    const report = await as.alice!.post('/verifications', form);
    expect(report.json.intact).toBe(false);
    expect(report.json.modifiedAfterSigning).toBe(true);
  });

  it('an unsigned PDF is reported as not signed by the platform', async () => {
    const form = new FormData();
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'plain.pdf');
    const report = await as.alice!.post('/verifications', form);
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({ signedByPlatform: false, signatureCount: 0 });
  });
});

describe('bad input gets a clear 4xx and nothing is half-written', () => {
  const countContracts = () => platform.services.orm.em.fork().count(ContractSchema, {});

  it('rejects a non-PDF upload, a corrupt PDF and an oversized upload without writing a contract', async () => {
    const before = await countContracts();
    const signers = [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }];
    const notPdf = contractForm(new TextEncoder().encode('hello, not a pdf'), { title: 'x', expiresAt: inOneWeek(), signers });
    const r1 = await as.alice!.post('/contracts', notPdf);
    expect(r1.status).toBe(400);
    expect(r1.json.error.code).toBe('NOT_A_PDF');
    expect(r1.json.error.message).toBeTruthy();

    const corrupt = contractForm(new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> garbage'), { title: 'x', expiresAt: inOneWeek(), signers });
    const r2 = await as.alice!.post('/contracts', corrupt);
    expect(r2.status).toBe(400);
    expect(r2.json.error.code).toBe('PDF_CORRUPT');

    const big = new Uint8Array(platform.config.maxUploadBytes + 10);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const r3 = await as.alice!.post('/contracts', contractForm(big, { title: 'x', expiresAt: inOneWeek(), signers }));
    expect(r3.status).toBe(413);
    expect(await countContracts()).toBe(before);
  });

  it('rejects a person without a name, past expiry, positions off the page and missing titles', async () => {
    const pdf = await makePdf(1);
    const cases: [object, string][] = [
      [{ title: 'x', expiresAt: inOneWeek(), signers: [{ mobile: '13312345678', name: '', page: 1, x: 1, y: 1 }] }, 'VALIDATION_FAILED'], // every person is named by the initiator
      [{ title: 'x', expiresAt: new Date(Date.now() - 1000), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 1, y: 1 }] }, 'EXPIRY_IN_PAST'],
      [{ title: 'x', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 3, x: 1, y: 1 }] }, 'POSITION_OUT_OF_PAGE'],
      [{ title: 'x', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 590, y: 1 }] }, 'POSITION_OUT_OF_PAGE'],
      [{ title: ' ', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 1, y: 1 }] }, 'VALIDATION_FAILED'],
    ];
    for (const [fields, code] of cases) {
      const r = await as.alice!.post('/contracts', contractForm(pdf, fields as never));
      expect(r.status, code).toBe(400);
      expect(r.json.error.code).toBe(code);
    }
  });

  it('unknown ids and other people’s contracts are not found; anonymous calls need a login', async () => {
    const contract = await startTwoPartyContract('保密合同');
    expect((await as.alice!.get('/contracts/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const peek = await as.eve!.get(`/contracts/${contract.id}`);
    expect(peek.status).toBe(404);
    expect((await as.eve!.get(`/contracts/${contract.id}/document`)).status).toBe(404);
    const steal = await as.eve!.post(`/contracts/${contract.id}/sms-code`);
    expect(steal.status).toBe(404);
    const anonymous = new ApiClient(platform.baseUrl);
    expect((await anonymous.get('/contracts')).status).toBe(401);
    expect((await as.alice!.get('/admin/contracts')).status).toBe(403);
  });

  it('wrong SMS codes are refused, the code of a committed signature signs nothing again; the resend cooldown applies', async () => {
    const contract = await startTwoPartyContract('验证码测试');
    expect((await as.alice!.post(`/contracts/${contract.id}/sms-code`)).status).toBe(200);
    const again = await as.alice!.post(`/contracts/${contract.id}/sms-code`);
    expect(again.status).toBe(429);
    expect(again.json.error.code).toBe('SMS_COOLDOWN');
    const code = await latestSmsCode(platform.services, alice.mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    const r = await as.alice!.post(`/contracts/${contract.id}/sign`, { code: wrong });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('SMS_CODE_WRONG');
    expect(r.json.error.message).toContain('还可尝试 4 次');
    const malformed = await as.alice!.post(`/contracts/${contract.id}/sign`, { code: 'abc' });
    expect(malformed.status).toBe(400);
    const ok = await as.alice!.post(`/contracts/${contract.id}/sign`, { code });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    // The same request again (its answer lost): the contract as it is, nothing signed twice.
    const reuse = await as.alice!.post(`/contracts/${contract.id}/sign`, { code });
    expect(reuse.status, JSON.stringify(reuse.json)).toBe(200);
    expect(reuse.json.documentVersion).toBe(ok.json.documentVersion);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { targetId: contract.id, action: 'contract.signed' })).toBe(1);
    const another = await as.alice!.post(`/contracts/${contract.id}/sign`, { code: wrong });
    expect([another.status, another.json.error?.code]).toEqual([422, 'ALREADY_SIGNED']);
  });

  it('failed logins are refused and audited', async () => {
    const r = await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: alice.mobile, password: 'wrong-password' });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toBe('手机号或密码错误');
    const failed = await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'auth.login_failed', actorId: alice.id });
    expect(failed).toBeGreaterThan(0);
  });
});
