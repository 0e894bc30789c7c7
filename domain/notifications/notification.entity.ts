import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * An in-app notice (站内消息) for one user: shown under the bell in the portal and the console.
 * Generic: certificate expiry reminders write them today, contract events (issue 8) later.
 */
export interface Notification {
  id: string;
  userId: string;
  /** The enterprise the notice is about, if any (a seal certificate, a member's application…). */
  enterpriseId: string | null;
  /** What kind of event it is, e.g. `certificate.expiring`; the UI may choose an icon by it. */
  kind: string;
  title: string;
  body: string;
  /** Where the notice leads in the UI (a path such as `/admin/#/certificates`), or null. */
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export const NotificationSchema = new EntitySchema<Notification>({
  name: 'Notification',
  tableName: 'notifications',
  // "My unread notices, newest first" and "my notices, newest first" both walk this index.
  indexes: [{ properties: ['userId', 'readAt', 'createdAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id'),
    enterpriseId: references('Enterprise', 'enterprise_id', { nullable: true, index: true }),
    kind: { type: 'string', length: 60 },
    title: { type: 'string', length: 200 },
    body: { type: 'string', length: 1000 },
    link: { type: 'string', length: 500, nullable: true },
    createdAt: { type: 'datetime', length: 3 },
    readAt: { type: 'datetime', length: 3, nullable: true },
  },
});
