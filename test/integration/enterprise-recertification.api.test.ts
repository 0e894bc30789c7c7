/**
 * 信息管理 and re-certification end to end through the HTTP API (real database, real Temporal dev
 * server, real worker and activities): contact edit with version; 变更企业名称 → 提交重新认证 with a
 * letter upload → operator rejects → resubmission without a new letter → approval (new name, new
 * seals, standing normal); abandon; the point of no return; another enterprise's change 404; non-admin
 * 403; cancel in Temporal UI leaves the row ended and the enterprise consistent; a terminated
 * workflow is restarted by the reconciler (and by the next Update); a lapsed change → 开始重新认证
 * (change n+1) approved; two parallel renames → one 201, one 409; 变更法人; an operator's Reset in Temporal UI
 * with the default reapply (the accepted Updates delivered again to the new run) changes nothing: a replayed submission
 * or decision is recognised by the submission it names.
 */
import { temporalRecertificationWorkflows } from '../../activities/reconcile-activities';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../domain/audit/audit-actions';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { EnterpriseChangeSchema } from '../../domain/enterprises/enterprise-change.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { UserSchema } from '../../domain/identity/user.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { contractReconcileWorkflow, type ReconcileInput } from '../../workflows/contract-reconcile';
import { recertificationStatusQuery } from '../../workflows/enterprise-recertification-api';
import { recertificationWorkflowId, SA_ENTERPRISE_ID } from '../../workflows/search-attributes';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { addSealCertificate } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startApiWithoutTemporal } from '../harness/unreachable-temporal';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';
import { resetToFirstWorkflowTask } from '../harness/workflow-reset';

let platform: TestPlatform;
let operator: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  operator = new ApiClient(platform.baseUrl);
  await operator.login((await createUser(platform.services, '审核员', 'operator')).mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

async function loginAs(user: { mobile: string }, enterpriseId: string | null) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  if (enterpriseId) expect((await c.post('/auth/acting', { enterpriseId })).status).toBe(200);
  return c;
}

/** A certified enterprise (公章 + 合同专用章) with its administrator and a plain member, logged in and acting for it. */
async function enterprise(label: string) {
  const s = platform.services;
  const admin = await createUser(s, `${label}管理员`);
  const member = await createUser(s, `${label}成员`);
  const e = await createCertifiedEnterprise(s, admin, `${label}有限公司`);
  await addMember(s, e.id, admin, member, 'member');
  return { id: e.id, uscc: e.uscc, name: e.name, adminId: admin.id, admin: await loginAs(admin, e.id), member: await loginAs(member, e.id) };
}

async function submitForm(fields: Record<string, string>, withLetter = true) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (withLetter) form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), '授权书.pdf');
  return form;
}

const handleOf = (enterpriseId: string, seq: number) => platform.temporal.workflow.getHandle(recertificationWorkflowId(enterpriseId, seq));
const changeRow = (id: string) => em().findOneOrFail(EnterpriseChangeSchema, { id });
const enterpriseRow = (id: string) => em().findOneOrFail(EnterpriseSchema, { id });
/** The inputs of the activities of this type the workflow scheduled (decoded JSON payloads). */
async function scheduledInputs(enterpriseId: string, seq: number, activityType: string): Promise<unknown[]> {
  const history = await handleOf(enterpriseId, seq).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a?.activityType?.name === activityType)
    .map((a) => JSON.parse(new TextDecoder().decode(a!.input!.payloads![0]!.data!)));
}

/** How many authorisation letters are stored for this user. */
async function storedLetters(userId: string) {
  let n = 0;
  for await (const entry of platform.services.store.list(`letters/${userId}/`)) if (!entry.partial) n++;
  return n;
}
const liveSeals = (enterpriseId: string) => em().find(SealSchema, { enterpriseId, status: { $ne: 'voided' } }, { orderBy: { type: 'asc' } });

/** One reconcile pass with the real activities, as the Schedule runs it (without its grace period). */
const reconcile = (input: ReconcileInput) =>
  platform.temporal.workflow.execute(contractReconcileWorkflow, { taskQueue: platform.config.temporal.taskQueue, workflowId: `reconcile-test-${randomUUID()}`, args: [input] });

describe('信息管理 and re-certification API', () => {
  it('shows the information to the console; contact details change with the version (stale → 409); members get 403', async () => {
    const e = await enterprise('联系');
    const info = await e.admin.get('/console/enterprise-info');
    expect(info.status, JSON.stringify(info.json)).toBe(200);
    expect(info.json).toMatchObject({ id: e.id, name: e.name, uscc: e.uscc, standing: 'normal', openChange: null });
    const patched = await e.admin.request('PATCH', '/console/enterprise-info', { contactName: '王五', contactEmail: 'wang@example.com', version: info.json.version });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    expect(patched.json).toMatchObject({ contactName: '王五', contactEmail: 'wang@example.com' });
    const stale = await e.admin.request('PATCH', '/console/enterprise-info', { contactName: '赵六', version: info.json.version });
    expect(stale.status).toBe(409);
    const bad = await e.admin.request('PATCH', '/console/enterprise-info', { contactEmail: 'not-an-email', version: patched.json.version });
    expect([bad.status, bad.json.error.message]).toEqual([400, '联系邮箱格式不正确']);
    expect((await e.member.get('/console/enterprise-info')).status).toBe(403);
    expect((await e.member.request('PATCH', '/console/enterprise-info', { contactName: 'x', version: 1 })).status).toBe(403);
    expect((await e.member.post('/console/enterprise-changes/rename', { newName: '成员改名有限公司' })).status).toBe(403);
  });

  it('rename → submit with letter → reject → resubmit keeping the letter → approve: new name, new seals, standing normal', async () => {
    const e = await enterprise('改名');
    const sealsBefore = await liveSeals(e.id);
    expect(sealsBefore.length).toBeGreaterThan(0);
    const certificate = await addSealCertificate(platform.services, sealsBefore[0]!, new Date(), 300);

    const bad = await e.admin.post('/console/enterprise-changes/rename', { newName: '' });
    expect([bad.status, bad.json.error.message]).toEqual([400, '请输入企业名称']);
    const started = await e.admin.post('/console/enterprise-changes/rename', { newName: '改名后新有限公司' });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const change = started.json;
    expect(change).toMatchObject({ status: 'drafting', seq: 1, oldValue: e.name, newValue: '改名后新有限公司', workflowId: recertificationWorkflowId(e.id, 1) });
    const described = await handleOf(e.id, 1).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(SA_ENTERPRISE_ID)).toBe(e.id);
    expect((await enterpriseRow(e.id)).standing).toBe('recertifying');
    const mine = await e.admin.get('/my/enterprises');
    expect(mine.json.certified.find((x: { id: string }) => x.id === e.id)).toMatchObject({ standing: 'recertifying', openChange: { id: change.id, status: 'drafting', newValue: '改名后新有限公司' } });
    // Nothing is voided before the submission; the console shows what the submission would void.
    expect((await liveSeals(e.id)).length).toBe(sealsBefore.length);
    expect((await e.admin.get('/console/enterprise-info')).json.impact).toEqual({ seals: sealsBefore.length, authorizations: 0, certificates: 1 });

    const lettersBefore = await storedLetters(e.adminId);
    const wrongUscc = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '改名后新有限公司', uscc: '91350100M000100Y43' }));
    expect([wrongUscc.status, wrongUscc.json.error.code, wrongUscc.json.error.message]).toEqual([422, 'USCC_MISMATCH', '统一社会信用代码与本企业登记的不一致']);
    const noLetter = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '改名后新有限公司', uscc: e.uscc }, false));
    expect([noLetter.status, noLetter.json.error.code]).toEqual([422, 'LETTER_REQUIRED']);
    expect((await changeRow(change.id)).status).toBe('drafting');
    expect(await storedLetters(e.adminId)).toBe(lettersBefore); // the refused submission's letter was removed

    const submitted = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '改名后新有限公司', uscc: e.uscc }));
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
    expect(submitted.json).toMatchObject({ status: 'under_review', hasLetter: true, deadlineAt: null });
    expect(await storedLetters(e.adminId)).toBe(lettersBefore + 1);
    expect(await liveSeals(e.id)).toEqual([]);
    expect((await em().findOneOrFail(SigningCertificateSchema, { id: certificate.id })).status).toBe('revoked');
    // After the submission the workflow pushes exactly the certificates it revoked to the CA.
    expect(await eventually(async () => (await scheduledInputs(e.id, 1, 'pushRevocations')).length > 0, 15_000, 'revocation push')).toBe(true);
    expect(await scheduledInputs(e.id, 1, 'pushRevocations')).toEqual([{ certificateIds: [certificate.id] }]);
    const abandon = await e.admin.post(`/console/enterprise-changes/${change.id}/abandon`, {});
    expect([abandon.status, abandon.json.error.code]).toEqual([409, 'RECERTIFICATION_SUBMITTED']);

    const queue = await operator.get(`/admin/recertifications?filter=${encodeURIComponent(JSON.stringify({ status: 'under_review', q: '改名后新' }))}`);
    expect(queue.status).toBe(200);
    expect(queue.json.map((r: { id: string }) => r.id)).toContain(change.id);
    expect(queue.headers.get('content-range')).toMatch(/^admin\/recertifications 0-\d+\/\d+$/);
    const shown = await operator.get(`/admin/recertifications/${change.id}`);
    expect(shown.json).toMatchObject({ id: change.id, enterpriseName: e.name, enterpriseUscc: e.uscc, uscc: e.uscc, status: 'under_review', letterUrl: `/api/admin/recertifications/${change.id}/letter` });
    const letter = await operator.get(`/admin/recertifications/${change.id}/letter`);
    expect([letter.status, letter.headers.get('content-type'), new TextDecoder().decode(letter.bytes.slice(0, 5))]).toEqual([200, 'application/pdf', '%PDF-']);
    expect((await e.admin.get(`/admin/recertifications/${change.id}`)).status).toBe(403);

    const noReason = await operator.post(`/admin/recertifications/${change.id}/reject`, {});
    expect([noReason.status, noReason.json.error.message]).toEqual([400, '请填写驳回原因']);
    const rejected = await operator.post(`/admin/recertifications/${change.id}/reject`, { reason: '授权书未盖公章' });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
    expect(rejected.json).toMatchObject({ status: 'rejected', rejectReason: '授权书未盖公章', deadlineAt: expect.any(String) });
    expect((await operator.post(`/admin/recertifications/${change.id}/approve`, {})).status).toBe(409);

    const resubmitted = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '改名后新有限公司', uscc: e.uscc.toLowerCase() }, false));
    expect(resubmitted.status, JSON.stringify(resubmitted.json)).toBe(200);
    expect(resubmitted.json.status).toBe('under_review');

    const approved = await operator.post(`/admin/recertifications/${change.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', reviewedByName: '审核员' });
    expect(await handleOf(e.id, 1).result()).toMatchObject({ status: 'approved' });
    // Once approved, the workflow draws the new seals (the images carry the new name).
    expect(await scheduledInputs(e.id, 1, 'drawRecertifiedSeals')).toEqual([{ sealIds: expect.arrayContaining((await liveSeals(e.id)).map((x) => x.id)) }]);
    expect((await liveSeals(e.id)).every((x) => !!x.imageKey)).toBe(true);
    const renamed = await enterpriseRow(e.id);
    expect([renamed.name, renamed.standing]).toEqual(['改名后新有限公司', 'normal']);
    const sealsAfter = await liveSeals(e.id);
    expect(sealsAfter.map((s) => s.type)).toEqual(sealsBefore.map((s) => s.type));
    expect(sealsAfter.every((s) => s.status === 'active' && !sealsBefore.some((b) => b.id === s.id))).toBe(true);
    expect((await e.admin.get('/console/enterprise-info')).json).toMatchObject({ name: '改名后新有限公司', standing: 'normal', openChange: null });
    const actions = (await em().find(AuditEventSchema, { enterpriseId: e.id }, { orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['enterprise.rename_started', 'enterprise.recertification_submitted', 'enterprise.recertification_rejected', 'enterprise.recertification_approved', 'seal.voided']));
  });

  it('放弃变更 restores the enterprise; another enterprise’s change is 404; a second rename while one is open is 409', async () => {
    const e = await enterprise('放弃');
    const other = await enterprise('他家');
    const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '放弃后不用有限公司' })).json;
    expect((await other.admin.post(`/console/enterprise-changes/${change.id}/abandon`, {})).status).toBe(404);
    expect((await other.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: 'x有限公司', uscc: other.uscc }))).status).toBe(404);
    const second = await e.admin.post('/console/enterprise-changes/rename', { newName: '再来一次有限公司' });
    expect(second.status).toBe(409);
    expect(second.json.error.messageEn).toBeTruthy();
    const abandoned = await e.admin.post(`/console/enterprise-changes/${change.id}/abandon`, {});
    expect(abandoned.status, JSON.stringify(abandoned.json)).toBe(200);
    expect(abandoned.json).toMatchObject({ status: 'abandoned' });
    expect(await handleOf(e.id, 1).result()).toMatchObject({ status: 'abandoned' });
    const row = await enterpriseRow(e.id);
    expect([row.name, row.standing]).toEqual([e.name, 'normal']);
    expect((await e.admin.post(`/console/enterprise-changes/${change.id}/abandon`, {})).status).toBe(409);
  });

  it('cancel in Temporal UI: the platform ends the draft (abandoned), the enterprise is normal again', async () => {
    const e = await enterprise('取消');
    const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '取消后有限公司' })).json;
    const handle = handleOf(e.id, 1);
    // What the reconciler reads of a closed run (a Cancel whose clean-up failed is ended, not restarted): no Cancel yet.
    const workflows = temporalRecertificationWorkflows(platform.temporal, platform.config.temporal.taskQueue);
    expect(await workflows.cancelRequested(await changeRow(change.id))).toBe(false);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect(await workflows.cancelRequested(await changeRow(change.id))).toBe(true);
    const row = await changeRow(change.id);
    expect([row.status, row.endReason, row.liveKey]).toEqual(['abandoned', 'cancelled_by_platform', null]);
    expect((await enterpriseRow(e.id)).standing).toBe('normal');
    expect((await e.admin.post('/console/enterprise-changes/rename', { newName: '取消后再改有限公司' })).status).toBe(201);
  });

  it('terminated in Temporal UI: the reconciler starts the workflow again; the next Update also does', async () => {
    const e = await enterprise('终止');
    const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '终止后有限公司' })).json;
    const handle = handleOf(e.id, 1);
    await handle.terminate('operator pressed Terminate');
    expect((await changeRow(change.id)).status).toBe('drafting'); // what Terminate leaves

    const result = await reconcile({ recertifications: { startGraceMs: 0 } });
    expect(result.recertifications?.restarted).toContainEqual({ changeId: change.id, status: 'drafting', cause: 'workflow_closed' });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const again = await reconcile({ recertifications: { startGraceMs: 0 } });
    expect(again.recertifications?.restarted.map((r) => r.changeId)).not.toContain(change.id);

    await handleOf(e.id, 1).terminate('and once more');
    const submitted = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '终止后有限公司', uscc: e.uscc }));
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
    expect(submitted.json.status).toBe('under_review');
    expect((await operator.post(`/admin/recertifications/${change.id}/approve`, {})).json.status).toBe('approved');
  });

  it('a rejected change past its resubmission deadline lapses; 开始重新认证 opens change 2 (no abandon), which is approved', async () => {
    const e = await enterprise('失效');
    const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '失效后有限公司' })).json;
    await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '失效后有限公司', uscc: e.uscc }));
    await operator.post(`/admin/recertifications/${change.id}/reject`, { reason: '名称不规范' });
    expect((await e.admin.post('/console/enterprise-changes/restart', {})).status).toBe(409); // still open
    // The deadline passes while no workflow runs (terminated); the restarted run expires it from the row's deadlineAt.
    await handleOf(e.id, 1).terminate('deadline test');
    await em().nativeUpdate(EnterpriseChangeSchema, { id: change.id }, { deadlineAt: new Date(Date.now() - 1000) });
    await reconcile({ recertifications: { startGraceMs: 0 } });
    expect(await handleOf(e.id, 1).result()).toMatchObject({ status: 'lapsed' });
    const lapsed = await changeRow(change.id);
    expect([lapsed.status, lapsed.liveKey]).toEqual(['lapsed', null]);
    expect((await enterpriseRow(e.id)).standing).toBe('recertifying');

    const restarted = await e.admin.post('/console/enterprise-changes/restart', {});
    expect(restarted.status, JSON.stringify(restarted.json)).toBe(201);
    expect(restarted.json).toMatchObject({ seq: 2, status: 'awaiting_submission', workflowId: recertificationWorkflowId(e.id, 2) });
    const next = restarted.json.id as string;
    expect((await e.admin.post(`/console/enterprise-changes/${next}/abandon`, {})).status).toBe(409);
    const submitted = await e.admin.post(`/console/enterprise-changes/${next}/submit`, await submitForm({ name: '第二次有限公司', uscc: e.uscc }));
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
    expect((await operator.post(`/admin/recertifications/${next}/approve`, {})).json.status).toBe('approved');
    const row = await enterpriseRow(e.id);
    expect([row.name, row.standing]).toEqual(['第二次有限公司', 'normal']);
  });

  it('Temporal unreachable at 变更企业名称: 503 with Retry-After, the draft is abandoned again and the enterprise stays normal', async () => {
    const e = await enterprise('断连');
    const withoutTemporal = await startApiWithoutTemporal(platform.services);
    try {
      const c = new ApiClient(withoutTemporal.baseUrl);
      await c.login((await em().findOneOrFail(UserSchema, { id: e.adminId })).mobile, TEST_PASSWORD);
      await c.post('/auth/acting', { enterpriseId: e.id });
      const down = await c.post('/console/enterprise-changes/rename', { newName: '断连后有限公司' });
      expect([down.status, down.headers.get('retry-after'), down.json.error.code]).toEqual([503, '5', 'WORKFLOW_START_FAILED']);
    } finally {
      await withoutTemporal.close();
    }
    const [row] = await em().find(EnterpriseChangeSchema, { enterpriseId: e.id });
    expect([row!.status, row!.liveKey]).toEqual(['abandoned', null]);
    expect((await enterpriseRow(e.id)).standing).toBe('normal');
    expect((await e.admin.post('/console/enterprise-changes/rename', { newName: '恢复后有限公司' })).status).toBe(201);
  });

  it('two parallel renames of one enterprise: exactly one 201, the other 409', async () => {
    const e = await enterprise('并发');
    const [a, b] = await Promise.all([
      e.admin.post('/console/enterprise-changes/rename', { newName: '并发甲有限公司' }),
      e.admin.post('/console/enterprise-changes/rename', { newName: '并发乙有限公司' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await em().count(EnterpriseChangeSchema, { enterpriseId: e.id })).toBe(1);
    const winner = (a.status === 201 ? a : b).json;
    expect((await handleOf(e.id, winner.seq).describe()).status.name).toBe('RUNNING');
    await e.admin.post(`/console/enterprise-changes/${winner.id}/abandon`, {});
  });

  it('变更法人 voids only the 法定代表人章 (none here: nothing voided), records a completed change, and is refused while recertifying', async () => {
    const e = await enterprise('法人');
    const changed = await e.admin.post('/console/enterprise-changes/legal-representative', { legalRepresentative: '新法人' });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    expect(changed.json).toMatchObject({ kind: 'legal_representative', status: 'completed', newValue: '新法人', workflowId: null });
    expect((await enterpriseRow(e.id)).legalRepresentative).toBe('新法人');
    expect((await liveSeals(e.id)).length).toBeGreaterThan(0);
    expect((await e.member.post('/console/enterprise-changes/legal-representative', { legalRepresentative: '别人' })).status).toBe(403);
    await e.admin.post('/console/enterprise-changes/rename', { newName: '法人后改名有限公司' });
    expect((await e.admin.post('/console/enterprise-changes/legal-representative', { legalRepresentative: '再换' })).status).toBe(409);
  });

  describe('an operator Reset in Temporal UI to the first workflow task, with the default reapply', () => {
    const audits = async (enterpriseId: string, action: AuditAction) => em().count(AuditEventSchema, { enterpriseId, action });
    const rejectionNotices = (userId: string) => em().count(NotificationSchema, { userId, kind: 'enterprise.recertification_rejected' });
    /** Resets the change's workflow and waits until the new run has answered the `updates` Updates delivered to it again. */
    async function resetAndReplay(enterpriseId: string, updates: number) {
      const { handle, newRunId } = await resetToFirstWorkflowTask(platform.temporal, recertificationWorkflowId(enterpriseId, 1));
      expect(newRunId).toBeTruthy();
      const run = platform.temporal.workflow.getHandle(handle.workflowId, newRunId);
      await eventually(async () => ((await run.fetchHistory()).events ?? []).filter((ev) => ev.workflowExecutionUpdateCompletedEventAttributes).length >= updates, 20_000, 'the reapplied Updates answered');
      return run;
    }
    const reject = async (changeId: string, reason: string) => {
      const shown = await operator.get(`/admin/recertifications/${changeId}`);
      return operator.post(`/admin/recertifications/${changeId}/reject`, { reason, submissionId: shown.json.submissionId });
    };

    it('while the change is rejected: the old submission and rejection change nothing (one audit row each, one 未通过 notice, the deadline kept)', async () => {
      const e = await enterprise('重置驳回');
      const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '重置驳回后有限公司' })).json;
      expect((await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '重置驳回后有限公司', uscc: e.uscc }))).status).toBe(200);
      const rejected = await reject(change.id, '授权书模糊');
      expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
      const before = await changeRow(change.id);
      expect(before.deadlineAt).not.toBeNull();

      const run = await resetAndReplay(e.id, 2);
      const after = await changeRow(change.id);
      expect([after.status, after.deadlineAt?.toISOString(), after.rejectReason, after.reviewedBy]).toEqual(['rejected', before.deadlineAt!.toISOString(), '授权书模糊', before.reviewedBy]);
      expect(await audits(e.id, 'enterprise.recertification_submitted')).toBe(1);
      expect(await audits(e.id, 'enterprise.recertification_rejected')).toBe(1);
      expect(await rejectionNotices(e.adminId)).toBe(1);
      expect(await run.query(recertificationStatusQuery)).toMatchObject({ status: 'rejected', deadlineAt: before.deadlineAt!.toISOString() });

      // The administrator's own resubmission is taken by the new run, and approved.
      const resubmitted = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '重置驳回后有限公司', uscc: e.uscc }, false));
      expect(resubmitted.status, JSON.stringify(resubmitted.json)).toBe(200);
      const shown = (await operator.get(`/admin/recertifications/${change.id}`)).json;
      const approved = await operator.post(`/admin/recertifications/${change.id}/approve`, { submissionId: shown.submissionId });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      expect(await run.result()).toMatchObject({ status: 'approved' });
      expect(await audits(e.id, 'enterprise.recertification_submitted')).toBe(2);
    });

    it('after a resubmission (under review): the old rejection does not reject the new submission, which stays under review for the operator', async () => {
      const e = await enterprise('重置重提');
      const change = (await e.admin.post('/console/enterprise-changes/rename', { newName: '重置重提后有限公司' })).json;
      expect((await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '重置重提后有限公司', uscc: e.uscc }))).status).toBe(200);
      const firstSubmission = (await operator.get(`/admin/recertifications/${change.id}`)).json.submissionId;
      expect((await reject(change.id, '名称不规范')).status).toBe(200);
      const resubmitted = await e.admin.post(`/console/enterprise-changes/${change.id}/submit`, await submitForm({ name: '重置重提后有限公司', uscc: e.uscc }, false));
      expect(resubmitted.status, JSON.stringify(resubmitted.json)).toBe(200);
      const before = await changeRow(change.id);

      const run = await resetAndReplay(e.id, 3);
      const after = await changeRow(change.id);
      expect([after.status, after.deadlineAt, after.rejectReason, after.submittedAt?.toISOString()]).toEqual(['under_review', null, null, before.submittedAt?.toISOString()]);
      expect(await audits(e.id, 'enterprise.recertification_submitted')).toBe(2);
      expect(await audits(e.id, 'enterprise.recertification_rejected')).toBe(1);
      expect(await rejectionNotices(e.adminId)).toBe(1);
      expect(await run.query(recertificationStatusQuery)).toMatchObject({ status: 'under_review' });

      // A console still showing the first submission cannot decide the second one.
      const stale = await operator.post(`/admin/recertifications/${change.id}/reject`, { reason: '旧页面', submissionId: firstSubmission });
      expect([stale.status, stale.json.error?.code]).toEqual([409, 'RECERTIFICATION_SUBMISSION_SUPERSEDED']);
      expect(stale.json.error.messageEn).toBeTruthy();
      const shown = (await operator.get(`/admin/recertifications/${change.id}`)).json;
      expect(shown.submissionId).not.toBe(firstSubmission);
      const approved = await operator.post(`/admin/recertifications/${change.id}/approve`, { submissionId: shown.submissionId });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      expect(await run.result()).toMatchObject({ status: 'approved' });
      expect((await enterpriseRow(e.id)).name).toBe('重置重提后有限公司');
    });
  });
});
