/**
 * M6 转让管理员 as AdminTransferWorkflow on the real Temporal dev server with the real activities:
 * success, a wrong code, the deadline, removal of the target, the completion re-check, a first
 * code that cannot be sent, cancel, and visibility by EnterpriseId.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { applyForAdministrator, reviewAdministratorApplication } from '../../domain/enterprises/admin-application';
import { recordCodeSubmission } from '../../domain/enterprises/admin-transfer';
import { UserSchema } from '../../domain/identity/user.entity';
import { AdminTransferSchema, CodeSubmissionSchema } from '../../domain/enterprises/admin-change.entities';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { CODE_RULES } from '../../domain/sms/code-rules';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import { ApplicationFailure } from '@temporalio/common';
import { createAdminTransferActivities } from '../../activities/admin-transfer-activities';
import { createSmsSender } from '../../integrations/sms';
import { addMember } from '../harness/enterprise-fixtures';
import { ApiClient } from '../harness/http-client';
import { createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { setUpTransferParties } from '../harness/transfer-fixtures';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ ADMIN_TRANSFER_TTL_SECONDS: '6' });
});
afterAll(async () => platform?.stop());

const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

const setUp = (name: string) => setUpTransferParties(platform, name);

/** Codes are sent by an activity, shortly after the Update or start returns. */
async function codeFor(mobile: string, after: Date) {
  await expect.poll(async () => (await platform.services.orm.em.fork().count('SmsOutboxMessage', { mobile, purpose: 'admin_transfer', createdAt: { $gte: after } })) > 0, { timeout: 10_000 }).toBe(true);
  return latestSmsCode(platform.services, mobile);
}

describe('AdminTransferWorkflow', () => {
  it('transfers after both confirmations; a wrong code is refused; the old admin leaves', async () => {
    const { admin, target, enterprise, membership, adminC, targetC } = await setUp('转让');
    const before = new Date(Date.now() - 1000);
    const started = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const transfer = started.json.transfer;
    expect(transfer).toMatchObject({ status: 'awaiting_admin_code', toName: '转让受让人', workflowId: `admin-transfer:${started.json.transfer.id}` });
    expect((await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.error.code).toBe('TRANSFER_RUNNING');

    const adminCode = await codeFor(admin.mobile, before);
    // The target cannot confirm the administrator's step.
    expect((await targetC.post(`/admin-transfers/${transfer.id}/confirm`, { code: adminCode })).json.error.code).toBe('NOT_YOUR_STEP');
    const wrong = await adminC.post(`/admin-transfers/${transfer.id}/confirm`, { code: wrongOf(adminCode) });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.code).toBe('SMS_CODE_WRONG');
    const beforeTarget = new Date(Date.now() - 1000);
    const confirmed = await adminC.post(`/admin-transfers/${transfer.id}/confirm`, { code: adminCode });
    expect(confirmed.json).toEqual({ step: 'awaiting_target_code' });

    const pending = (await targetC.get('/my/enterprises')).json.pendingTransfers;
    expect(pending).toEqual([expect.objectContaining({ id: transfer.id, role: 'target', myTurn: true })]);
    const targetCode = await codeFor(target.mobile, beforeTarget);
    const accepted = await targetC.post(`/admin-transfers/${transfer.id}/confirm`, { code: targetCode });
    expect(accepted.json).toEqual({ step: 'completed' });

    expect((await targetC.get('/auth/me')).json.enterprises).toEqual([expect.objectContaining({ id: enterprise.id, role: 'admin' })]);
    expect((await adminC.get('/auth/me')).json).toMatchObject({ acting: null, enterprises: [] });
    const row = await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id: transfer.id });
    expect(row.status).toBe('completed');
    const trail = await platform.services.orm.em.fork().find(AuditEventSchema, { targetId: transfer.id }, { orderBy: { at: 'asc' } });
    const ipOf = (action: string) => trail.find((e) => e.action === action)?.ip;
    expect([ipOf('admin.transfer_started'), ipOf('admin.transfer_confirmed'), ipOf('admin.transfer_completed')]).toEqual([adminC.ip, adminC.ip, targetC.ip]);
    // The wrong code is the administrator's, from where they typed it (it was 系统's).
    const failed = trail.find((e) => e.action === 'admin.transfer_code_failed');
    expect([failed?.actorId, failed?.actorName, failed?.ip]).toEqual([admin.id, admin.name, adminC.ip]);

    // Findable in Temporal UI by the enterprise id; the codes never appear in the history.
    const handle = platform.temporal.workflow.getHandle(adminTransferWorkflowId(transfer.id));
    expect((await handle.describe()).searchAttributes.EnterpriseId).toEqual([enterprise.id]);
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(adminCode);
    expect(history).not.toContain(targetCode);
    const found = [];
    for await (const wf of platform.temporal.workflow.list({ query: `EnterpriseId = "${enterprise.id}"` })) found.push(wf.workflowId);
    expect(found).toContain(adminTransferWorkflowId(transfer.id));
  });

  it('cancels itself when the deadline passes; nothing changes hands', async () => {
    const { enterprise, membership, adminC, targetC } = await setUp('超时');
    const started = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    await platform.temporal.workflow.getHandle(adminTransferWorkflowId(started.json.transfer.id)).result();
    expect((await adminC.get('/console/admin-transfer')).json.transfer.status).toBe('expired');
    expect((await adminC.get('/auth/me')).json.acting).toMatchObject({ enterpriseId: enterprise.id, role: 'admin' });
    expect((await targetC.get('/auth/me')).json.enterprises).toEqual([expect.objectContaining({ role: 'member' })]);
    const late = await adminC.post(`/admin-transfers/${started.json.transfer.id}/confirm`, { code: '123456' });
    expect(late.status).toBe(409);
  });

  it('removing the target member (人员管理) ends the running transfer', async () => {
    const { enterprise, membership, adminC } = await setUp('移除');
    const started = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    const id = started.json.transfer.id as string;
    expect((await adminC.request('DELETE', `/console/members/${membership.id}`)).status).toBe(200);
    expect(await platform.temporal.workflow.getHandle(adminTransferWorkflowId(id)).result()).toEqual({ step: 'cancelled', reason: 'TARGET_REMOVED' });
    const row = await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason, row.liveKey]).toEqual(['cancelled', 'TARGET_REMOVED', null]);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'admin.transfer_cancelled', targetId: id })).toBe(1);
    expect((await adminC.get('/console/admin-transfer')).json.transfer).toMatchObject({ status: 'cancelled', endReasonLabel: '受让人已被移出企业' });
    expect((await adminC.get('/auth/me')).json.acting).toMatchObject({ enterpriseId: enterprise.id, role: 'admin' });
  });

  it('completion re-checks the target: a target who left meanwhile fails the transfer with the reason', async () => {
    const { admin, target, enterprise, membership, adminC, targetC } = await setUp('复核');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    const beforeTarget = new Date();
    expect((await adminC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(admin.mobile, before) })).json).toEqual({ step: 'awaiting_target_code' });
    const targetCode = await codeFor(target.mobile, beforeTarget);
    // The target leaves without the API's signal (e.g. a direct data fix): only the re-check can notice.
    await platform.services.orm.em.fork().nativeUpdate(MembershipSchema, { id: membership.id }, { status: 'removed', liveKey: null });
    const accepted = await targetC.post(`/admin-transfers/${id}/confirm`, { code: targetCode });
    expect(accepted.status).toBe(409);
    expect(accepted.json.error).toMatchObject({ code: 'TRANSFER_FAILED', message: '转让未能完成：受让人已不是企业成员' });
    const row = await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason]).toEqual(['failed', 'TARGET_NOT_MEMBER']);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'admin.transfer_failed', targetId: id })).toBe(1);
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(admin.id);
  });

  it('completion re-checks the administrator: an administrator replaced meanwhile (M5) fails the transfer', async () => {
    const { admin, target, enterprise, membership, adminC, targetC } = await setUp('换人');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    const beforeTarget = new Date();
    await adminC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(admin.mobile, before) });
    const targetCode = await codeFor(target.mobile, beforeTarget);
    // Meanwhile an operator approves someone else's 管理员 application: the initiator is no longer administrator.
    const other = await createUser(platform.services, '换人新管理员');
    await addMember(platform.services, enterprise.id, admin, other);
    const em = platform.services.orm.em.fork();
    const application = await applyForAdministrator(em, platform.services.store, enterprise.id, await em.findOneOrFail(UserSchema, { id: other.id }), '原管理员离职', await makePdf(1), { id: other.id, name: other.name, ip: null });
    await reviewAdministratorApplication(platform.services.orm.em.fork(), application.id, { approve: true }, SYSTEM_ACTOR);
    const accepted = await targetC.post(`/admin-transfers/${id}/confirm`, { code: targetCode });
    expect(accepted.status).toBe(409);
    expect(accepted.json.error).toMatchObject({ code: 'TRANSFER_FAILED', message: '转让未能完成：发起人已不是企业管理员' });
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(other.id);
    expect((await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id })).endReason).toBe('ADMIN_CHANGED');
  });

  it('an operator approving another member as administrator (M5, over the API) ends the running transfer at once', async () => {
    const { admin, enterprise, membership, adminC } = await setUp('审批换人');
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    const other = await createUser(platform.services, '审批新管理员');
    await addMember(platform.services, enterprise.id, admin, other);
    const em = platform.services.orm.em.fork();
    const application = await applyForAdministrator(em, platform.services.store, enterprise.id, await em.findOneOrFail(UserSchema, { id: other.id }), '原管理员离职', await makePdf(1), { id: other.id, name: other.name, ip: null });
    const operator = await createUser(platform.services, '审批运营', 'operator');
    const operatorC = new ApiClient(platform.baseUrl);
    await operatorC.login(operator.mobile, TEST_PASSWORD);
    expect((await operatorC.post(`/admin/admin-applications/${application.id}/approve`, {})).json.status).toBe('approved');
    expect(await platform.temporal.workflow.getHandle(adminTransferWorkflowId(id)).result()).toEqual({ step: 'cancelled', reason: 'ADMIN_CHANGED' });
    const row = await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason, row.liveKey]).toEqual(['cancelled', 'ADMIN_CHANGED', null]);
    // The former administrator can no longer act on it.
    expect((await adminC.post(`/admin-transfers/${id}/confirm`, { code: '123456' })).status).toBeGreaterThanOrEqual(400);
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(other.id);
  });

  it('a first code that cannot be sent ends the transfer as failed; the enterprise can start another', async () => {
    const { admin, membership, adminC } = await setUp('短信失败');
    // The administrator's admin-transfer code budget is used up: sending is refused (a business refusal, not retried).
    const em = platform.services.orm.em.fork();
    for (let i = 0; i < CODE_RULES.maxPerMobilePerHour; i++) {
      await em.insert(SmsChallengeSchema, { id: randomUUID(), mobile: admin.mobile, purpose: 'admin_transfer', subject: `x:${i}`, codeHash: '0'.repeat(64), createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000), attempts: 0, consumedAt: null, requestNetwork: null });
    }
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    expect(await platform.temporal.workflow.getHandle(adminTransferWorkflowId(id)).result()).toEqual({ step: 'failed', reason: 'SMS_FAILED' });
    const row = await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason, row.liveKey]).toEqual(['failed', 'SMS_FAILED', null]);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'admin.transfer_failed', targetId: id })).toBe(1);
    const again = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    expect(again.json.transfer.id).not.toBe(id);
  });

  it('a first-code attempt retried within the resend cooldown (the code went out, then the attempt failed) is retried after the cooldown, not ended as SMS_FAILED', async () => {
    const { admin, membership, adminC } = await setUp('重试验证码');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    await codeFor(admin.mobile, before);
    // The retried attempt of the activity (as after a failed audit write or a timeout):
    const activities = createAdminTransferActivities({ orm: platform.services.orm, sms: (em) => createSmsSender(platform.config, em) });
    const retried = await activities.sendTransferCode({ transferId: id, party: 'admin', waitOutCooldown: true }).catch((err: unknown) => err);
    expect(retried).toBeInstanceOf(ApplicationFailure);
    expect(retried).toMatchObject({ type: 'SMS_COOLDOWN', nonRetryable: false });
    expect((retried as ApplicationFailure).nextRetryDelay).toBeDefined();
    expect((await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id })).status).toBe('awaiting_admin_code');
    // A user's resend within the cooldown is refused at once, as before (never held behind the cooldown).
    const resend = await activities.sendTransferCode({ transferId: id, party: 'admin' }).catch((err: unknown) => err);
    expect(resend).toMatchObject({ type: 'SMS_COOLDOWN', nonRetryable: true });
  });

  it('a code check re-run after it committed (an activity retry, a reset) answers ok for both parties, with one confirmation on the row', async () => {
    const { admin, target, membership, adminC } = await setUp('重复确认');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    const beforeTarget = new Date();
    expect((await adminC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(admin.mobile, before) })).json).toEqual({ step: 'awaiting_target_code' });
    const targetCode = await codeFor(target.mobile, beforeTarget);
    const activities = createAdminTransferActivities({ orm: platform.services.orm, sms: (em) => createSmsSender(platform.config, em) });
    const em = platform.services.orm.em.fork();
    const row = await em.findOneOrFail(AdminTransferSchema, { id });
    // The target's check as its activity runs it, twice (the second as a retry after the first committed): the
    // acceptance leaves the row's status as it was, and the re-run used to be refused as a used code.
    const submissionId = await recordCodeSubmission(em, row, 'target', await em.findOneOrFail(UserSchema, { id: target.id }), targetCode, null);
    expect(await activities.checkTransferCode({ transferId: id, party: 'target', submissionId })).toEqual({ ok: true });
    expect(await activities.checkTransferCode({ transferId: id, party: 'target', submissionId })).toEqual({ ok: true });
    // The administrator's step again: ok, and still one confirmation.
    const [adminSubmission] = await em.find(CodeSubmissionSchema, { subject: `admin-transfer:${id}:admin` }, { orderBy: { createdAt: 'desc' }, limit: 1 });
    expect(await activities.checkTransferCode({ transferId: id, party: 'admin', submissionId: adminSubmission!.id })).toEqual({ ok: true });
    expect(await em.count(AuditEventSchema, { action: 'admin.transfer_confirmed', targetId: id })).toBe(1);
  });

  it('the administrator can cancel a running transfer', async () => {
    const { admin, membership, adminC } = await setUp('取消');
    const { id } = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer;
    const cancelled = await adminC.post('/console/admin-transfer/cancel');
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(cancelled.json.transfer.status).toBe('cancelled');
    // Audited as the administrator's 取消, not 系统's.
    const rows = await platform.services.orm.em.fork().find(AuditEventSchema, { action: 'admin.transfer_cancelled', targetId: id });
    expect(rows.map((r) => [r.actorId, r.actorName])).toEqual([[admin.id, admin.name]]);
  });
  it('an operator reset to the first workflow task after the administrator confirmed: the run adopts the row (no second code to the administrator) and the new administrator completes it', async () => {
    const { admin, target, enterprise, membership, adminC, targetC } = await setUp('重置');
    const before = new Date(Date.now() - 1000);
    const transfer = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer;
    const adminCode = await codeFor(admin.mobile, before);
    const beforeTarget = new Date(Date.now() - 1000);
    expect((await adminC.post(`/admin-transfers/${transfer.id}/confirm`, { code: adminCode })).json).toEqual({ step: 'awaiting_target_code' });
    const targetCode = await codeFor(target.mobile, beforeTarget);

    const handle = platform.temporal.workflow.getHandle(adminTransferWorkflowId(transfer.id));
    const firstTask = (await handle.fetchHistory()).events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
    const beforeReset = new Date();
    await platform.temporal.workflowService.resetWorkflowExecution({
      namespace: platform.config.temporal.namespace,
      workflowExecution: { workflowId: handle.workflowId, runId: (await handle.describe()).runId },
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
      reason: 'operator reset in Temporal UI',
    });
    // The new run agrees with the row: the new administrator's turn, and no new code to the administrator.
    await expect.poll(() => platform.temporal.workflow.getHandle(handle.workflowId).query('step'), { timeout: 5_000 }).toBe('awaiting_target_code');
    expect(await platform.services.orm.em.fork().count('SmsOutboxMessage', { mobile: admin.mobile, createdAt: { $gte: beforeReset } })).toBe(0);
    const accepted = await targetC.post(`/admin-transfers/${transfer.id}/confirm`, { code: targetCode });
    expect([accepted.status, accepted.json]).toEqual([200, { step: 'completed' }]);
    expect((await platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id: transfer.id })).status).toBe('completed');
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(target.id);
  });
});
