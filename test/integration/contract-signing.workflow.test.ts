/**
 * ContractLifecycleWorkflow (v2 contracts) against the real Temporal dev server with real activities:
 * Update validation (order, not a participant, someone else's 意愿认证), idempotent Updates, expiry,
 * search attributes. (The v1 ContractSigningWorkflow after the upgrade: contract-upgrade.test.ts.)
 * Contracts start through the domain's startContract (as the API does) so that a test may use an
 * expiry shorter than the 10-minute minimum users get.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { startContract as startContractInDomain } from '../../domain/contracts/start-contract';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { startContractDeps } from '../harness/start-contract-deps';
import { lifecycleProgressQuery as progressQuery, lifecycleSignUpdate as signUpdate } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { ApiClient } from '../harness/http-client';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let bob: { id: string; mobile: string; name: string };
let api: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '周一');
  bob = await createUser(platform.services, '吴二');
  api = new ApiClient(platform.baseUrl);
  await api.login(alice.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

async function startContract(expiresInMs: number) {
  const { services, config, temporal } = platform;
  const contract = await startContractInDomain(
    startContractDeps(services, config, temporal, { minTtlMs: 0 }),
    { id: alice.id, name: '周一', ip: '127.0.0.1' },
    {
      title: '流程测试',
      contractNo: null,
      remarks: null,
      actAs: 'person',
      expiresAt: new Date(Date.now() + expiresInMs),
      participants: [alice, bob].map((u, i) => ({ step: i + 1, kind: 'person' as const, name: u.name, mobile: u.mobile, canRefuse: false, note: null, placement: 'preset' as const, marks: [{ kind: 'name_seal' as const, page: 1, x: 100 + 200 * i, y: 600 }] })),
      cc: [],
    },
    await makePdf(1),
  );
  const signers = await services.orm.em.fork().find(ContractSignerSchema, { contractId: contract.id }, { orderBy: { order: 'asc' } });
  return { id: contract.id, handle: temporal.workflow.getHandle(contractWorkflowId(contract.id)), signers };
}

/** What the API does after the SMS code checks out. */
async function confirm(contractId: string, signerId: string, userId: string) {
  const em = platform.services.orm.em.fork();
  const c = em.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId, signerId, userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '127.0.0.1', codeHash: null });
  await em.flush();
  return c.id;
}

async function updateError(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as { type?: string };
}

describe('ContractLifecycleWorkflow (real activities)', () => {
  it('enforces the signing order and rejects non-participants in the Update validator', async () => {
    const { id, handle, signers } = await startContract(60_000);
    const [aliceP, bobP] = [signers[0]!.id, signers[1]!.id];
    const bobConfirmation = await confirm(id, bobP, bob.id);
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ participantId: bobP, actorUserId: bob.id, confirmationId: bobConfirmation }] }))).type).toBe('NOT_YOUR_TURN');
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ participantId: randomUUID(), actorUserId: bob.id, confirmationId: bobConfirmation }] }))).type).toBe('NOT_A_PARTICIPANT');
    // A confirmation that belongs to someone else is refused by the activity, not applied.
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ participantId: aliceP, actorUserId: alice.id, confirmationId: bobConfirmation }] }))).type).toBe('WILLINGNESS_NOT_CONFIRMED');
    const progress = await handle.query(progressQuery);
    expect(progress.participants.every((p) => p.status !== 'signed')).toBe(true);
    expect(progress.signing).toBeNull();
    await handle.terminate('test done');
  });

  it('applies a repeated sign Update with the same update id only once, then completes', async () => {
    const { id, handle, signers } = await startContract(60_000);
    const c1 = await confirm(id, signers[0]!.id, alice.id);
    const request = { participantId: signers[0]!.id, actorUserId: alice.id, confirmationId: c1 };
    const first = await handle.executeUpdate(signUpdate, { args: [request], updateId: `sign:${c1}` });
    const again = await handle.executeUpdate(signUpdate, { args: [request], updateId: `sign:${c1}` });
    expect(again).toEqual(first);
    const em = platform.services.orm.em.fork();
    expect(await em.count(DocumentVersionSchema, { contractId: id })).toBe(2); // upload + one signature
    expect(await em.count(AuditEventSchema, { targetId: id, action: 'contract.signed' })).toBe(1);

    const c2 = await confirm(id, signers[1]!.id, bob.id);
    const last = await handle.executeUpdate(signUpdate, { args: [{ participantId: signers[1]!.id, actorUserId: bob.id, confirmationId: c2 }], updateId: `sign:${c2}` });
    expect(last.completed).toBe(true);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect((await em.fork().findOneOrFail(ContractSchema, { id })).status).toBe('completed');
    const description = await handle.describe();
    expect(description.searchAttributes.ContractStatus).toEqual(['completed']);
    expect(description.searchAttributes.ContractId).toEqual([id]);
  });

  it('voids an unsigned contract as 已作废 (过期) when the expiry timer fires; signing afterwards says 已过期', async () => {
    const { id, handle, signers } = await startContract(2_000);
    const result = await handle.result();
    expect(result.status).toBe('voided');
    const contract = await platform.services.orm.em.fork().findOneOrFail(ContractSchema, { id });
    expect(contract).toMatchObject({ status: 'voided', voidReason: 'expired' });
    const c = await confirm(id, signers[0]!.id, alice.id);
    // Signing a finished workflow fails (the Update cannot be delivered).
    await expect(handle.executeUpdate(signUpdate, { args: [{ participantId: signers[0]!.id, actorUserId: alice.id, confirmationId: c }] })).rejects.toThrow();
    // Over HTTP the user gets a clear refusal: 已过期, for the code request and the signature.
    const r = await api.post(`/contracts/${id}/sms-code`);
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('CONTRACT_EXPIRED');
    expect(r.json.error.message).toContain('已过期');
    const s = await api.post(`/contracts/${id}/sign`, { code: '123456' });
    expect(s.status).toBe(422);
    expect(s.json.error).toMatchObject({ code: 'CONTRACT_EXPIRED', messageEn: 'The contract has expired' });
    const list = await api.get('/contracts?box=voided');
    expect(list.status, JSON.stringify(list.json)).toBe(200);
    expect(list.json.items.find((x: { id: string }) => x.id === id)).toMatchObject({ voidReason: 'expired', voidReasonLabel: '过期' });
  });
});
