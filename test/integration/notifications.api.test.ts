// @sqlite-too: paging and read-state updates.
/**
 * 站内消息 over HTTP (real database, both dialects): the caller's notices newest first with paging
 * and the unread count; marking read works only on one's own notices (another user's id is a 404
 * and stays unread); 全部已读 touches only the caller's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { notify } from '../../domain/notifications/notify';
import type { User } from '../../domain/identity/user.entity';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: User;
let bob: User;
let a: ApiClient;
let b: ApiClient;
const em = () => platform.services.orm.em.fork();

async function notices(user: User, count: number, start: Date) {
  const e = em();
  const rows = Array.from({ length: count }, (_, i) =>
    notify(e, { userId: user.id, kind: 'test.notice', title: `通知 ${i + 1}`, body: `第 ${i + 1} 条`, link: i === 0 ? '/admin/#/certificates' : null, at: new Date(start.getTime() + i * 1000) }),
  );
  await e.flush();
  return rows;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob] = await Promise.all([createUser(platform.services, '消息甲'), createUser(platform.services, '消息乙')]);
  a = new ApiClient(platform.baseUrl);
  b = new ApiClient(platform.baseUrl);
  await a.login(alice.mobile, TEST_PASSWORD);
  await b.login(bob.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

describe('notifications API', () => {
  it('lists my notices newest first, paged, with the unread count; marks one and then all read', async () => {
    const mine = await notices(alice, 5, new Date(Date.now() - 60_000));
    await notices(bob, 2, new Date());

    const first = await a.get('/me/notifications?limit=2');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ total: 5, unread: 5 });
    expect(first.json.items.map((n: { title: string }) => n.title)).toEqual(['通知 5', '通知 4']);
    const second = await a.get('/me/notifications?offset=4&limit=2');
    expect(second.json.items).toEqual([expect.objectContaining({ id: mine[0]!.id, link: '/admin/#/certificates', readAt: null, kind: 'test.notice' })]);

    const read = await a.post(`/me/notifications/${mine[4]!.id}/read`);
    expect(read.status).toBe(200);
    expect(read.json.readAt).toEqual(expect.any(String));
    // Idempotent: reading again keeps the first read time.
    expect((await a.post(`/me/notifications/${mine[4]!.id}/read`)).json.readAt).toBe(read.json.readAt);
    expect((await a.get('/me/notifications')).json.unread).toBe(4);
    const unreadOnly = await a.get('/me/notifications?unread=1');
    expect(unreadOnly.json.total).toBe(4);
    expect(unreadOnly.json.items.map((n: { id: string }) => n.id)).not.toContain(mine[4]!.id);

    const all = await a.post('/me/notifications/read-all');
    expect(all.json).toEqual({ changed: 4, unread: 0 });
    expect((await a.get('/me/notifications')).json.unread).toBe(0);
    // Bob's stay unread.
    expect((await b.get('/me/notifications')).json).toMatchObject({ total: 2, unread: 2 });
  });

  it("another user's notice is not found and stays unread", async () => {
    const [bobs] = await notices(bob, 1, new Date());
    const r = await a.post(`/me/notifications/${bobs!.id}/read`);
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ code: 'NOTIFICATION_NOT_FOUND', message: '消息不存在', messageEn: 'Notification not found' });
    expect((await em().findOneOrFail(NotificationSchema, { id: bobs!.id })).readAt).toBeNull();
    expect((await a.get('/me/notifications')).json.items.map((n: { id: string }) => n.id)).not.toContain(bobs!.id);
  });

  it('refuses bad paging with a 400 in both languages, and anonymous callers with 401', async () => {
    const bad = await a.get('/me/notifications?limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'BAD_PAGE', message: '分页参数不正确', messageEn: 'Invalid paging parameters' });
    expect((await new ApiClient(platform.baseUrl).get('/me/notifications')).status).toBe(401);
  });
});
