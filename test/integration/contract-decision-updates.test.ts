/**
 * 拒签 and 撤销 are workflow Updates, and the run keeps each Update's outcome for its id. A refusal the
 * activity decided for one request (here: the actor's authority had lapsed at that moment) must not
 * become the answer to every later request for that participant or actor (a retry that carries the
 * same Idempotency-Key attaches to the first Update: bounded-updates.test.ts), except a kept "unavailable": the same
 * key's retry is then carried out anew. Real API, database, Temporal and worker; the activities fail once per contract
 * as a lapsed authority makes them, or while the database is "down" for the contract (then run for real).
 */
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permanentFailure } from '../../activities/activity-errors';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUser, startTwoStepContract, type SignedInUser } from '../harness/two-step-contract';

let platform: TestPlatform;
let alice: SignedInUser;
let bob: SignedInUser;
let carol: SignedInUser;
/** Contracts whose next refuse / revoke activity fails as a lapsed authority would. */
const failNext = { refuse: new Set<string>(), revoke: new Set<string>() };
/** Contracts whose routing the workflow cannot read from the database (every attempt fails as an outage would). */
const statesDown = new Set<string>();
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
      async participantStates(input: Parameters<typeof real.participantStates>[0]) {
        if (statesDown.has(input.contractId)) throw new Error('connect ECONNREFUSED (database unreachable)');
        return real.participantStates(input);
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

  it('a 拒签 answered 503 by the workflow (database unreachable) is carried out when sent again with the same Idempotency-Key, not answered the kept 503 again', async () => {
    const id = await startTwoStepContract(platform, { initiator: alice, first: bob, second: { ...carol, canRefuse: true } }, '拒签暂不可用合同');
    // Step 1 completed behind the workflow's back (as after an operator's Reset): the database has carol's turn, the
    // workflow's view does not, so the workflow reads the routing before it judges her 拒签, and that read fails.
    const signers = await em().find(ContractSignerSchema, { contractId: id }, { orderBy: { order: 'asc' } });
    await em().nativeUpdate(ContractSignerSchema, { id: signers[0]!.id }, { status: 'signed', signedAt: new Date() });
    await em().nativeUpdate(ContractSignerSchema, { id: signers[1]!.id }, { status: 'pending' });
    await em().nativeUpdate(ContractSchema, { id }, { currentStep: 2 });
    statesDown.add(id);
    const key = { 'Idempotency-Key': `refuse-${id}` };
    const down = await as(carol).request('POST', `/contracts/${id}/refuse`, { reason: '条款有误' }, key);
    expect(answer(down)).toBe('503 CONTRACT_UNAVAILABLE');
    expect(down.json.error.message).not.toMatch(/验证码/); // a 拒签 has no code to keep
    statesDown.delete(id);
    const again = await as(carol).request('POST', `/contracts/${id}/refuse`, { reason: '条款有误' }, key);
    expect(answer(again)).toBe('200 OK');
    expect(again.json).toMatchObject({ status: 'voided', voidReason: 'refused' });
    expect(await events(id, 'refused')).toBe(1);
    // Two Updates for the one key: the first (its 503 kept by the run) and the one carried out.
    const history = (await platform.temporal.workflow.getHandle(contractWorkflowId(id)).fetchHistory()).events ?? [];
    const accepted = history.filter((e) => e.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)).toEqual([`refuse:${signers[1]!.id}:${carol.id}:refuse-${id}`, `refuse:${signers[1]!.id}:${carol.id}:refuse-${id}#2`]);
  });

  it('an Idempotency-Key that is not 1–100 visible ASCII characters is a 400, and nothing is refused', async () => {
    const id = await startContract('拒签坏键合同');
    expect(answer(await as(bob).request('POST', `/contracts/${id}/refuse`, { reason: '不同意' }, { 'Idempotency-Key': 'bad key' }))).toBe('400 BAD_IDEMPOTENCY_KEY');
    expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('in_progress');
  });
});
