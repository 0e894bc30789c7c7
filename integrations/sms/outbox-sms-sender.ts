import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import type { SmsMessage, SmsSender } from './sms-sender';

/** Embedded SMS provider: every message lands in the `sms_outbox` table (admin console: 短信发件箱). */
export function createOutboxSmsSender(em: EntityManager): SmsSender {
  return {
    async send(message: SmsMessage) {
      em.create(SmsOutboxMessageSchema, { id: randomUUID(), ...message, createdAt: new Date() });
      await em.flush();
    },
  };
}

/** The outbox text with every digit hidden (codes must not be readable when a real gateway delivers them). */
export const maskSmsContent = (content: string): string => content.replace(/[0-9０-９]/g, '•');
