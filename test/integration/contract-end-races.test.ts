// @sqlite-too: the checks are a conditional UPDATE and a locking read of the contract row, each in its dialect.
/**
 * What a contract's end does to requests that were checked before it and commit after it (real database, the
 * domain use cases the workflow's activities call, the race forced deterministically):
 * - a 拒签 / 撤销 checked before expiry and committed after it voids nothing: expiry wins (已过期 is the workflow's);
 * - a 催办 checked while 签署中, whose transaction starts after a 撤销 committed, sends no SMS and is refused;
 * - a step's 待签署 notice waiting in the workflow's outbox sends nothing once the contract was voided.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyContractEvent } from '../../domain/contracts/contract-notifications';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { revokeContract } from '../../domain/contracts/revoke-contract';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { urgeContract } from '../../domain/contracts/urge-contract';
import { voidByRequest } from '../../domain/contracts/void-by-request';
import type { User } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { forkRacedBeforeWrite, outcomeOf as outcome } from '../harness/race-hooks';
import { startContractDeps } from '../harness/start-contract-deps';

let platform: TestPlatform;
let alice: User, bob: User, carol: User;
const em = () => platform.services.orm.em.fork();
const sms = (e: Parameters<typeof createSmsSender>[1]) => createSmsSender(platform.config, e);

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol] = (await Promise.all(['终局发起人', '终局乙方', '终局丙方'].map((n) => createUser(platform.services, n)))) as [User, User, User];
});
afterAll(async () => platform?.stop());

/** A two-step contract (bob, then carol), 签署中; its workflow is terminated: these tests drive the use cases themselves. */
async function newContract(title: string) {
  const spec = startContractSpecSchema.parse({
    title,
    participants: [
      { kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] },
      { kind: 'person', step: 2, mobile: carol.mobile, name: carol.name, marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
    ],
  });
  const contract = await startContract(startContractDeps(platform.services, platform.config, platform.temporal, { minTtlMs: 0 }), { id: alice.id, name: alice.name, ip: null }, spec, await makePdf(1));
  await platform.temporal.workflow.getHandle(contractWorkflowId(contract.id)).terminate('test drives the use cases');
  return contract;
}
const smsTo = (mobile: string, purpose: string, since: Date) => em().count(SmsOutboxMessageSchema, { mobile, purpose, createdAt: { $gte: since } });

describe('a contract’s end against requests checked before it', () => {
  it('a 拒签 committed after the expiry voids nothing: refused as 已过期, the contract stays for the workflow to end', async () => {
    const contract = await newContract('到期边界拒签');
    const bobRow = await em().findOneOrFail(ContractSignerSchema, { contractId: contract.id, userId: bob.id });
    await em().nativeUpdate(ContractSchema, { id: contract.id }, { expiresAt: new Date(Date.now() - 1000) });
    const refusal = voidByRequest(em(), {
      contractId: contract.id,
      reason: 'refused',
      note: '不同意',
      actor: { id: bob.id, name: bob.name, ip: null },
      event: { contractId: contract.id, type: 'refused', payload: { participantId: bobRow.id, name: bobRow.name, reason: '不同意' } },
      authority: async () => undefined, // a person participant: nothing to re-check
    });
    expect(await outcome(refusal)).toBe('rejected CONTRACT_EXPIRED');
    expect(await em().findOneOrFail(ContractSchema, { id: contract.id })).toMatchObject({ status: 'in_progress', voidReason: null });
  });

  it('a 催办 whose transaction starts after a 撤销 committed sends nothing and is refused', async () => {
    const contract = await newContract('撤销后催办');
    const since = new Date(Date.now() - 1000);
    const before = await smsTo(bob.mobile, 'contract_urge', since);
    const revoke = () => revokeContract(em(), { contractId: contract.id, actorUserId: alice.id, reason: '不再需要' });
    const raced = forkRacedBeforeWrite(em(), revoke);
    expect(await outcome(urgeContract({ em: raced, sms }, { contractId: contract.id, actorUserId: alice.id }))).toBe('rejected CONTRACT_NOT_IN_PROGRESS');
    expect(await em().findOneOrFail(ContractSchema, { id: contract.id })).toMatchObject({ status: 'voided', voidReason: 'revoked' });
    expect(await smsTo(bob.mobile, 'contract_urge', since)).toBe(before);
    expect((await em().findOneOrFail(ContractSignerSchema, { contractId: contract.id, userId: bob.id })).urgeCount).toBe(0);
  });

  it('a step’s 待签署 notice sent after the contract was voided sends nothing', async () => {
    const contract = await newContract('撤销后待签署');
    const since = new Date(Date.now() - 1000);
    // Step 1 done and step 2 started (its notice not sent yet: a gateway that failed, or the workflow's outbox), then the 撤销.
    await em().nativeUpdate(ContractSignerSchema, { contractId: contract.id, userId: bob.id }, { status: 'signed', signedAt: new Date() });
    await em().nativeUpdate(ContractSignerSchema, { contractId: contract.id, userId: carol.id }, { status: 'pending' });
    await em().nativeUpdate(ContractSchema, { id: contract.id }, { currentStep: 2 });
    await revokeContract(em(), { contractId: contract.id, actorUserId: alice.id, reason: '不再需要' });
    expect(await notifyContractEvent({ em: em(), sms }, { contractId: contract.id, event: 'step_started', step: 2 })).toEqual({ notified: 0 });
    expect(await smsTo(carol.mobile, 'contract_to_sign', since)).toBe(0);
  });
});
