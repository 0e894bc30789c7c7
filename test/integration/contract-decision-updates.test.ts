/**
 * 拒签 and 撤销 are workflow Updates, and the run keeps each Update's outcome for its id. A refusal the
 * activity decided for one request (here: the actor's authority had lapsed at that moment) must not
 * become the answer to every later request for that participant or actor (a retry that carries the
 * same Idempotency-Key attaches to the first Update: bounded-updates.test.ts). Real API, database, Temporal and worker;
 * the activities fail once per contract as a lapsed authority makes them (then run for real).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permanentFailure } from '../../activities/activity-errors';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUser, startTwoStepContract, type SignedInUser } from '../harness/two-step-contract';

let platform: TestPlatform;
let alice: SignedInUser;
let bob: SignedInUser;
let carol: SignedInUser;
/** Contracts whose next refuse / revoke activity fails as a lapsed authority would. */
const failNext = { refuse: new Set<string>(), revoke: new Set<string>() };
const lapsed = () => permanentFailure({ code: 'SEAL_AUTHORIZATION_LAPSED', message: '用印授权已失效', messageEn: 'The seal authorisation has lapsed' });

beforeAll(async () => {
  platform = await startTestPlatform({}, {
    overrideActivities: (real) => ({
      async refuseContract(input: Parameters<typeof real.refuseContract>[0]) {
        if (failNext.refuse.delete(input.contractId)) throw lapsed();
        return real.refuseContract(input);
      },
      async revokeContract(input: Parameters<typeof real.revokeContract>[0]) {
        if (failNext.revoke.delete(input.contractId)) throw lapsed();
        return real.revokeContract(input);
      },
    }),
  });
  [alice, bob, carol] = [await signedInUser(platform, '周发起'), await signedInUser(platform, '吴拒签'), await signedInUser(platform, '郑签署')];
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const as = (u: SignedInUser) => u.api;
const answer = (r: { status: number; json: { error?: { code: string } } }) => `${r.status} ${r.json?.error?.code ?? 'OK'}`;

const startContract = (title: string) => startTwoStepContract(platform, { initiator: alice, first: bob, second: carol }, title);
const events = async (contractId: string, type: string) => em().count(ContractEventSchema, { contractId, type });

describe('deciding Updates (拒签, 撤销) answer each request, not a kept outcome of another', () => {
  it('a refusal refused once (authority lapsed then) goes through when asked again', async () => {
    const id = await startContract('拒签重试合同');
    failNext.refuse.add(id);
    expect(answer(await as(bob).post(`/contracts/${id}/refuse`, { reason: '金额不对' }))).toBe('422 SEAL_AUTHORIZATION_LAPSED');
    const again = await as(bob).post(`/contracts/${id}/refuse`, { reason: '金额不对' });
    expect(answer(again)).toBe('200 OK');
    expect(again.json).toMatchObject({ status: 'voided', voidReason: 'refused' });
    expect(await events(id, 'refused')).toBe(1);
    // Once more after it committed (its answer lost): the contract, not a refusal of a 拒签 that succeeded; another
    // party still gets the contract's state as a refusal.
    const repeated = await as(bob).post(`/contracts/${id}/refuse`, { reason: '金额不对' });
    expect(answer(repeated)).toBe('200 OK');
    expect(repeated.json).toMatchObject({ status: 'voided', voidReason: 'refused' });
    expect(await events(id, 'refused')).toBe(1);
    expect(answer(await as(carol).post(`/contracts/${id}/refuse`, { reason: '我也拒签' }))).not.toBe('200 OK');
  });

  it('a revocation refused once goes through when asked again', async () => {
    const id = await startContract('撤销重试合同');
    failNext.revoke.add(id);
    expect(answer(await as(alice).post(`/contracts/${id}/revoke`, { reason: '条款需修改' }))).toBe('422 SEAL_AUTHORIZATION_LAPSED');
    const again = await as(alice).post(`/contracts/${id}/revoke`, { reason: '条款需修改' });
    expect(answer(again)).toBe('200 OK');
    expect(again.json).toMatchObject({ status: 'voided', voidReason: 'revoked' });
    // Once more after it committed (same reason): the contract again, nothing recorded twice. (Another reason is a new
    // request, refused as before: contract-actions.api.test.ts.)
    const repeated = await as(alice).post(`/contracts/${id}/revoke`, { reason: '条款需修改' });
    expect(answer(repeated)).toBe('200 OK');
    expect(repeated.json).toMatchObject({ status: 'voided', voidReason: 'revoked' });
    expect(await events(id, 'revoked')).toBe(1);
  });

  it('an Idempotency-Key that is not 1–100 visible ASCII characters is a 400, and nothing is refused', async () => {
    const id = await startContract('拒签坏键合同');
    expect(answer(await as(bob).request('POST', `/contracts/${id}/refuse`, { reason: '不同意' }, { 'Idempotency-Key': 'bad key' }))).toBe('400 BAD_IDEMPOTENCY_KEY');
    expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('in_progress');
  });
});
