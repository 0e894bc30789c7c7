import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { insertRow } from '../persistence/plain-rows';
import { NotificationSchema, type Notification } from './notification.entity';

export interface NotifyInput {
  userId: string;
  enterpriseId?: string | null;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  at?: Date;
}

/**
 * Adds an in-app notice for one user to the unit of work: it is written with the change that
 * caused it (same flush, same transaction), so a notice never exists for a change that rolled back.
 */
export function notify(em: EntityManager, input: NotifyInput): Notification {
  return em.create(NotificationSchema, notificationRow(input));
}

/**
 * `notify`, written at once by a plain insert on the EntityManager's connection (in its transaction,
 * if any): for the notices every contract sends, where a unit of work and its flush cost more than
 * the insert (issue 12).
 */
export async function notifyNow(em: EntityManager, input: NotifyInput): Promise<void> {
  await insertRow(em, NotificationSchema, notificationRow(input));
}

function notificationRow(input: NotifyInput): Notification {
  return {
    id: randomUUID(),
    userId: input.userId,
    enterpriseId: input.enterpriseId ?? null,
    kind: input.kind,
    title: input.title.slice(0, 200),
    body: input.body.slice(0, 1000),
    link: input.link ?? null,
    createdAt: input.at ?? new Date(),
    readAt: null,
  };
}
