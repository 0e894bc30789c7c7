// @sqlite-too: timestamp precision of revocation against signing times.
/**
 * 吊销证书 (issue 9) on the run's database (SQLite and MariaDB runs) against the real CA order
 * service (ca-service/, started by the globalSetup): certificates issued through real CA orders are
 * revoked locally in the caller's transaction, then pushed to the CA — a CA that fails and then
 * recovers, the sweep workflow's bounded retries and its Schedule — until the CA's revocation list and
 * certificate status say 'revoked'. A certificate issued for a seal voided while its order was open
 * is stored already revoked and pushed. 文件验证 of a contract signed with a seal certificate that
 * was revoked afterwards reports the revocation (signed before it: still valid); a signature made
 * after the revocation is not valid.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationActivities } from '../../activities/revocation-activities';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { SigningCertificateSchema, type SigningCertificate } from '../../domain/certificates/certificate.entities';
import { submitCertificateOrder } from '../../domain/certificates/certificate-order-progress';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { applyForSealCertificate } from '../../domain/certificates/certificate-orders';
import { pushRevocationsToCa, revokeCertificatesLocally } from '../../domain/certificates/revoke-certificates';
import { activeSealCertificate } from '../../domain/certificates/seal-certificates';
import { storeIssuedCertificate } from '../../domain/certificates/store-issued-certificate';
import { applySignature } from '../../domain/contracts/apply-signature';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import { SealAuthorizationSchema, SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import type { CaOrderGateway } from '../../integrations/ca-orders/ca-order-gateway';
import { createCaOrderGateway } from '../../integrations/ca-orders/http-ca-order-gateway';
import { revocationSweepScheduleId } from '../../worker/certificate-revocation-sweep-schedule';
import { certificateRevocationSweepWorkflow } from '../../workflows/certificate-revocation-sweep';
import { startTestCaService, type TestCaService } from '../harness/ca-service';
import { sealsOf } from '../harness/certificate-fixtures';
import { newEnterpriseContract, willingnessConfirmation } from '../harness/enterprise-contract';
import { activeMembership, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let ca: TestCaService;
let platform: TestPlatform;
const em = () => platform.services.orm.em.fork();
const masterKey = () => platform.config.masterKey;

/** The CA as the worker's sweep sees it: down, or failing the next `failures` calls, else the real service. */
const caLink = { down: false, failures: 0, calls: 0 };
function flakyCa(): Pick<CaOrderGateway, 'revokeCertificate'> {
  return {
    async revokeCertificate(serial, reason) {
      caLink.calls++;
      if (caLink.down || caLink.failures > 0) {
        caLink.failures = Math.max(0, caLink.failures - 1);
        throw new Error('CA service POST /api/certificates/revoke failed: connect ECONNREFUSED');
      }
      return createCaOrderGateway(platform.config).revokeCertificate(serial, reason);
    },
  };
}
/** Attempts of the sweep activity the worker ran. */
let sweepAttempts = 0;

beforeAll(async () => {
  ca = await startTestCaService();
  platform = await startTestPlatform(ca.env, {
    overrideActivities: () => ({
      async sweepPendingRevocations() {
        sweepAttempts++;
        return createRevocationActivities({ orm: platform.services.orm, gateway: flakyCa() }).sweepPendingRevocations();
      },
    }),
  });
  // This file's Schedule runs only when the test triggers it.
  await platform.temporal.schedule.getHandle(revocationSweepScheduleId(platform.config.temporal.taskQueue)).pause('certificate-revocation test');
});
afterAll(async () => {
  await platform?.stop();
  await ca?.stop();
});

async function caStatus(serial: string): Promise<{ status: string; reason: string | null }> {
  const res = await fetch(`${ca.publicUrl}/api/certificates/${serial}/status`, { headers: { authorization: `Bearer ${ca.env.CA_SERVICE_API_KEY}` } });
  return (await res.json()) as { status: string; reason: string | null };
}
async function crlSerials(): Promise<string[]> {
  const res = await fetch(`${ca.publicUrl}/crl`);
  return ((await res.json()) as { revoked: { serialNumber: string }[] }).revoked.map((r) => r.serialNumber);
}

/** 申请云证书 → the CA's staff 标记已支付 / 开始审核 / 审核通过; `beforeStore` runs before the platform stores it. */
async function orderThroughCa(enterprise: Enterprise, seal: Seal, admin: User, beforeStore?: () => Promise<void>): Promise<SigningCertificate> {
  const gateway = createCaOrderGateway(platform.config);
  const order = await applyForSealCertificate(em(), enterprise, seal.id, { user: admin, actor: SYSTEM_ACTOR, membership: await activeMembership(em(), enterprise.id, admin) });
  await submitCertificateOrder(em(), gateway, masterKey(), order.id);
  const { caOrderId } = await em().findOneOrFail(CertificateOrderSchema, { id: order.id });
  for (const step of ['mark-paid', 'start-audit', 'approve'] as const) expect(await ca.staff.act(caOrderId!, step)).toBe(303);
  await beforeStore?.();
  await storeIssuedCertificate(em(), gateway, platform.services.ca, masterKey(), order.id);
  const stored = await em().findOneOrFail(CertificateOrderSchema, { id: order.id });
  expect(stored.status).toBe('issued');
  return em().findOneOrFail(SigningCertificateSchema, { id: stored.certificateId! });
}

async function enterpriseWithSeals(name: string, types = ['official', 'contract']) {
  const admin = await createUser(platform.services, `${name}管理员`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin, `${name}${Date.now() % 100000}有限公司`, types);
  const seals = await sealsOf(platform.services, enterprise.id);
  return { admin, enterprise, seal: (type: string) => seals.find((s) => s.type === type)! };
}

/** Revokes in a transaction of its own, as voiding seals does. */
const revoke = (sealIds: string[], now?: Date) =>
  em().transactional((tx) => revokeCertificatesLocally(tx, { sealIds, reason: 'enterprise_renamed', actor: { id: null, name: '测试', ip: null }, now }));
const audits = (certificateId: string, action: 'certificate.revoked' | 'certificate.revocation_pushed') => em().count(AuditEventSchema, { targetId: certificateId, action });

describe('revoking seal certificates', () => {
  it('revokes locally in the caller’s transaction, then pushes to the CA: a CA that fails, then recovers', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('吊销甲');
    const cert = await orderThroughCa(enterprise, seal('contract'), admin);
    expect((await caStatus(cert.serialNumber)).status).toBe('good');

    // Rolled back with the caller's transaction: nothing revoked.
    await expect(
      em().transactional(async (tx) => {
        await revokeCertificatesLocally(tx, { sealIds: [cert.ownerId], reason: 'enterprise_renamed', actor: SYSTEM_ACTOR });
        throw new Error('the submission failed');
      }),
    ).rejects.toThrow('the submission failed');
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: cert.id })).status).toBe('active');

    expect(await revoke([cert.ownerId, seal('official').id])).toEqual([cert.id]);
    const revoked = await em().findOneOrFail(SigningCertificateSchema, { id: cert.id });
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'enterprise_renamed', caRevokedAt: null });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await audits(cert.id, 'certificate.revoked')).toBe(1);
    expect(await activeSealCertificate(em(), cert.ownerId)).toBeNull();
    // Revoking again finds nothing active.
    expect(await revoke([cert.ownerId])).toEqual([]);

    caLink.down = true;
    const failed = await pushRevocationsToCa(em(), flakyCa(), { certificateIds: [cert.id] });
    expect(failed).toMatchObject({ pushed: [], refused: [], failed: [{ id: cert.id }] });
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: cert.id })).caRevokedAt).toBeNull();
    expect((await caStatus(cert.serialNumber)).status).toBe('good');

    caLink.down = false;
    expect(await pushRevocationsToCa(em(), flakyCa(), { certificateIds: [cert.id] })).toEqual({ pushed: [cert.id], refused: [], failed: [] });
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: cert.id })).caRevokedAt).toBeInstanceOf(Date);
    expect(await caStatus(cert.serialNumber)).toMatchObject({ status: 'revoked', reason: '企业名称变更，印章已作废' });
    expect(await crlSerials()).toContain(cert.serialNumber);
    expect(await audits(cert.id, 'certificate.revocation_pushed')).toBe(1);
    // Pushed once: nothing left to push, no second audit row.
    expect(await pushRevocationsToCa(em(), flakyCa(), { certificateIds: [cert.id] })).toEqual({ pushed: [], refused: [], failed: [] });
    expect(await audits(cert.id, 'certificate.revocation_pushed')).toBe(1);
  });

  it('a certificate the CA does not know is refused by it (not retried) and stays pending', async () => {
    const { enterprise, seal } = await enterpriseWithSeals('吊销乙');
    const e = em();
    const stranger = e.create(SigningCertificateSchema, {
      id: randomUUID(),
      ownerType: 'seal',
      ownerId: seal('official').id,
      enterpriseId: enterprise.id,
      orderId: null,
      subject: 'CN=x',
      issuer: 'CN=y',
      serialNumber: randomUUID().replace(/-/g, ''),
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
      certificatePem: 'x',
      privateKeyEncrypted: 'x',
      status: 'revoked',
      revokedAt: new Date(),
      revocationReason: 'legal_representative_changed',
      createdAt: new Date(),
    });
    await e.flush();
    const report = await pushRevocationsToCa(em(), createCaOrderGateway(platform.config), { certificateIds: [stranger.id] });
    expect(report).toMatchObject({ pushed: [], failed: [], refused: [{ id: stranger.id, code: 'CERTIFICATE_NOT_FOUND' }] });
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: stranger.id })).caRevokedAt).toBeNull();
  });

  it('the sweep workflow retries a failing CA a bounded number of times; its Schedule pushes what is left', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('吊销丙');
    const first = await orderThroughCa(enterprise, seal('contract'), admin);
    const second = await orderThroughCa(enterprise, seal('official'), admin);
    await revoke([first.ownerId]);

    // Fails twice, then recovers: the run's retries push it.
    caLink.failures = 2;
    let before = sweepAttempts;
    const taskQueue = platform.config.temporal.taskQueue;
    const result = await platform.temporal.workflow.execute(certificateRevocationSweepWorkflow, { taskQueue, workflowId: `revocation-sweep-test-${randomUUID()}`, args: [{ retryInitialMs: 200 }] });
    expect(sweepAttempts - before).toBeGreaterThanOrEqual(2);
    expect(result.pushed).toBeGreaterThanOrEqual(1);
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: first.id })).caRevokedAt).toBeInstanceOf(Date);
    expect((await caStatus(first.serialNumber)).status).toBe('revoked');

    // Down for good: three attempts, then the run fails; the row stays pending.
    await revoke([second.ownerId]);
    caLink.down = true;
    before = sweepAttempts;
    await expect(
      platform.temporal.workflow.execute(certificateRevocationSweepWorkflow, { taskQueue, workflowId: `revocation-sweep-test-${randomUUID()}`, args: [{ retryInitialMs: 100, maximumAttempts: 3 }] }),
    ).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(sweepAttempts - before).toBe(3);
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: second.id })).caRevokedAt).toBeNull();

    // The CA is back: the Schedule's next run (triggered here) pushes it.
    caLink.down = false;
    const schedule = platform.temporal.schedule.getHandle(revocationSweepScheduleId(taskQueue));
    const described = await schedule.describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'certificateRevocationSweepWorkflow' });
    expect(described.policies.overlap).toBe('SKIP');
    const earlierRuns = new Set(described.info.recentActions.map((a) => a.action.workflow.workflowId));
    // ALLOW_ALL: a run the interval may have started meanwhile must not make this trigger a skipped one.
    await schedule.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const triggered = await eventually(
      async () => (await schedule.describe()).info.recentActions.find((a) => !earlierRuns.has(a.action.workflow.workflowId)),
      30_000,
      'the triggered sweep run',
    );
    // The run's own retries (10 s, 20 s) may be needed on a loaded machine: wait for its result, not a fixed time.
    const scheduled = await platform.temporal.workflow.getHandle<typeof certificateRevocationSweepWorkflow>(triggered.action.workflow.workflowId).result();
    expect(scheduled.failed).toBe(0);
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: second.id })).caRevokedAt).toBeInstanceOf(Date);
    expect((await caStatus(second.serialNumber)).status).toBe('revoked');
    expect(await audits(second.id, 'certificate.revocation_pushed')).toBe(1);
  }, 120_000);

  it('a seal voided while its certificate is being stored (after the store read the seal) never leaves an active certificate: the store loses and its retry stores it revoked', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('吊销戊');
    const target = seal('contract');
    const gateway = createCaOrderGateway(platform.config);
    const order = await applyForSealCertificate(em(), enterprise, target.id, { user: admin, actor: SYSTEM_ACTOR, membership: await activeMembership(em(), enterprise.id, admin) });
    await submitCertificateOrder(em(), gateway, masterKey(), order.id);
    const { caOrderId } = await em().findOneOrFail(CertificateOrderSchema, { id: order.id });
    for (const step of ['mark-paid', 'start-audit', 'approve'] as const) expect(await ca.staff.act(caOrderId!, step)).toBe(303);
    // Right after the store reads the seal, a re-certification voids it and revokes the certificates it finds (none yet).
    const storeEm = em();
    const findOne = storeEm.findOne.bind(storeEm) as (...args: unknown[]) => Promise<unknown>;
    let voided = false;
    Object.assign(storeEm, {
      findOne: async (...args: unknown[]) => {
        const found = await findOne(...args);
        if (args[0] === SealSchema && !voided) {
          voided = true;
          await em().nativeUpdate(SealSchema, { id: target.id }, { status: 'voided', voidedAt: new Date(), voidReason: 'enterprise_renamed', liveKey: null, version: target.version + 1 });
          expect(await revoke([target.id])).toEqual([]);
        }
        return found;
      },
    });
    // A lost race, which the activity retries (activity-errors.ts).
    await expect(storeIssuedCertificate(storeEm, gateway, platform.services.ca, masterKey(), order.id)).rejects.toMatchObject({ code: 'CONCURRENT_CHANGE' });
    expect(await em().count(SigningCertificateSchema, { ownerId: target.id })).toBe(0);
    // The activity's retry.
    await storeIssuedCertificate(em(), gateway, platform.services.ca, masterKey(), order.id);
    const stored = await em().findOneOrFail(CertificateOrderSchema, { id: order.id });
    expect(stored.status).toBe('issued');
    expect(await em().findOneOrFail(SigningCertificateSchema, { id: stored.certificateId! })).toMatchObject({ status: 'revoked', revocationReason: 'enterprise_renamed' });
    expect(await activeSealCertificate(em(), target.id)).toBeNull();
  });

  it('a certificate issued for a seal voided while its order was open is stored revoked, pushed, and never signs', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('吊销丁');
    const target = seal('contract');
    const cert = await orderThroughCa(enterprise, target, admin, async () => {
      // What submitting a re-certification does to the seal meanwhile.
      await em().nativeUpdate(SealSchema, { id: target.id }, { status: 'voided', voidedAt: new Date(), voidReason: 'enterprise_renamed', liveKey: null });
    });
    expect(cert).toMatchObject({ status: 'revoked', revocationReason: 'enterprise_renamed' });
    expect(cert.caRevokedAt).toBeInstanceOf(Date);
    expect(await caStatus(cert.serialNumber)).toMatchObject({ status: 'revoked' });
    expect(await activeSealCertificate(em(), target.id)).toBeNull();
    expect(await audits(cert.id, 'certificate.revoked')).toBe(1);
    expect(await audits(cert.id, 'certificate.revocation_pushed')).toBe(1);
  });
});

describe('文件验证 of a signature whose certificate was revoked', () => {
  it('signed before the revocation: reported with it and still valid; a signature after the revocation is not valid', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('验证吊销');
    const contractSeal = seal('contract');
    const cert = await orderThroughCa(enterprise, contractSeal, admin);
    const x = em();
    x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: contractSeal.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: null });
    await x.flush();
    const person = await createUser(platform.services, '验证乙方');
    const c = await newEnterpriseContract(platform.services, { title: '吊销后验证', initiator: person, enterprise, person });
    const deps = { em: em(), store: platform.services.store, ca: platform.services.ca, masterKey: masterKey() };
    await applySignature(deps, { contractId: c.id, participantId: c.enterpriseParticipant, actorUserId: admin.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.enterpriseParticipant, admin.id) });
    const version = await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 1 });
    const signedPdf = await platform.services.store.get(version.storageKey);

    const client = new ApiClient(platform.baseUrl);
    await client.login(person.mobile, TEST_PASSWORD);
    const verify = async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(signedPdf)], { type: 'application/pdf' }), 'signed.pdf');
      const r = await client.request('POST', '/verifications', form);
      expect(r.status).toBe(200);
      return r.json;
    };
    const fresh = await verify();
    expect(fresh.status).toBe('valid');
    expect(fresh.signatures[0]).toMatchObject({ certificate: { serialNumber: cert.serialNumber }, revocation: null });

    // A signature's signing time has whole seconds, and so has revoked_at on MariaDB: one in the same
    // second as the revocation is (conservatively) not "signed before" it. Revoke in a later second.
    await new Promise((resolve) => setTimeout(resolve, 1_010 - (Date.now() % 1_000)));
    await revoke([contractSeal.id]);
    await pushRevocationsToCa(em(), createCaOrderGateway(platform.config), { certificateIds: [cert.id] });
    const after = await verify();
    expect(after.signatures[0].revocation).toMatchObject({ reason: 'enterprise_renamed', reasonLabel: '企业名称变更，印章已作废', signedBeforeRevocation: true });
    expect(after.status).toBe('valid');
    expect(after.summary).toContain('吊销');
    expect(after.summaryEn).toContain('revoked after signing');

    // Had the certificate been revoked before the signature was made, the signature is not valid.
    const signedAt = new Date(after.signatures[0].signingTime as string);
    await em().nativeUpdate(SigningCertificateSchema, { id: cert.id }, { revokedAt: new Date(signedAt.getTime() - 3600_000) });
    const late = await verify();
    expect(late.signatures[0].revocation).toMatchObject({ signedBeforeRevocation: false });
    expect(late.status).toBe('revoked');
    expect(late.summary).toMatch(/签名无效.*吊销/);
  });
});

describe('the console lists voided seals and revoked certificates', () => {
  it('印章管理 (includeVoided) shows 已作废 with reason and date; 企业证书 已吊销 lists the certificate; a voided seal takes no action', async () => {
    const { admin, enterprise, seal } = await enterpriseWithSeals('作废列表');
    const target = seal('contract');
    const cert = await orderThroughCa(enterprise, target, admin);
    const voidedAt = new Date();
    await em().nativeUpdate(SealSchema, { id: target.id }, { status: 'voided', voidedAt, voidReason: 'enterprise_renamed', liveKey: null });
    await revoke([target.id]);

    const client = new ApiClient(platform.baseUrl);
    await client.login(admin.mobile, TEST_PASSWORD);
    expect((await client.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
    const live = await client.get('/console/seals');
    expect(live.json.map((s: { id: string }) => s.id)).not.toContain(target.id);
    const all = await client.get(`/console/seals?filter=${encodeURIComponent(JSON.stringify({ includeVoided: true }))}`);
    expect(all.json.find((s: { id: string }) => s.id === target.id)).toMatchObject({
      status: 'voided',
      voidReason: 'enterprise_renamed',
      voidReasonLabel: '企业名称变更',
      voidReasonLabelEn: 'Enterprise renamed',
      voidedAt: expect.any(String),
      certificate: { state: 'revoked' },
    });
    expect((await client.get(`/console/seals/${target.id}/image`)).status).toBe(200);
    for (const [path, body] of [
      [`/console/seals/${target.id}/enable`, {}],
      [`/console/seals/${target.id}/redraw`, {}],
      [`/console/seals/${target.id}/authorizations`, { userId: admin.id }],
    ] as const) {
      expect((await client.post(path, body)).status).toBe(404);
    }
    const order = await client.post('/console/certificate-orders', { sealId: target.id });
    expect(order.status).toBeGreaterThanOrEqual(400);
    expect(order.status).toBeLessThan(500);

    const revoked = await client.get(`/console/certificates?filter=${encodeURIComponent(JSON.stringify({ scope: 'revoked' }))}`);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual([expect.objectContaining({ id: cert.id, sealId: target.id, state: 'revoked', revocationReasonLabel: '企业名称变更，印章已作废', caRevoked: false, revokedAt: expect.any(String) })]);
  });
});
