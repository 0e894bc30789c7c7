/**
 * ContractSigningWorkflow against the real Temporal dev server with real activities:
 * Update validation (order, wrong signer), idempotent Updates, expiry, search attributes.
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
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import { progressQuery, signUpdate } from '../../workflows/contract-signing';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { ApiClient } from '../harness/http-client';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string };
let bob: { id: string; mobile: string };
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
    {
      em: services.orm.em.fork(),
      store: services.store,
      limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
      minTtlMs: 0,
      startWorkflow: (c, s) => startContractWorkflow(temporal, config.temporal.taskQueue, c, s),
    },
    { id: alice.id, name: '周一', ip: '127.0.0.1' },
    {
      title: '流程测试',
      expiresAt: new Date(Date.now() + expiresInMs),
      signers: [
        { mobile: alice.mobile, page: 1, x: 100, y: 600 },
        { mobile: bob.mobile, page: 1, x: 300, y: 600 },
      ],
    },
    await makePdf(1),
  );
  const signers = await services.orm.em.fork().find(ContractSignerSchema, { contractId: contract.id }, { orderBy: { order: 'asc' } });
  return { id: contract.id, handle: temporal.workflow.getHandle(contractWorkflowId(contract.id)), signers };
}

/** What the API does after the SMS code checks out. */
async function confirm(contractId: string, signerId: string, userId: string) {
  const em = platform.services.orm.em.fork();
  const c = em.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId, signerId, userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '127.0.0.1' });
  await em.flush();
  return c.id;
}

async function updateError(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as { type?: string };
}

describe('ContractSigningWorkflow', () => {
  it('enforces the signing order and rejects non-signers in the Update validator', async () => {
    const { id, handle, signers } = await startContract(60_000);
    const bobConfirmation = await confirm(id, signers[1]!.id, bob.id);
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ userId: bob.id, confirmationId: bobConfirmation }] }))).type).toBe('NOT_YOUR_TURN');
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ userId: randomUUID(), confirmationId: bobConfirmation }] }))).type).toBe('NOT_A_SIGNER');
    // A confirmation that belongs to someone else is refused by the activity, not applied.
    expect((await updateError(handle.executeUpdate(signUpdate, { args: [{ userId: alice.id, confirmationId: bobConfirmation }] }))).type).toBe('WILLINGNESS_NOT_CONFIRMED');
    const progress = await handle.query(progressQuery);
    expect(progress.signers.every((s) => !s.signed)).toBe(true);
    await handle.terminate('test done');
  });

  it('applies a repeated sign Update with the same update id only once, then completes', async () => {
    const { id, handle, signers } = await startContract(60_000);
    const c1 = await confirm(id, signers[0]!.id, alice.id);
    const first = await handle.executeUpdate(signUpdate, { args: [{ userId: alice.id, confirmationId: c1 }], updateId: `sign:${c1}` });
    const again = await handle.executeUpdate(signUpdate, { args: [{ userId: alice.id, confirmationId: c1 }], updateId: `sign:${c1}` });
    expect(again).toEqual(first);
    const em = platform.services.orm.em.fork();
    expect(await em.count(DocumentVersionSchema, { contractId: id })).toBe(2); // upload + one signature
    expect(await em.count(AuditEventSchema, { targetId: id, action: 'contract.signed' })).toBe(1);

    const c2 = await confirm(id, signers[1]!.id, bob.id);
    const last = await handle.executeUpdate(signUpdate, { args: [{ userId: bob.id, confirmationId: c2 }], updateId: `sign:${c2}` });
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
    await expect(handle.executeUpdate(signUpdate, { args: [{ userId: alice.id, confirmationId: c }] })).rejects.toThrow();
    // Over HTTP the user gets a clear refusal: 已过期, for the code request and the signature.
    const r = await api.post(`/contracts/${id}/sms-code`);
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('CONTRACT_EXPIRED');
    expect(r.json.error.message).toContain('已过期');
    const s = await api.post(`/contracts/${id}/sign`, { code: '123456' });
    expect(s.status).toBe(422);
    expect(s.json.error).toMatchObject({ code: 'CONTRACT_EXPIRED', messageEn: 'The contract has expired' });
    const list = await api.get(`/contracts?filter=${encodeURIComponent('{"box":"voided"}')}`);
    expect(list.json.find((x: { id: string }) => x.id === id)?.statusLabel).toBe('已作废（过期）');
  });
});
