/**
 * One name rule for 实名认证 and the seal: names the seal cannot show are refused at 实名认证
 * (with zh-CN and English messages), never at signing; a verified user whose name sits at the
 * limits of the rule (maximum length, "·", rare CJK from the font) signs like anyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem, sealFontCoverage } from '../../documents/seals/person-name';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { uniqueIdNumber } from '../harness/registration';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

async function unverifiedClient() {
  const user = await createUser(platform.services, '待认证', null, 'unverified');
  const client = new ApiClient(platform.baseUrl);
  await client.login(user.mobile, TEST_PASSWORD);
  return { user, client };
}

describe('实名认证 refuses names the seal cannot show', () => {
  it.each([
    ['张\u200b伟', 'INVISIBLE_CHARACTER'],
    ['\u202e伟张', 'INVISIBLE_CHARACTER'],
    ['张'.repeat(PERSON_NAME_MAX_LENGTH + 1), 'TOO_LONG'],
    ['محمد علي', 'UNRENDERABLE_CHARACTER'],
    ['张伟3', 'INVALID_CHARACTER'],
  ])('%j → 400 %s', async (name, code) => {
    const { client } = await unverifiedClient();
    const r = await client.post('/me/real-name', { name, idNumber: uniqueIdNumber() });
    const problem = personNameProblem(normalizePersonName(name));
    expect(problem?.code).toBe(code);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'VALIDATION_FAILED', message: problem!.message });
    expect(JSON.stringify(r.json)).not.toContain('\u200b');
  });

  it('stores the normalised name (NFC, one kind of middle dot)', async () => {
    const { user, client } = await unverifiedClient();
    const r = await client.post('/me/real-name', { name: ' 阿依古丽・买买提 ', idNumber: uniqueIdNumber() });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const application = await platform.services.orm.em.fork().findOneOrFail(RealNameApplicationSchema, { userId: user.id });
    expect(application.name).toBe('阿依古丽·买买提');
  });
});

describe('every name the rule accepts can sign', () => {
  it('a verified signer with a maximum-length name with "·" and rare CJK signs; the seal renders', async () => {
    const coverage = sealFontCoverage();
    const rare: string[] = [];
    for (let cp = 0x20000; rare.length < 3 && cp < 0x2a6df; cp++) if (coverage.has(cp)) rare.push(String.fromCodePoint(cp));
    const name = `${rare.join('')}阿卜杜热依木·${'买'.repeat(PERSON_NAME_MAX_LENGTH - 11)}提`;
    expect([...name]).toHaveLength(PERSON_NAME_MAX_LENGTH);
    expect(personNameProblem(name)).toBeNull();

    const initiator = await createUser(platform.services, '王小明');
    const signer = await createUser(platform.services, name);
    const [a, s] = [new ApiClient(platform.baseUrl), new ApiClient(platform.baseUrl)];
    await a.login(initiator.mobile, TEST_PASSWORD);
    await s.login(signer.mobile, TEST_PASSWORD);
    const started = await a.post('/contracts', contractForm(await makePdf(1), { title: '长姓名签署', expiresAt: new Date(Date.now() + 7 * 86_400_000), signers: [{ mobile: signer.mobile, name: signer.name, page: 1, x: 100, y: 600 }] }));
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    expect((await s.post(`/contracts/${started.json.id}/sms-code`)).status).toBe(200);
    const signed = await s.post(`/contracts/${started.json.id}/sign`, { code: await latestSmsCode(platform.services, signer.mobile) });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);

    const pdf = (await s.get(`/contracts/${started.json.id}/document`)).bytes;
    const form = new FormData();
    form.append('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'signed.pdf');
    const report = await s.post('/verifications', form);
    expect(report.json).toMatchObject({ status: 'valid', signatureCount: 1 });
    expect(report.json.signatures[0].signerName).toBe(name);
  });
});
