import { z } from 'zod';
import { listMyNotifications, markAllNotificationsRead, markNotificationRead, notificationView, type NotificationPageView } from '../../domain/notifications/my-notifications';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type RouteDef } from '../http/route';

const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  unread: z.enum(['0', '1', 'true', 'false']).optional(),
});

/** 站内消息 (the bell in the portal and the console): always the caller's own notices. */
export function notificationRoutes(_deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/me/notifications',
      access: 'user',
      async handler(ctx) {
        const q = pageQuery.safeParse(ctx.req.query);
        if (!q.success) throw invalid('BAD_PAGE', '分页参数不正确', 'Invalid paging parameters');
        const unreadOnly = q.data.unread === '1' || q.data.unread === 'true';
        const page = await listMyNotifications(ctx.em, ctx.user.id, { offset: q.data.offset, limit: q.data.limit, unreadOnly });
        return { items: page.rows.map(notificationView), total: page.total, unread: page.unread } satisfies NotificationPageView;
      },
    }),
    route({
      method: 'post',
      path: '/me/notifications/read-all',
      access: 'user',
      async handler(ctx) {
        return { changed: await markAllNotificationsRead(ctx.em, ctx.user.id), unread: 0 };
      },
    }),
    route({
      method: 'post',
      path: '/me/notifications/:id/read',
      access: 'user',
      async handler(ctx) {
        return notificationView(await markNotificationRead(ctx.em, ctx.user.id, String(ctx.req.params.id)));
      },
    }),
  ];
}
