// @sqlite-too: the start, the invitation claim and the signer's name check are plain SQL on both dialects.
/**
 * A contract's start tells the initiator nothing about the numbers they enter: a person participant is
 * shown under the name the initiator gave (never the account's verified name), CC recipients under
 * their masked number. A participant is bound to the number's owner only once they are verified under
 * that name (at the start or at the invitation's claim, which keeps the given name in the row and the
 * trail); a name changed since is NAME_MISMATCH at sign and refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { createUser as newUser } from '../../domain/identity/create-user';
import { maskMobile } from '../../domain/identity/masking';
import { reviewRealName, submitRealName } from '../../domain/identity/real-name';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createIdentityVerifier } from '../../integrations/identity';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { uniqueIdNumber } from '../harness/registration';

let platform: TestPlatform;
let initiator: User, signer: User, ccUser: User;
const em = () => platform.services.orm.em.fork();

async function login(u: { mobile: string }) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  return c;
}

const person = (mobile: string, name: string) => ({ kind: 'person', step: 1, mobile, name, canRefuse: true, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] });

async function start(participants: unknown[], cc: { mobile: string }[] = []) {
  const r = await (await login(initiator)).post('/contracts', contractForm(await makePdf(1), { title: '姓名核验', spec: { participants, cc } }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; participants: { id: string; name: string }[]; cc: { name: string }[] };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [initiator, signer, ccUser] = (await Promise.all(['发起人', '王小明', '抄送人'].map((n) => createUser(platform.services, n)))) as [User, User, User];
});
afterAll(async () => platform?.stop());

describe('participant names at contract start', () => {
  it('shows the name the initiator gave and the CC masked, never the accounts’ names', async () => {
    const c = await start([person(signer.mobile, '化名甲')], [{ mobile: ccUser.mobile }]);
    expect(c.participants[0]!.name).toBe('化名甲');
    expect(c.cc.map((r) => r.name)).toEqual([maskMobile(ccUser.mobile)]);
    const asInitiator = await (await login(initiator)).get(`/contracts/${c.id}`);
    expect(JSON.stringify(asInitiator.json)).not.toContain(signer.name);
    expect(JSON.stringify(asInitiator.json)).not.toContain(ccUser.name);
    const trail = await (await login(initiator)).get(`/contracts/${c.id}/trail`);
    expect(trail.status).toBe(200);
    expect(JSON.stringify(trail.json)).not.toContain(signer.name);
    expect(JSON.stringify(trail.json)).not.toContain(ccUser.name);
  });

  it('a participant and a CC who open and download the contract are recorded under the names the contract gives them', async () => {
    // Named with a space the verified name does not have: bound (samePersonName), recorded as the initiator wrote it.
    const c = await start([person(signer.mobile, '王 小明')], [{ mobile: ccUser.mobile }]);
    for (const u of [signer, ccUser]) {
      const api = await login(u);
      expect((await api.get(`/contracts/${c.id}`)).status).toBe(200);
      expect((await api.get(`/contracts/${c.id}/document?download=1`)).status).toBe(200);
    }
    const events = await em().find(ContractEventSchema, { contractId: c.id, type: { $in: ['viewed', 'downloaded'] } });
    expect(events.map((e) => e.actorName).sort()).toEqual(['王 小明', '王 小明', maskMobile(ccUser.mobile), maskMobile(ccUser.mobile)].sort());
    const asInitiator = await login(initiator);
    for (const path of [`/contracts/${c.id}/trail`, `/contracts/${c.id}/audit`]) {
      const r = await asInitiator.get(path);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.json)).not.toContain(signer.name);
      expect(JSON.stringify(r.json)).not.toContain(ccUser.name);
    }
  });

  it('refuses a person without a name in the same words whether the number is registered or not', async () => {
    const api = await login(initiator);
    const answers = await Promise.all(
      [signer.mobile, uniqueMobile()].map(async (mobile) => {
        const r = await api.post('/contracts', contractForm(await makePdf(1), { title: '无姓名', spec: { participants: [{ kind: 'person', step: 1, mobile, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }] } }));
        return [r.status, r.json.error.code, r.json.error.message];
      }),
    );
    expect(answers[0]).toEqual([400, 'VALIDATION_FAILED', '请填写签署人姓名']);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('binds the number’s owner only under their verified name (spaces and case aside): another name leaves the participant invited, and a name changed since is NAME_MISMATCH', async () => {
    const invitations = () => em().count(SmsOutboxMessageSchema, { mobile: signer.mobile, purpose: 'contract_invitation' });
    const invitedBefore = await invitations();
    const wrong = await start([person(signer.mobile, '王小红')]);
    const asSigner = await login(signer);
    // Not the named person: the contract is not theirs (invited by SMS like a number without an account).
    for (const path of [`/contracts/${wrong.id}`, `/contracts/${wrong.id}/sign-options`]) expect((await asSigner.get(path)).status).toBe(404);
    expect(await em().findOneOrFail(ContractSignerSchema, { id: wrong.participants[0]!.id })).toMatchObject({ userId: null, invited: true, status: 'pending' });
    expect(await invitations()).toBe(invitedBefore + 1);
    expect((await (await login(initiator)).get(`/contracts/${wrong.id}`)).json.participants[0]).toMatchObject({ name: '王小红', invited: true });

    const right = await start([person(signer.mobile, ' 王 小明 ')]);
    expect(right.participants[0]!.name).toBe('王 小明');
    expect(await em().findOneOrFail(ContractSignerSchema, { id: right.participants[0]!.id })).toMatchObject({ userId: signer.id, invited: false });
    const allowed = await asSigner.get(`/contracts/${right.id}/sign-options`);
    expect(allowed.status, JSON.stringify(allowed.json)).toBe(200);

    // The account's verified name changed after the binding: the named person is no longer who holds it.
    await em().nativeUpdate(UserSchema, { id: signer.id }, { name: '王小刚' });
    try {
      const options = await asSigner.get(`/contracts/${right.id}/sign-options`);
      expect([options.status, options.json.error.code]).toEqual([403, 'NAME_MISMATCH']);
      expect(options.json.error.message).toContain('王 小明');
      const refusal = await asSigner.post(`/contracts/${right.id}/refuse`, { participantId: right.participants[0]!.id, reason: '不是我' });
      expect([refusal.status, refusal.json.error.code]).toEqual([403, 'NAME_MISMATCH']);
    } finally {
      await em().nativeUpdate(UserSchema, { id: signer.id }, { name: signer.name });
    }
    const refused = await asSigner.post(`/contracts/${right.id}/refuse`, { participantId: right.participants[0]!.id, reason: '条款有误' });
    expect(refused.status, JSON.stringify(refused.json)).toBe(200);
  });

  it('an invitation is claimed at 实名认证 only under the name it was given, which the row and the trail keep; another person’s stays unbound', async () => {
    const mobile = uniqueMobile();
    const other = await start([person(mobile, '赵六')]);
    const mine = await start([person(mobile, '孙 七')]);
    const x = em();
    const invitee = await newUser(x, { name: '注册昵称', mobile, password: TEST_PASSWORD, platformRole: null, realNameStatus: 'unverified' });
    await x.flush();
    const y = em();
    const user = await y.findOneOrFail(UserSchema, { id: invitee.id });
    const application = await submitRealName(y, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name: '孙七', idNumber: uniqueIdNumber() }, { id: user.id, name: user.name, ip: null });
    await reviewRealName(em(), application.id, { approve: true }, SYSTEM_ACTOR);

    expect(await em().findOneOrFail(ContractSignerSchema, { contractId: mine.id, mobile })).toMatchObject({ userId: invitee.id, name: '孙 七' });
    const claimed = await em().findOneOrFail(ContractEventSchema, { contractId: mine.id, type: 'invitation_claimed' });
    expect(claimed.actorName).toBe('孙 七');
    expect(claimed.payload).not.toContain('孙七');
    expect(JSON.stringify((await (await login(initiator)).get(`/contracts/${mine.id}/trail`)).json)).not.toContain('孙七');

    expect(await em().findOneOrFail(ContractSignerSchema, { contractId: other.id, mobile })).toMatchObject({ userId: null, name: '赵六' });
    expect(await em().count(ContractEventSchema, { contractId: other.id, type: 'invitation_claimed' })).toBe(0);
    const asInvitee = await login({ mobile });
    expect((await asInvitee.get(`/contracts/${other.id}`)).status).toBe(404);
    expect((await asInvitee.get(`/contracts/${mine.id}/sign-options`)).status).toBe(200);
  });
});
