// @sqlite-too: one-time confirmation codes and decision rows.
/**
 * v2 contract actions end to end (real API, database, Temporal dev server, worker and activities):
 * 拒签, 撤销, 催办 (rate limit under 10 parallel requests), signing through a step with the 意愿认证
 * code, and the notices / trail events each one leaves; a 拒签 / 撤销 / 催办 Update replayed a day after it was
 * requested changes nothing. Runs on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../domain/errors';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { updateFailureToAppError } from '../../api/http/update-failure';
import { refuseUpdate, revokeUpdate, urgeUpdate } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { chinaDay, urgeContract, URGE_DAILY_CAP } from '../../domain/contracts/urge-contract';
import { createSmsSender } from '../../integrations/sms';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { latestSmsCode } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUser, startTwoStepContract, type SignedInUser } from '../harness/two-step-contract';
import { eventually } from '../harness/workflow-env';

let platform: TestPlatform;
let alice: SignedInUser;
let bob: SignedInUser;
let carol: SignedInUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol] = [await signedInUser(platform, '钱多多'), await signedInUser(platform, '孙悟空'), await signedInUser(platform, '猪八戒')];
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const as = (u: SignedInUser) => u.api;
/** alice starts: bob (step 1, may refuse), carol (step 2). */
const startContract = (title: string) => startTwoStepContract(platform, { initiator: alice, first: bob, second: carol }, title);

const eventTypes = async (contractId: string) => (await em().find(ContractEventSchema, { contractId }, { orderBy: { seq: 'asc' } })).map((e) => e.type);

describe('a 拒签, 撤销 or 催办 replayed long after it was requested (an operator\'s Reset reapplies the run\'s Updates)', () => {
  it('carried out only within REQUEST_VALID_MS of the API accepting it: a day-old one changes nothing (it urged again, voided the contract)', async () => {
    const id = await startContract('重放的决定');
    const participantId = (await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id })).id;
    const handle = platform.temporal.workflow.getHandle(contractWorkflowId(id));
    const dayOld = new Date(Date.now() - 86_400_000).toISOString();
    const codeOf = (p: Promise<unknown>) => p.then(() => 'done', (err: unknown) => updateFailureToAppError(err) as AppError).then((r) => (typeof r === 'string' ? r : r.code));
    expect(await codeOf(handle.executeUpdate(urgeUpdate, { args: [{ actorUserId: alice.id, requestedAt: dayOld }] }))).toBe('REQUEST_EXPIRED');
    expect(await codeOf(handle.executeUpdate(refuseUpdate, { args: [{ participantId, actorUserId: bob.id, reason: '旧的拒签', requestedAt: dayOld }] }))).toBe('REQUEST_EXPIRED');
    expect(await codeOf(handle.executeUpdate(revokeUpdate, { args: [{ actorUserId: alice.id, reason: '旧的撤销', requestedAt: dayOld }] }))).toBe('REQUEST_EXPIRED');
    expect(await em().findOneOrFail(ContractSchema, { id })).toMatchObject({ status: 'in_progress', voidReason: null });
    expect(await em().findOneOrFail(ContractSignerSchema, { id: participantId })).toMatchObject({ status: 'pending', urgeCount: 0 });
    expect(await eventTypes(id)).not.toEqual(expect.arrayContaining(['urged', 'refused', 'revoked']));
    // The same requests made now go through.
    expect(await codeOf(handle.executeUpdate(urgeUpdate, { args: [{ actorUserId: alice.id, requestedAt: new Date().toISOString() }] }))).toBe('done');
    expect((await as(alice).post(`/contracts/${id}/revoke`, { reason: '现在撤销' })).status).toBe(200);
  });
});

describe('v2 contract actions', () => {
  it('拒签: bob refuses with a reason → 已作废（拒签）, his participant refused, trail + notices; carol cannot refuse', async () => {
    const id = await startContract('拒签合同');
    const notAllowed = await as(carol).post(`/contracts/${id}/refuse`, { reason: '不签' });
    expect(notAllowed.status).toBeGreaterThanOrEqual(400);
    expect(notAllowed.status).toBeLessThan(500);
    const empty = await as(bob).post(`/contracts/${id}/refuse`, { reason: '  ' });
    expect(empty.status).toBe(400);
    const r = await as(bob).post(`/contracts/${id}/refuse`, { reason: '金额不对' });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'voided', voidReason: 'refused', voidNote: '金额不对' });
    const me = await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id });
    expect(me).toMatchObject({ status: 'refused', refusalReason: '金额不对' });
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(['created', 'step_started', 'refused']));
    await eventually(async () => (await em().count(NotificationSchema, { userId: alice.id, kind: 'contract.voided' })) > 0, 15_000, 'initiator notified of the refusal');
  });

  it('撤销: only the initiator, with a reason → 已作废（撤销）; a second revocation is refused', async () => {
    const id = await startContract('撤销合同');
    const byBob = await as(bob).post(`/contracts/${id}/revoke`, { reason: '我想撤' });
    expect(byBob.status).toBe(403);
    const r = await as(alice).post(`/contracts/${id}/revoke`, { reason: '条款需修改' });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'voided', voidReason: 'revoked', voidNote: '条款需修改' });
    const again = await as(alice).post(`/contracts/${id}/revoke`, { reason: '再撤一次' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(await eventTypes(id)).toContain('revoked');
  });

  it('the same 拒签 / 撤销 sent 5 times at once without an Idempotency-Key (a double click): all 5 answered as the one that ended the contract, applied once; another reason at once is refused', async () => {
    const refused = await startContract('并发拒签');
    const refusals = await Promise.all(Array.from({ length: 5 }, () => as(bob).post(`/contracts/${refused}/refuse`, { reason: '金额不对' })));
    expect(refusals.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of refusals) expect(r.json).toMatchObject({ status: 'voided', voidReason: 'refused', voidNote: '金额不对' });
    expect((await eventTypes(refused)).filter((t) => t === 'refused')).toHaveLength(1);

    const revoked = await startContract('并发撤销');
    const [other, ...same] = await Promise.all([as(alice).post(`/contracts/${revoked}/revoke`, { reason: '另一个原因' }), ...Array.from({ length: 5 }, () => as(alice).post(`/contracts/${revoked}/revoke`, { reason: '条款需修改' }))]);
    const winner = [other!, ...same].find((r) => r.status === 200)!;
    const winningReason = winner.json.voidNote as string;
    // Every copy of the winning request answers 200; a request with another reason is refused, not told it succeeded.
    for (const r of [other!, ...same]) {
      const sentReason = r === other ? '另一个原因' : '条款需修改';
      expect(r.status, JSON.stringify(r.json)).toBe(sentReason === winningReason ? 200 : 422);
    }
    expect((await eventTypes(revoked)).filter((t) => t === 'revoked')).toHaveLength(1);
  });

  it('催办: 10 parallel urges of one participant → exactly 1 accepted (one urged event, one SMS), the rest skipped as urged recently', async () => {
    const id = await startContract('催办合同');
    const byBob = await as(bob).post(`/contracts/${id}/urge`, {});
    expect(byBob.status).toBe(403);
    // Another contract's participant is no one to urge here: said (400), not skipped in silence.
    const otherId = await startContract('别的合同');
    const otherParticipant = await em().findOneOrFail(ContractSignerSchema, { contractId: otherId, userId: bob.id });
    const foreign = await as(alice).post(`/contracts/${id}/urge`, { participantIds: [otherParticipant.id] });
    expect([foreign.status, foreign.json.error.code]).toEqual([400, 'PARTICIPANT_NOT_FOUND']);
    const results = await Promise.all(Array.from({ length: 10 }, () => as(alice).post(`/contracts/${id}/urge`, {})));
    for (const r of results) expect(r.status, JSON.stringify(r.json)).toBe(200);
    const accepted = results.filter((r) => (r.json.urged as string[]).length === 1);
    expect(accepted).toHaveLength(1);
    for (const r of results.filter((x) => x !== accepted[0])) expect(r.json.skipped).toEqual([expect.objectContaining({ name: bob.name, reason: 'URGED_RECENTLY' })]);
    expect((await eventTypes(id)).filter((t) => t === 'urged')).toHaveLength(1);
    const signer = await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id });
    expect(signer.urgeCount).toBe(1);
    expect(await em().count(NotificationSchema, { userId: bob.id, kind: 'contract.urged' })).toBeGreaterThanOrEqual(1);
    // Batch: per-contract outcome.
    const batch = await as(alice).post('/contracts/urge', { ids: [id, '00000000-0000-4000-8000-000000000000'] });
    expect(batch.status, JSON.stringify(batch.json)).toBe(200);
    expect(batch.json.results[0]).toMatchObject({ id, urged: [], skipped: [expect.objectContaining({ reason: 'URGED_RECENTLY' })] });
    expect(batch.json.results[1]).toMatchObject({ error: { code: 'CONTRACT_NOT_FOUND' } });
  });

  it('signs step 1 with the 意愿认证 code: step 2 starts (carol pending and notified); carol cannot sign before', async () => {
    const id = await startContract('分步签署');
    const early = await as(carol).post(`/contracts/${id}/sms-code`, {});
    expect(early.status).toBeGreaterThanOrEqual(400);
    expect(early.status).toBeLessThan(500);
    const sent = await as(bob).post(`/contracts/${id}/sms-code`, {});
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const signed = await as(bob).post(`/contracts/${id}/sign`, { code: await latestSmsCode(platform.services, bob.mobile) });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    const carolRow = await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: carol.id });
    expect(carolRow.status).toBe('pending');
    await eventually(async () => (await em().count(NotificationSchema, { userId: carol.id, kind: 'contract.to_sign' })) > 0, 15_000, 'carol notified that step 2 started');
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(['sms_code_sent', 'willingness_confirmed', 'signed', 'step_started']));
  });
  it('催办 budget: ≥ 1 h apart, at most 3 per China day, a new China day starts afresh (domain rule with a clock)', async () => {
    const id = await startContract('催办额度');
    const deps = { em: em(), sms: (e: ReturnType<typeof em>) => createSmsSender(platform.config, e) };
    const urge = (at: Date) => urgeContract({ ...deps, em: em() }, { contractId: id, actorUserId: alice.id }, at);
    // 01:00 China time tomorrow (UTC+8: the China day D starts at D-1 16:00Z); the contract expires in 30 days by default.
    const t0 = new Date(Date.parse(`${chinaDay(new Date(Date.now() + 24 * 3600_000))}T00:00:00Z`) - 7 * 3600_000);
    const day = chinaDay(t0);
    const outcomes = [];
    for (let i = 0; i < URGE_DAILY_CAP + 1; i++) outcomes.push(await urge(new Date(t0.getTime() + i * 61 * 60_000)));
    expect(outcomes.slice(0, URGE_DAILY_CAP).map((o) => o.urged)).toEqual(Array.from({ length: URGE_DAILY_CAP }, () => [bob.name]));
    // The 4th, over an hour later but the same China day (04:03): the daily cap.
    expect(chinaDay(new Date(t0.getTime() + URGE_DAILY_CAP * 61 * 60_000))).toBe(day);
    expect(outcomes[URGE_DAILY_CAP]!.skipped).toEqual([expect.objectContaining({ reason: 'DAILY_LIMIT' })]);
    const tooSoon = await urge(new Date(t0.getTime() + (URGE_DAILY_CAP * 61 + 10) * 60_000));
    expect(tooSoon.urged).toEqual([]);
    // The next China day: the budget starts again.
    const nextDay = new Date(Date.parse(`${day}T16:00:00Z`) + 24 * 3600_000 + 60_000);
    expect((await urge(nextDay)).urged).toEqual([bob.name]);
    const row = await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id });
    expect(row).toMatchObject({ urgeCount: 1, urgeDay: chinaDay(nextDay) });
  });
});
