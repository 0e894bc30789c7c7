import type { EntityManager } from '@mikro-orm/core';
import { notFound } from '../errors';
import { updateWhere } from '../persistence/concurrency';
import { NotificationSchema, type Notification } from './notification.entity';

export interface NotificationPage {
  rows: Notification[];
  total: number;
  unread: number;
}

/** A notice as GET /me/notifications (and its read) sends it: JSON, instants as ISO strings. The UIs import the type. */
export const notificationView = (n: Notification) => ({
  id: n.id,
  enterpriseId: n.enterpriseId,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});
export type NotificationView = ReturnType<typeof notificationView>;

/** GET /me/notifications: one page of the caller's notices and the count of unread ones. */
export interface NotificationPageView {
  items: NotificationView[];
  total: number;
  unread: number;
}

/** The caller's notices, newest first (optionally only unread), with the count of unread ones. */
export async function listMyNotifications(em: EntityManager, userId: string, page: { offset: number; limit: number; unreadOnly?: boolean }): Promise<NotificationPage> {
  const where = page.unreadOnly ? { userId, readAt: null } : { userId };
  const [rows, total] = await em.findAndCount(NotificationSchema, where, { orderBy: { createdAt: 'desc', id: 'desc' }, offset: page.offset, limit: page.limit });
  const unread = page.unreadOnly ? total : await em.count(NotificationSchema, { userId, readAt: null });
  return { rows, total, unread };
}

export const notificationNotFound = () => notFound('NOTIFICATION_NOT_FOUND', '消息不存在', 'Notification not found');

/** Marks one of the caller's notices read (idempotent). Another user's notice is simply not found. */
export async function markNotificationRead(em: EntityManager, userId: string, id: string, now = new Date()): Promise<Notification> {
  const n = await em.findOne(NotificationSchema, { id, userId });
  if (!n) throw notificationNotFound();
  if (!n.readAt) {
    await updateWhere(em, NotificationSchema, { id, userId, readAt: null }, { readAt: now });
    await em.refresh(n);
  }
  return n;
}

/** Marks every unread notice of the caller read; returns how many it changed. */
export async function markAllNotificationsRead(em: EntityManager, userId: string, now = new Date()): Promise<number> {
  return updateWhere(em, NotificationSchema, { userId, readAt: null }, { readAt: now });
}
