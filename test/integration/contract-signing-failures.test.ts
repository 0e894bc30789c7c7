/**
 * Signing under failure over HTTP (real database, real Temporal dev server, real activities; only
 * where a test needs a slow signature is `applySignature` wrapped — around the real one):
 * - a document error answers 4xx at once and the contract is not wedged (it still expires);
 * - Temporal unreachable: 503 with Retry-After within seconds, and the same code signs afterwards;
 * - a slow signature: 202 "正在处理", the signer's state is polled, the same request attaches to the same Update;
 * - whose turn it is: the next signer the database already shows as pending is accepted, not refused;
 * - codes go to the signer's current mobile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignForParticipantInput } from '../../activities/contract-lifecycle-activities';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { startContract } from '../../domain/contracts/start-contract';
import { UserSchema } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { startContractWorkflow, type StartContractWorkflowOptions } from '../../workflows/clients/start-contract-workflow';
import { lifecycleProgressQuery } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startApiWithoutTemporal, type ApiWithoutTemporal } from '../harness/unreachable-temporal';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

/** Per participant: hold the real signature before it starts, or after it committed (its result not yet reported), or fail it (infrastructure) a number of times. */
const gates = new Map<string, { before?: Promise<void>; after?: Promise<void>; failTimes?: number }>();
const gate = () => {
  let open: () => void = () => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
};

let platform: TestPlatform;
let withoutTemporal: ApiWithoutTemporal;

beforeAll(async () => {
  platform = await startTestPlatform(
    // The call timeout must exceed the worst acceptance of an Update sent during a running local-activity
    // signature: two workflow task heartbeats, 2 × 2.4 s (domain/contracts/signing-timing.ts).
    { SIGN_WAIT_SECONDS: '3', TEMPORAL_CALL_TIMEOUT_SECONDS: '5' },
    {
      overrideActivities: (real) => ({
        async signForParticipant(input: SignForParticipantInput) {
          const g = gates.get(input.participantId);
          if (g?.failTimes) {
            g.failTimes--;
            throw new Error('connect ECONNREFUSED (database unreachable)');
          }
          await g?.before;
          const result = await real.signForParticipant(input);
          await g?.after;
          return result;
        },
      }),
    },
  );
  withoutTemporal = await startApiWithoutTemporal(platform.services);
});
afterAll(async () => {
  await withoutTemporal?.close();
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();

async function person(name: string) {
  const user = await createUser(platform.services, name);
  const client = new ApiClient(platform.baseUrl);
  await client.login(user.mobile, TEST_PASSWORD);
  return { ...user, client };
}
type Person = Awaited<ReturnType<typeof person>>;

/** A v2 contract over the API: one person per step, in the given order, each with a 人名章. */
async function contractOver(initiator: Person, signers: Person[]) {
  const r = await initiator.client.post(
    '/contracts',
    contractForm(await makePdf(1), { title: '失败场景', expiresAt: new Date(Date.now() + 24 * 3600_000), signers: signers.map((s, i) => ({ mobile: s.mobile, name: s.name, page: 1, x: 60 + i * 120, y: 600 })) }),
  );
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const rows = await em().find(ContractSignerSchema, { contractId: r.json.id }, { orderBy: { order: 'asc' } });
  return { id: r.json.id as string, signerIds: rows.map((s) => s.id) };
}

/** A v2 contract through the domain's startContract (as the API does), so that a test may pick the expiry and the workflow's timing. */
async function startInDomain(initiator: Person, signers: Person[], title: string, expiresInMs: number, workflow: StartContractWorkflowOptions = {}) {
  const { services, config, temporal } = platform;
  const contract = await startContract(
    {
      em: em(),
      store: services.store,
      limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
      sms: (e) => createSmsSender(config, e),
      publicUrl: config.publicUrl,
      minTtlMs: 0,
      startWorkflow: (c, routing) => startContractWorkflow(temporal, config.temporal.taskQueue, c, { ...workflow, routing }),
    },
    { id: initiator.id, name: initiator.name, ip: null },
    {
      title,
      contractNo: null,
      remarks: null,
      actAs: 'person',
      expiresAt: new Date(Date.now() + expiresInMs),
      participants: signers.map((s, i) => ({ step: i + 1, kind: 'person' as const, name: s.name, mobile: s.mobile, canRefuse: false, note: null, placement: 'preset' as const, marks: [{ kind: 'name_seal' as const, page: 1, x: 60 + i * 240, y: 600 }] })),
      cc: [],
    },
    await makePdf(1),
  );
  const rows = await em().find(ContractSignerSchema, { contractId: contract.id }, { orderBy: { order: 'asc' } });
  return { id: contract.id, signerIds: rows.map((s) => s.id) };
}

const participantStatus = async (p: Person, contractId: string, participantId: string) =>
  ((await p.client.get(`/contracts/${contractId}`)).json.participants as { id: string; status: string }[]).find((x) => x.id === participantId)?.status;

async function requestCode(p: Person, contractId: string, client = p.client) {
  const r = await client.post(`/contracts/${contractId}/sms-code`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return latestSmsCode(platform.services, (await em().findOneOrFail(UserSchema, { id: p.id })).mobile);
}

/** Signs and waits for the result whether it came at once (200) or as 202 正在处理 (a slow machine). */
async function signAndWait(p: Person, contractId: string, code: string) {
  const r = await p.client.post(`/contracts/${contractId}/sign`, { code });
  expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
  return eventually(async () => {
    const row = await em().findOne(ContractSignerSchema, { contractId, userId: p.id });
    return row?.status === 'signed' ? (await p.client.get(`/contracts/${contractId}`)).json : null;
  }, 20_000, 'signed');
}

const timed = async <T>(p: Promise<T>) => {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
};

describe('signing under failure', () => {
  it('a document error while signing answers 422 at once, frees the lock, and the contract still expires (it used to hang and stay 签署中)', async () => {
    const alice = await person('欧阳娜娜');
    const zed = await person('临时用户'); // a name from before names were validated, which the seal cannot render:
    await em().nativeUpdate(UserSchema, { id: zed.id }, { name: '周\u200b五' });
    zed.name = '周五'; // as the initiator types it (the zero-width space does not show; samePersonName ignores it)
    const contract = await startInDomain(alice, [alice, zed], '坏姓名', 12_000);
    await signAndWait(alice, contract.id, await requestCode(alice, contract.id));

    const code = await requestCode(zed, contract.id);
    const first = await timed(zed.client.post(`/contracts/${contract.id}/sign`, { code }));
    expect(first.value.status, JSON.stringify(first.value.json)).toBe(422);
    expect(first.value.json.error).toMatchObject({ code: 'INVALID_SEAL_TEXT' });
    expect(first.value.json.error.message).toMatch(/签章/);
    expect(first.ms).toBeLessThan(3_000);
    // The same request again: the same Update's outcome, at once (no second attempt, no hang).
    const again = await timed(zed.client.post(`/contracts/${contract.id}/sign`, { code }));
    expect(again.value.json.error?.code).toBe('INVALID_SEAL_TEXT');
    expect(again.ms).toBeLessThan(3_000);
    const handle = platform.temporal.workflow.getHandle(contractWorkflowId(contract.id));
    expect((await handle.query(lifecycleProgressQuery)).signing).toBeNull();
    // Expiry wins: the contract ends as 已作废（过期）.
    expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'expired' });
    const view = await alice.client.get(`/contracts/${contract.id}`);
    expect(view.json.statusLabel).toBe('已作废（过期）');
  });

  it('Temporal unreachable: the sign request answers 503 with Retry-After within seconds, and the same code signs once Temporal answers', async () => {
    const alice = await person('上官婉儿');
    const { id } = await contractOver(alice, [alice]);
    const code = await requestCode(alice, id);
    const deadClient = new ApiClient(withoutTemporal.baseUrl);
    await deadClient.login(alice.mobile, TEST_PASSWORD);
    const down = await timed(deadClient.post(`/contracts/${id}/sign`, { code }));
    expect(down.value.status, JSON.stringify(down.value.json)).toBe(503);
    expect(down.value.headers.get('retry-after')).toBe('5');
    expect(down.value.json.error.code).toBe('TEMPORAL_UNAVAILABLE');
    // The call bound of the app without Temporal (1 s) plus the work before the call (code check, the
    // signature's preparation in the document threads; 2.4–3.6 s in loaded CI runs). Not gRPC's own
    // retries, which go on far longer.
    expect(down.ms).toBeLessThan(8_000);
    // The code was not burned: the same code, once Temporal is reachable, signs.
    expect((await signAndWait(alice, id, code)).status).toBe('completed');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.sms_code_failed' })).toBe(0);
  });

  it('a signature that failed for infrastructure reasons answers 503 SIGNING_UNAVAILABLE, and the same code then gets a fresh attempt (not the remembered failure)', async () => {
    const alice = await person('黄药师');
    const contract = await startInDomain(alice, [alice], '基础设施故障', 3600_000, { timing: { maxSignAttempts: 2, retryInitialMs: 100, retryMaxMs: 200 } });
    gates.set(contract.signerIds[0]!, { failTimes: 2 }); // both attempts of the bounded retry fail
    const code = await requestCode(alice, contract.id);
    const failed = await alice.client.post(`/contracts/${contract.id}/sign`, { code });
    expect(failed.status, JSON.stringify(failed.json)).toBe(503);
    expect(failed.json.error.code).toBe('SIGNING_UNAVAILABLE');
    expect(failed.headers.get('retry-after')).toBe('5');
    expect((await signAndWait(alice, contract.id, code)).status).toBe('completed');
    expect(await em().count(AuditEventSchema, { targetId: contract.id, action: 'contract.signed' })).toBe(1);
  });

  it('a slow signature answers 202 正在处理; polling shows the signer pending then signed; the same request attaches to the same Update', async () => {
    const alice = await person('慕容复');
    const bob = await person('段誉');
    const { id, signerIds } = await contractOver(alice, [alice, bob]);
    const hold = gate();
    gates.set(signerIds[0]!, { before: hold.promise });
    const code = await requestCode(alice, id);
    const slow = await timed(alice.client.post(`/contracts/${id}/sign`, { code }));
    expect(slow.value.status, JSON.stringify(slow.value.json)).toBe(202);
    expect(slow.value.json).toMatchObject({ status: 'processing', message: expect.stringContaining('正在处理'), poll: `/api/contracts/${id}` });
    expect(slow.ms).toBeLessThan(6_000); // SIGN_WAIT_SECONDS=3, not the signature's duration
    expect(await participantStatus(alice, id, signerIds[0]!)).toBe('pending');
    // The user presses again with the same code: same Update (no second signature), still processing.
    const retry = await alice.client.post(`/contracts/${id}/sign`, { code });
    expect(retry.status, JSON.stringify(retry.json)).toBe(202);
    hold.open();
    const signed = await eventually(async () => ((await participantStatus(alice, id, signerIds[0]!)) === 'signed' ? true : null), 15_000, 'signature done');
    expect(signed).toBe(true);
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.signed' })).toBe(1);
    expect((await alice.client.get(`/contracts/${id}`)).json.documentVersion).toBe(1);
    // And once more after it committed (the answer to the last press was lost): the contract, not a refusal of a
    // signature that succeeded; nothing signed again. Another code is still refused as before.
    const again = await alice.client.post(`/contracts/${id}/sign`, { code });
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect(again.json).toMatchObject({ id, documentVersion: 1 });
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.signed' })).toBe(1);
    const other = await alice.client.post(`/contracts/${id}/sign`, { code: code === '000000' ? '111111' : '000000' });
    expect([other.status, other.json.error.code]).toEqual([422, 'ALREADY_SIGNED']);
  });

  it('whose turn: the next signer, already pending in the database while the previous result is still being reported, is accepted and keeps the code (was NOT_YOUR_TURN with the code burned)', async () => {
    const alice = await person('令狐冲');
    const bob = await person('任盈盈');
    const { id, signerIds } = await contractOver(alice, [alice, bob]);
    const reported = gate();
    gates.set(signerIds[0]!, { after: reported.promise }); // alice's signature commits, its result is held back
    const aliceCode = await requestCode(alice, id);
    const aliceSign = alice.client.post(`/contracts/${id}/sign`, { code: aliceCode });
    await eventually(async () => ((await participantStatus(bob, id, signerIds[1]!)) === 'pending' ? true : null), 15_000, 'database shows bob pending');
    const bobCode = await requestCode(bob, id);
    const bobSign = await bob.client.post(`/contracts/${id}/sign`, { code: bobCode });
    expect(bobSign.status, JSON.stringify(bobSign.json)).toBe(202); // accepted, waiting for alice's result — not NOT_YOUR_TURN
    expect((await aliceSign).status).toBe(202);
    reported.open();
    await eventually(async () => ((await bob.client.get(`/contracts/${id}`)).json.status === 'completed' ? true : null), 15_000, 'contract completed');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.signed' })).toBe(2);
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.sms_code_failed' })).toBe(0);
  });

  it('signing codes go to the signer’s current mobile, not the number recorded when the contract started', async () => {
    const alice = await person('东方不败');
    const { id } = await contractOver(alice, [alice]);
    const oldMobile = alice.mobile;
    // The step-1 notice (待签署 SMS) is sent by the workflow's activation, asynchronously to the API's answer: wait for it,
    // so that it is counted before the number changes (it went to the number the user had then, as it should).
    await eventually(async () => ((await em().count(SmsOutboxMessageSchema, { mobile: oldMobile, purpose: 'contract_to_sign' })) > 0 ? true : null), 10_000, 'step 1 notice sent');
    const newMobile = uniqueMobile();
    await em().nativeUpdate(UserSchema, { id: alice.id }, { mobile: newMobile });
    const before = await em().count(SmsOutboxMessageSchema, { mobile: oldMobile });
    const r = await alice.client.post(`/contracts/${id}/sms-code`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.sentTo).toBe(`${newMobile.slice(0, 3)}****${newMobile.slice(7)}`);
    expect(await em().count(SmsOutboxMessageSchema, { mobile: oldMobile })).toBe(before);
    const code = await latestSmsCode(platform.services, newMobile);
    expect((await signAndWait(alice, id, code)).status).toBe('completed');
  });
});
