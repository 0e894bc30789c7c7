// @sqlite-too: the CC rows without a user (nullable user_id, unique (contract_id, mobile)), the notice's conditional update and the claim's are SQL on each dialect.
/**
 * 抄送 numbers without an account (contract-cc.entity.ts): a start answers the same whether a CC number is registered or
 * not; an unregistered number gets one SMS notice once the contract is 签署中 (not again when the start or the
 * activation is retried); its row grants nothing to anyone until the number's owner registers and passes 实名认证,
 * which binds it to them (their audit row `contract.cc_claimed`, nothing in the trail) and files the contract in their
 * 抄送我的. An account that has not passed 实名认证 is treated as no account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { activateContract } from '../../domain/contracts/finish-contract';
import { sendCcNotices } from '../../domain/contracts/invitations';
import { ContractListEntrySchema } from '../../domain/contracts/lists/contract-list-entry.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { createUser as newUser } from '../../domain/identity/create-user';
import { maskMobile } from '../../domain/identity/masking';
import { reviewRealName, submitRealName } from '../../domain/identity/real-name';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createIdentityVerifier } from '../../integrations/identity';
import { createSmsSender } from '../../integrations/sms';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { uniqueIdNumber } from '../harness/registration';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: User, bob: User, carol: User, stranger: User;
const unregistered = uniqueMobile();
const REAL_NAME = '郑抄送';
const em = () => platform.services.orm.em.fork();

async function login(mobile: string) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(mobile, TEST_PASSWORD);
  return c;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol, stranger] = (await Promise.all(['抄送发起人', '抄送签署人', '已注册抄送人', '抄送路人'].map((n) => createUser(platform.services, n)))) as [User, User, User, User];
});
afterAll(async () => platform?.stop());

const start = async (api: ApiClient, title: string, cc: string[], key: string) =>
  api.request('POST', '/contracts', contractForm(await makePdf(1), { title, signers: [{ mobile: bob.mobile, name: bob.name, page: 1, x: 100, y: 100 }], spec: { cc: cc.map((mobile) => ({ mobile })) } }), { 'Idempotency-Key': key });

/** What the initiator can tell about the CC entries: their shape (keys, types) and names. */
const ccShape = (cc: Record<string, unknown>[]) => cc.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v])));
const ccNotices = async (mobile: string) => em().find(SmsOutboxMessageSchema, { mobile, purpose: 'contract_cc_notice' });

describe('抄送 an unregistered number', () => {
  let both: string, onlyRegistered: string, onlyUnregistered: string;
  const keys = { both: `cc-both-${Date.now()}`, reg: `cc-reg-${Date.now()}`, unreg: `cc-unreg-${Date.now()}` };

  it('answers 201 whether a CC number is registered or not, with entries that do not tell which one is', async () => {
    const api = await login(alice.mobile);
    const r = await start(api, '抄送混合', [carol.mobile, unregistered], keys.both);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    both = r.json.id;
    expect(r.json.cc.map((c: { name: string }) => c.name).sort()).toEqual([maskMobile(carol.mobile), maskMobile(unregistered)].sort()); // rows of one start: same time, by id
    expect(ccShape(r.json.cc)).toEqual([{ id: 'string', name: 'string' }, { id: 'string', name: 'string' }]);

    const reg = await start(api, '抄送单一', [carol.mobile], keys.reg);
    const unreg = await start(api, '抄送单一', [unregistered], keys.unreg);
    expect([reg.status, unreg.status]).toEqual([201, 201]);
    [onlyRegistered, onlyUnregistered] = [reg.json.id, unreg.json.id];
    expect(ccShape(reg.json.cc)).toEqual(ccShape(unreg.json.cc));
    // The two answers differ only in ids, times, the masked number and what derives from it.
    const strip = (v: Record<string, unknown>) => JSON.stringify(v, (k, x) => (['id', 'participants', 'createdAt', 'expiresAt'].includes(k) ? undefined : k === 'name' && typeof x === 'string' && x.includes('****') ? 'MASKED' : x));
    expect(strip(reg.json)).toBe(strip(unreg.json));

    // Nor do the trail and the contract's audit list the initiator reads.
    for (const id of [onlyRegistered, onlyUnregistered]) {
      const trail = (await api.get(`/contracts/${id}/trail`)).json as { items: { type: string }[] };
      expect(trail.items.map((e) => e.type)).toEqual(['created', 'step_started']);
    }
    const created = async (id: string) => ((await api.get(`/contracts/${id}/audit`)).json as { action: string; detail: { cc: Record<string, unknown>[] } }[]).find((e) => e.action === 'contract.created')!.detail.cc;
    expect(ccShape(await created(onlyRegistered))).toEqual(ccShape(await created(onlyUnregistered)));
    expect(JSON.stringify(await created(both))).not.toContain(carol.id);

    const rows = await em().find(ContractCcSchema, { contractId: both }, { orderBy: { createdAt: 'asc', mobile: 'asc' } });
    expect(rows.map((c) => [c.mobile, c.userId]).sort()).toEqual([[carol.mobile, carol.id], [unregistered, null]].sort());
  });

  it('sends the unregistered number one notice per contract, not again when the start or the activation is retried; none to a registered number', async () => {
    expect(await ccNotices(carol.mobile)).toHaveLength(0);
    const notices = await ccNotices(unregistered);
    expect(notices).toHaveLength(2); // the two contracts that copy it
    expect(notices.map((n) => n.content).sort()).toEqual(
      ['抄送单一', '抄送混合'].map((title) => `【SealFlow】${alice.name}将合同《${title}》抄送给您。请访问 ${platform.config.publicUrl.replace(/\/+$/, '')}/register 用本手机号注册并完成实名认证后查看。`).sort(),
    );

    const api = await login(alice.mobile);
    const again = await start(api, '抄送混合', [carol.mobile, unregistered], keys.both);
    expect([again.status, again.json.id]).toEqual([201, both]);
    expect(await activateContract(em(), both)).toBe('already_active');
    const deps = { em: em(), sms: (e: ReturnType<typeof em>) => createSmsSender(platform.config, e), publicUrl: platform.config.publicUrl };
    expect(await Promise.all([sendCcNotices(deps, both), sendCcNotices(deps, both)])).toEqual([0, 0]);
    expect(await ccNotices(unregistered)).toHaveLength(2);
    expect((await em().findOneOrFail(ContractCcSchema, { contractId: both, mobile: unregistered })).invited).toBe(true);
  });

  it('before its owner passes 实名认证, the row without a user grants nothing to anyone', async () => {
    // The number registered but not verified yet, and a stranger: 404 like a missing contract, nothing in 抄送我的.
    const x = em();
    await newUser(x, { name: REAL_NAME, mobile: unregistered, password: TEST_PASSWORD, platformRole: null, realNameStatus: 'unverified' });
    await x.flush();
    for (const mobile of [unregistered, stranger.mobile]) {
      const api = await login(mobile);
      for (const id of [both, onlyUnregistered]) {
        expect((await api.get(`/contracts/${id}`)).status).toBe(404);
        expect((await api.get(`/contracts/${id}/document`)).status).toBe(404);
      }
      expect((await api.get('/contracts?box=cc')).json.items).toEqual([]);
    }
    // The list read model files the contract under the registered CC only (no row for a missing user).
    const cc = await em().find(ContractListEntrySchema, { contractId: { $in: [both, onlyUnregistered] }, box: 'cc' });
    expect(cc.map((e) => [e.contractId, e.partyId])).toEqual([[both, carol.id]]);
    // The registered CC reads it as before.
    const asCarol = await (await login(carol.mobile)).get(`/contracts/${both}`);
    expect([asCarol.status, asCarol.json.me.isCc]).toEqual([200, true]);
  });

  it('once its owner passes 实名认证, the rows are theirs: they open the contracts and find them in 抄送我的', async () => {
    const y = em();
    const user = await y.findOneOrFail(UserSchema, { mobile: unregistered });
    const application = await submitRealName(y, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name: REAL_NAME, idNumber: uniqueIdNumber() }, { id: user.id, name: user.name, ip: null });
    await reviewRealName(em(), application.id, { approve: true }, SYSTEM_ACTOR);

    const rows = await em().find(ContractCcSchema, { mobile: unregistered });
    expect(rows.map((r) => r.userId)).toEqual([user.id, user.id]);
    const api = await login(unregistered);
    for (const id of [both, onlyUnregistered]) {
      const view = await api.get(`/contracts/${id}`);
      expect(view.status).toBe(200);
      expect(view.json.me).toMatchObject({ isCc: true, canSign: false, actFor: null });
      expect(view.json.cc).toContainEqual({ id: expect.any(String), name: maskMobile(unregistered) });
    }
    const listed = (await api.get('/contracts?box=cc')).json.items.map((i: { id: string }) => i.id);
    expect(listed.sort()).toEqual([both, onlyUnregistered].sort());

    // The claim is the user's audit row, not in the trail (which would tell the other parties this number had no
    // verified account at the start), once per row.
    expect(await em().count(ContractEventSchema, { contractId: { $in: [both, onlyUnregistered] }, type: 'cc_claimed' })).toBe(0);
    const ccRow = rows.find((r) => r.contractId === both)!;
    const claimed = await em().find(AuditEventSchema, { action: 'contract.cc_claimed', targetType: 'user', targetId: user.id });
    expect(claimed.map((a) => JSON.parse(a.detail!)).sort((a, b) => a.contractId.localeCompare(b.contractId))).toEqual(
      rows.map((r) => ({ contractId: r.contractId, ccId: r.id })).sort((a, b) => a.contractId.localeCompare(b.contractId)),
    );
    const events = await em().find(ContractEventSchema, { contractId: { $in: [both, onlyUnregistered] } });
    const audit = await em().find(AuditEventSchema, { targetType: 'contract', targetId: { $in: [both, onlyUnregistered] } });
    expect(JSON.stringify([events, audit])).not.toContain(REAL_NAME);
    expect((await em().findOneOrFail(ContractCcSchema, { id: ccRow.id })).name).toBe(maskMobile(unregistered));

    // Claimed once: a second approval path (a retry) binds nothing again.
    const { claimContractInvitations } = await import('../../domain/contracts/invitations');
    expect(await claimContractInvitations(em(), user)).toEqual([]);
    expect(await em().count(AuditEventSchema, { action: 'contract.cc_claimed', targetId: user.id })).toBe(2);
  });
});

describe('抄送 a number whose account has not passed 实名认证', () => {
  it('is not bound at the start (the account, maybe an old one on a recycled number, sees nothing), gets the notice, and is bound once verified', async () => {
    const mobile = uniqueMobile();
    const x = em();
    const owner = await newUser(x, { name: '未认证抄送人', mobile, password: TEST_PASSWORD, platformRole: null, realNameStatus: 'unverified' });
    await x.flush();
    const r = await start(await login(alice.mobile), '抄送未认证账号', [mobile], `cc-unverified-${mobile}`);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(await em().findOneOrFail(ContractCcSchema, { contractId: r.json.id, mobile })).toMatchObject({ userId: null, invited: true });
    expect(await ccNotices(mobile)).toHaveLength(1);
    const api = await login(mobile);
    expect((await api.get(`/contracts/${r.json.id}`)).status).toBe(404);
    expect((await api.get('/contracts?box=cc')).json.items).toEqual([]);

    const application = await submitRealName(em(), createIdentityVerifier(platform.config), platform.config.masterKey, owner, { name: '未认证抄送人', idNumber: uniqueIdNumber() }, { id: owner.id, name: owner.name, ip: null });
    await reviewRealName(em(), application.id, { approve: true }, SYSTEM_ACTOR);
    expect((await em().findOneOrFail(ContractCcSchema, { contractId: r.json.id, mobile })).userId).toBe(owner.id);
    expect((await api.get(`/contracts/${r.json.id}`)).status).toBe(200);
    expect((await api.get('/contracts?box=cc')).json.items.map((i: { id: string }) => i.id)).toEqual([r.json.id]);
  });
});
