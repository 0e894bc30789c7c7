import { afterAll, beforeAll, expect, it } from 'vitest';
import type { User } from '../../domain/identity/user.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let attacker: User, victim: User;
const unregistered = uniqueMobile();
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  attacker = await createUser(platform.services, '攻击者');
  victim = await createUser(platform.services, '受害者');
});
afterAll(async () => platform?.stop());

it('PROBE: many contracts naming the same numbers -> unbounded SMS / 站内消息', async () => {
  const api = new ApiClient(platform.baseUrl);
  await api.login(attacker.mobile, TEST_PASSWORD);
  const pdf = await makePdf(1);
  const N = 15;
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const spec = {
      title: `广告：加微信 xyz 领红包 ${i}`,
      participants: [
        { kind: 'person', step: 1, mobile: unregistered, name: '王五', placement: 'free', marks: [] },
        { kind: 'person', step: 1, mobile: victim.mobile, placement: 'free', marks: [] },
      ],
      cc: [{ mobile: victim.mobile }],
    };
    const r = await api.post('/contracts', contractForm(pdf, { title: spec.title, spec }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    ids.push(r.json.id);
  }
  await new Promise((r) => setTimeout(r, 3000));
  const urge = await api.post('/contracts/urge', { ids });
  console.log('batch urge statuses', urge.status, urge.json.results.map((x: any) => x.urged?.length ?? x.error?.code).join(','));
  // revoke all -> 站内消息 to CC/participants
  let revoked = 0;
  for (const id of ids) if ((await api.post(`/contracts/${id}/revoke`, { reason: '再来一次' })).status === 200) revoked++;
  await new Promise((r) => setTimeout(r, 3000));
  const smsU = await em().find(SmsOutboxMessageSchema, { mobile: unregistered });
  const smsV = await em().find(SmsOutboxMessageSchema, { mobile: victim.mobile });
  const byPurpose = (rows: { purpose: string }[]) => rows.reduce<Record<string, number>>((a, r) => ((a[r.purpose] = (a[r.purpose] ?? 0) + 1), a), {});
  const notes = await em().count(NotificationSchema, { userId: victim.id });
  console.log(`PROBE contracts=${N} revoked=${revoked}`);
  console.log('PROBE unregistered number SMS:', smsU.length, JSON.stringify(byPurpose(smsU)));
  console.log('PROBE registered victim SMS:', smsV.length, JSON.stringify(byPurpose(smsV)));
  console.log('PROBE registered victim 站内消息:', notes);
  console.log('PROBE sample:', smsU[0]?.content);
});
