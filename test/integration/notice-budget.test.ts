// @sqlite-too: the daily notice budget is an atomic counter.
/**
 * Notice SMS (待签署, 催办, invitations) per number per day are bounded whoever causes them
 * (domain/sms/notice-budget.ts): one account cannot make the platform flood a phone, and the
 * contract title an initiator typed is shortened in SMS text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { NOTICE_SMS_RULE, sendNoticeSms, SMS_TITLE_MAX } from '../../domain/sms/notice-budget';
import { createSmsSender } from '../../integrations/sms';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
const em = () => platform.services.orm.em.fork();
const smsTo = (mobile: string) => em().find(SmsOutboxMessageSchema, { mobile }, { orderBy: { createdAt: 'asc' } });
/** One notice as the platform sends it: in a transaction (the outbox sender writes its row there). */
const send = (mobile: string, n: number) =>
  em().transactional((tx) => sendNoticeSms(tx, createSmsSender(platform.services.config, tx), { mobile, purpose: 'contract_to_sign', content: `【SealFlow】通知 ${n}` }));

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

describe('notice SMS budget per number', () => {
  it('sends at most the daily budget to one number (parallel senders included); other numbers are unaffected', async () => {
    const victim = uniqueMobile();
    // The first notice creates the number's counter row; the rest race on it (conditional updates).
    const first = await send(victim, 0);
    const rest = await Promise.all(Array.from({ length: NOTICE_SMS_RULE.max + 4 }, (_, i) => send(victim, i + 1)));
    expect([first, ...rest].filter(Boolean)).toHaveLength(NOTICE_SMS_RULE.max);
    expect(await smsTo(victim)).toHaveLength(NOTICE_SMS_RULE.max);
    expect(await send(uniqueMobile(), 0)).toBe(true);
  });

  it('a contract naming a number whose budget is spent still starts; no invitation is sent or recorded, and a title is shortened in SMS text', async () => {
    const initiator = await createUser(platform.services, '预算发起人');
    const c = new ApiClient(platform.baseUrl);
    await c.login(initiator.mobile, TEST_PASSWORD);
    const spent = uniqueMobile();
    for (let i = 0; i < NOTICE_SMS_RULE.max; i++) await send(spent, i);
    const longTitle = '广告加微信领红包'.repeat(5);
    const start = async (mobile: string) => {
      const r = await c.post('/contracts', contractForm(await makePdf(1), { title: longTitle, spec: { title: longTitle, participants: [{ kind: 'person', step: 1, mobile, name: '王五', placement: 'free', marks: [] }] } }));
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      return r.json.id as string;
    };
    const blocked = await start(spent);
    await expect.poll(async () => (await em().findOneOrFail(ContractSignerSchema, { contractId: blocked })).invited, { timeout: 10_000 }).toBe(true);
    expect(await smsTo(spent)).toHaveLength(NOTICE_SMS_RULE.max);
    expect(await em().count(ContractEventSchema, { contractId: blocked, type: 'invitation_sent' })).toBe(0);

    const fresh = uniqueMobile();
    await start(fresh);
    // The invitation and step 1's 待签署 notice, both with the title shortened.
    await expect.poll(async () => (await smsTo(fresh)).map((m) => m.purpose).sort(), { timeout: 10_000 }).toEqual(['contract_invitation', 'contract_to_sign']);
    for (const m of await smsTo(fresh)) {
      expect(m.content).toContain(`《${[...longTitle].slice(0, SMS_TITLE_MAX).join('')}…》`);
      expect(m.content).not.toContain(longTitle);
    }
  });
});
