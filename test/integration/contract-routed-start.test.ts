/**
 * The routed start (real database, real Temporal dev server, real activities): the start hands the
 * contract's workflow the participants it wrote, activates the row itself and commits the first step's
 * notice with the activation (the embedded SMS sender is transactional), so the workflow runs no
 * activation. And what a start that goes wrong leaves: abandoned after its workflow started (the workflow
 * ends as abandoned at expiry), or dead before its activation (the reconciler activates it, with the notice),
 * and the invitations and CC notices such a start never sent (the reconciler sends them, once).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporalContractWorkflows } from '../../activities/reconcile-activities';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { reconcileContracts, DEFAULT_RECONCILE_OPTIONS } from '../../domain/contracts/reconcile-contracts';
import { startContract, startContractSpecSchema, type StartContractDeps } from '../../domain/contracts/start-contract';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import type { User } from '../../domain/identity/user.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { lifecycleSignUpdate } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { createUser, makePdf, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { stalledAfterWorkflowStart, startContractDeps } from '../harness/start-contract-deps';
import { eventually } from '../harness/workflow-env';

let platform: TestPlatform;
let alice: User, bob: User, carol: User;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol] = (await Promise.all(['发起人', '乙方', '丙方'].map((n) => createUser(platform.services, n)))) as [User, User, User];
});
afterAll(async () => platform?.stop());

const spec = (expiresAt?: Date) =>
  startContractSpecSchema.parse({
    title: '路由启动合同',
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    participants: [
      { kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] },
      { kind: 'person', step: 2, mobile: carol.mobile, name: carol.name, marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
    ],
  });
const deps = (overrides: Partial<StartContractDeps> = {}): StartContractDeps => ({ ...startContractDeps(platform.services, platform.config, platform.temporal, { minTtlMs: 0 }), ...overrides });
const initiator = () => ({ id: alice.id, name: alice.name, ip: null });
const toSign = (mobile: string, since: Date) => em().count(SmsOutboxMessageSchema, { mobile, purpose: 'contract_to_sign', createdAt: { $gte: since } });
const history = async (contractId: string) => (await platform.temporal.workflow.getHandle(contractWorkflowId(contractId)).fetchHistory()).events ?? [];

describe('routed start', () => {
  it('the workflow gets the routing in its input and runs no activation; step 1 is notified once, by the activation’s commit; signing completes the contract', async () => {
    const since = new Date(Date.now() - 1000);
    const contract = await startContract(deps(), initiator(), spec(), await makePdf(1));
    expect(contract.status).toBe('in_progress');
    const started = (await history(contract.id))[0]!.workflowExecutionStartedEventAttributes!;
    const input = defaultPayloadConverter.fromPayload<{ routing?: { participants: unknown[]; firstStepNoticeInActivation: boolean } }>(started.input!.payloads![0]!);
    expect(input.routing).toMatchObject({ initiatorId: alice.id, firstStepNoticeInActivation: true });
    expect(input.routing!.participants).toHaveLength(2);
    // The notice is in the activation's commit: there at once, and once (step 2 not yet).
    expect(await toSign(bob.mobile, since)).toBe(1);
    expect(await toSign(carol.mobile, since)).toBe(0);
    expect(await em().count(NotificationSchema, { userId: bob.id, kind: 'contract.to_sign', createdAt: { $gte: since } })).toBe(1);

    const handle = platform.temporal.workflow.getHandle(contractWorkflowId(contract.id));
    const signers = await em().find(ContractSignerSchema, { contractId: contract.id }, { orderBy: { order: 'asc' } });
    for (const s of signers) {
      const confirmationId = randomUUID();
      const e = em();
      e.create(WillingnessConfirmationSchema, { id: confirmationId, contractId: contract.id, signerId: s.id, userId: s.userId!, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: null, codeHash: null });
      await e.flush();
      await handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: s.id, actorUserId: s.userId!, confirmationId }], updateId: `sign:${confirmationId}` });
    }
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    expect((await em().findOneOrFail(ContractSchema, { id: contract.id })).status).toBe('completed');
    expect(await toSign(bob.mobile, since)).toBe(1);
    expect(await toSign(carol.mobile, since)).toBe(1);
    // No activation activity, local or regular: the only markers are the two signatures.
    const events = await history(contract.id);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(events.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []))).toEqual(['core_local_activity', 'core_local_activity']);
  });

  it('a start abandoned after its workflow started (the start call failed, the rows were removed): the workflow ends as abandoned at expiry, without touching anything', async () => {
    let contractId = '';
    const failing = deps({
      startWorkflow: async (c, routing) => {
        contractId = c.id;
        await deps().startWorkflow(c, routing);
        throw new Error('deadline exceeded (the start may have happened)');
      },
    });
    await expect(startContract(failing, initiator(), spec(new Date(Date.now() + 2_000)), await makePdf(1))).rejects.toMatchObject({ code: 'WORKFLOW_START_FAILED' });
    expect(await em().count(ContractSchema, { id: contractId })).toBe(0);
    const handle = platform.temporal.workflow.getHandle(contractWorkflowId(contractId));
    expect(await handle.result()).toMatchObject({ status: 'voided' });
    expect((await handle.describe()).searchAttributes.ContractStatus).toEqual(['abandoned']);
  });

  it('a start that died before its activation (workflow running, row 创建中): the reconciler activates it and the first step’s notice commits with that activation, once', async () => {
    const since = new Date(Date.now() - 1000);
    // The API process "stops" right after the workflow started: the launch waits until the test lets it go on.
    const stalled = stalledAfterWorkflowStart(deps());
    const starting = startContract(stalled.deps, initiator(), spec(), await makePdf(1));
    await eventually(async () => stalled.contractId && (await em().count(ContractSchema, { id: stalled.contractId, status: 'starting' })) === 1, 10_000, 'row 创建中, workflow started');
    await eventually(async () => (await platform.temporal.workflow.getHandle(contractWorkflowId(stalled.contractId)).describe()).status.name === 'RUNNING', 10_000, 'workflow running');
    expect(await toSign(bob.mobile, since)).toBe(0);

    const report = await reconcileContracts(em(), platform.services.store, temporalContractWorkflows(platform.temporal, platform.config.temporal.taskQueue, em), { ...DEFAULT_RECONCILE_OPTIONS, startingGraceMs: 0 }, new Date(), { sms: (e) => createSmsSender(platform.config, e), publicUrl: platform.config.publicUrl });
    expect(report.activated).toContain(stalled.contractId);
    expect((await em().findOneOrFail(ContractSchema, { id: stalled.contractId })).status).toBe('in_progress');
    expect(await toSign(bob.mobile, since)).toBe(1);

    // The stalled start goes on: it finds the contract active and sends nothing more.
    stalled.release();
    expect((await starting).status).toBe('in_progress');
    expect(await toSign(bob.mobile, since)).toBe(1);
    await platform.temporal.workflow.getHandle(contractWorkflowId(stalled.contractId)).terminate('test over');
  });
});

describe('messages a start never sent (numbers without an account): the reconciler sends them, once', () => {
  const messaging = () => ({ sms: (e: Parameters<typeof createSmsSender>[1]) => createSmsSender(platform.config, e), publicUrl: platform.config.publicUrl });
  const reconcile = () => reconcileContracts(em(), platform.services.store, temporalContractWorkflows(platform.temporal, platform.config.temporal.taskQueue, em), { ...DEFAULT_RECONCILE_OPTIONS, startingGraceMs: 0 }, new Date(), messaging());
  const sent = (mobile: string, purpose: 'contract_invitation' | 'contract_cc_notice') => em().count(SmsOutboxMessageSchema, { mobile, purpose });
  /** Step 1 a registered signer, step 2 a number without an account, and a CC number without an account. */
  const withStrangers = (invitee: string, ccMobile: string) =>
    startContractSpecSchema.parse({
      title: '邀请补发合同',
      participants: [
        { kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] },
        { kind: 'person', step: 2, mobile: invitee, name: '王未注册', marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
      ],
      cc: [{ mobile: ccMobile }],
    });
  const expectSentOnce = async (contractId: string, invitee: string, ccMobile: string) => {
    expect(await sent(invitee, 'contract_invitation')).toBe(1);
    expect(await sent(ccMobile, 'contract_cc_notice')).toBe(1);
    expect(await em().findOneOrFail(ContractSignerSchema, { contractId, mobile: invitee })).toMatchObject({ invited: true, userId: null });
    expect(await em().findOneOrFail(ContractCcSchema, { contractId, mobile: ccMobile })).toMatchObject({ invited: true, userId: null });
    expect(await em().count(ContractEventSchema, { contractId, type: 'invitation_sent' })).toBe(1);
  };

  it('a start that died before its activation: the reconciler activates it and sends the invitation and the CC notice; the start going on sends nothing more', async () => {
    const [invitee, ccMobile] = [uniqueMobile(), uniqueMobile()];
    const stalled = stalledAfterWorkflowStart(deps());
    const starting = startContract(stalled.deps, initiator(), withStrangers(invitee, ccMobile), await makePdf(1));
    await eventually(async () => stalled.contractId && (await em().count(ContractSchema, { id: stalled.contractId, status: 'starting' })) === 1, 10_000, 'row 创建中, workflow started');

    const report = await reconcile();
    expect(report.activated).toContain(stalled.contractId);
    expect(report.messaged).toContain(stalled.contractId);
    await expectSentOnce(stalled.contractId, invitee, ccMobile);

    stalled.release();
    expect((await starting).status).toBe('in_progress');
    expect((await reconcile()).messaged).not.toContain(stalled.contractId);
    await expectSentOnce(stalled.contractId, invitee, ccMobile);
    await platform.temporal.workflow.getHandle(contractWorkflowId(stalled.contractId)).terminate('test over');
  });

  it('a start that died before its workflow started: the reconciler starts it, activates it and sends the invitation and the CC notice', async () => {
    const [invitee, ccMobile] = [uniqueMobile(), uniqueMobile()];
    let contractId = '';
    // The API process "stops" once the rows are written: its workflow is never started.
    const dead = deps({ startWorkflow: (c) => ((contractId = c.id), new Promise<never>(() => undefined)) });
    void startContract(dead, initiator(), withStrangers(invitee, ccMobile), await makePdf(1));
    await eventually(async () => contractId && (await em().count(ContractSchema, { id: contractId, status: 'starting' })) === 1, 10_000, 'row 创建中, no workflow');

    const report = await reconcile();
    expect(report.restarted).toContain(contractId);
    expect((await em().findOneOrFail(ContractSchema, { id: contractId })).status).toBe('in_progress');
    await expectSentOnce(contractId, invitee, ccMobile);
    await platform.temporal.workflow.getHandle(contractWorkflowId(contractId)).terminate('test over');
  });

  it('an active contract whose messages were never sent (the start died after its activation): the next pass sends them, once', async () => {
    const [invitee, ccMobile] = [uniqueMobile(), uniqueMobile()];
    // The start's messages fail after its activation (their outbox rows cannot be written): the start succeeds without them.
    const failingMessages = deps({
      sms: (e) => {
        const real = createSmsSender(platform.config, e);
        return { transactional: real.transactional, send: async (m) => (['contract_invitation', 'contract_cc_notice'].includes(m.purpose) ? Promise.reject(new Error('outbox unavailable')) : real.send(m)) };
      },
    });
    const contract = await startContract(failingMessages, initiator(), withStrangers(invitee, ccMobile), await makePdf(1));
    expect(contract.status).toBe('in_progress');
    expect(await sent(invitee, 'contract_invitation')).toBe(0);
    expect(await sent(ccMobile, 'contract_cc_notice')).toBe(0);

    expect((await reconcile()).messaged).toContain(contract.id);
    await expectSentOnce(contract.id, invitee, ccMobile);
    expect((await reconcile()).messaged).not.toContain(contract.id);
    await expectSentOnce(contract.id, invitee, ccMobile);
    await platform.temporal.workflow.getHandle(contractWorkflowId(contract.id)).terminate('test over');
  });
});
