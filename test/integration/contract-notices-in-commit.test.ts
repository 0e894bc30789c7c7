// @sqlite-too: notices written in the signature's transaction, rolled back with it.
/**
 * With the embedded SMS outbox (a sender that writes rows), the notices a signature leads to — the
 * next step's 待签署 (站内消息 + SMS) and, for the last one, 已完成 — are written in the signature's own
 * transaction (apply-signature-v2.ts `notifyInCommit`): they commit with it, exactly once, and roll
 * back with it; and each notice goes out once per contract, however often or in parallel it is sent.
 * Straight through the domain on the run's database (SQLite or MariaDB).
 */
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applySignature, type ApplySignatureDeps } from '../../domain/contracts/apply-signature';
import { loadContract } from '../../domain/contracts/contract-access';
import { notifyContractEvent, writeContractNotices, type ContractNotice, type NoticeRows } from '../../domain/contracts/contract-notifications';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { startContractThroughDomain } from '../harness/domain-contracts';
import { willingnessConfirmation } from '../harness/enterprise-contract';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const sms = (e: EntityManager) => createSmsSender(platform.config, e);

/** The lifecycle activity's deps with notices in the commit; `failAfterNotices` makes the commit fail once they are written. */
function deps(failAfterNotices = false): ApplySignatureDeps {
  return {
    em: em(),
    store: platform.services.store,
    ca: platform.services.ca,
    masterKey: platform.config.masterKey,
    notify: async () => {
      throw new Error('notices are written in the commit, not after it');
    },
    notifyInCommit: async (tx: EntityManager, notice: ContractNotice, rows: NoticeRows) => {
      await writeContractNotices({ sms }, tx, notice, rows, new Date());
      if (failAfterNotices) throw new Error('the commit fails after the notices were written');
    },
  };
}

async function twoStepContract() {
  const [initiator, a, b] = [await createUser(platform.services, '冯通知'), await createUser(platform.services, '张通知'), await createUser(platform.services, '李通知')];
  const started = await startContractThroughDomain(platform, initiator, {
    title: '通知随签署提交',
    participants: [
      { kind: 'person', step: 1, mobile: a.mobile, name: a.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] },
      { kind: 'person', step: 2, mobile: b.mobile, name: b.name, marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
    ],
  }, await makePdf(1));
  const { signers } = (await loadContract(em(), started.id))!;
  return { id: started.id, initiator, a, b, pa: signers[0]!.id, pb: signers[1]!.id };
}

const noticesOf = async (userId: string, kind: string) => em().count(NotificationSchema, { userId, kind });
const smsTo = async (mobile: string) => em().count(SmsOutboxMessageSchema, { mobile, purpose: 'contract_to_sign' });

it('the outbox sender is transactional; a gateway is not', () => {
  expect(sms(em()).transactional).toBe(true);
  expect(createSmsSender({ smsProvider: 'http', sms: { provider: 'http', url: 'http://127.0.0.1:9/sms', secret: 's'.repeat(32), attempts: 1, timeoutMs: 100 } } as never, em()).transactional).toBeFalsy();
});

it('a signature and the notices it leads to commit together, once; a retried request writes none again', async () => {
  const c = await twoStepContract();
  const input = { contractId: c.id, participantId: c.pa, actorUserId: c.a.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.pa, c.a.id) };
  const first = await applySignature(deps(), input);
  expect(first).toMatchObject({ stepAdvanced: 2, completed: false, notified: true });
  expect(await noticesOf(c.b.id, 'contract.to_sign')).toBe(1);
  expect(await smsTo(c.b.mobile)).toBe(1);

  // The same request again (a retried attempt that finds its commit): the same answer, still notified, nothing written twice.
  expect(await applySignature(deps(), input)).toEqual(first);
  expect(await noticesOf(c.b.id, 'contract.to_sign')).toBe(1);
  expect(await smsTo(c.b.mobile)).toBe(1);

  const last = await applySignature(deps(), { contractId: c.id, participantId: c.pb, actorUserId: c.b.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.pb, c.b.id) });
  expect(last).toMatchObject({ completed: true, closed: true, notified: true });
  for (const user of [c.initiator, c.a, c.b]) expect(await noticesOf(user.id, 'contract.completed')).toBe(1);
});

it('a commit that fails after writing the notices keeps neither the signature nor the notices; the retry writes them once', async () => {
  const c = await twoStepContract();
  const input = { contractId: c.id, participantId: c.pa, actorUserId: c.a.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.pa, c.a.id) };
  await expect(applySignature(deps(true), input)).rejects.toThrow(/after the notices/);
  const after = (await loadContract(em(), c.id))!;
  expect(after.contract.documentVersion).toBe(0);
  expect(after.signers.map((s) => s.status)).toEqual(['pending', 'waiting']);
  expect(await noticesOf(c.b.id, 'contract.to_sign')).toBe(0);
  expect(await smsTo(c.b.mobile)).toBe(0);

  expect(await applySignature(deps(), input)).toMatchObject({ stepAdvanced: 2, notified: true });
  expect(await noticesOf(c.b.id, 'contract.to_sign')).toBe(1);
  expect(await smsTo(c.b.mobile)).toBe(1);
});

it('each notice is sent once per contract: sent again (a notify activity retried after its answer was lost, a run replayed after a reset) or 8 times in parallel, it writes nothing more', async () => {
  const c = await twoStepContract();
  await applySignature(deps(), { contractId: c.id, participantId: c.pa, actorUserId: c.a.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.pa, c.a.id) });
  await applySignature(deps(), { contractId: c.id, participantId: c.pb, actorUserId: c.b.id, confirmationId: await willingnessConfirmation(platform.services, c.id, c.pb, c.b.id) });
  // What the workflow's notify activity would send again for this contract: step 2's 待签署 and the 已完成.
  const again = await notifyContractEvent({ em: em(), sms }, { contractId: c.id, event: 'step_started', step: 2 });
  expect(again).toEqual({ notified: 0 });
  const parallel = await Promise.all(Array.from({ length: 8 }, () => notifyContractEvent({ em: em(), sms }, { contractId: c.id, event: 'completed' })));
  expect(parallel.every((r) => r.notified === 0)).toBe(true);
  expect(await noticesOf(c.b.id, 'contract.to_sign')).toBe(1);
  expect(await smsTo(c.b.mobile)).toBe(1);
  for (const user of [c.initiator, c.a, c.b]) expect(await noticesOf(user.id, 'contract.completed')).toBe(1);

  // A notice not sent before goes out once, however many send it at the same time.
  const d = await twoStepContract();
  const first = await Promise.all(Array.from({ length: 8 }, () => notifyContractEvent({ em: em(), sms }, { contractId: d.id, event: 'voided' })));
  expect(first.filter((r) => r.notified > 0)).toHaveLength(1);
  for (const user of [d.initiator, d.a, d.b]) expect(await noticesOf(user.id, 'contract.voided')).toBe(1);
});
