import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { insertRow } from '../../domain/persistence/plain-rows';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import type { SmsMessage, SmsSender } from './sms-sender';

/**
 * Embedded SMS provider: every message lands in the `sms_outbox` table (admin console: 短信发件箱),
 * inserted at once in the EntityManager's transaction, if any (like a gateway, it writes nothing else
 * of the caller's unit of work).
 */
export function createOutboxSmsSender(em: EntityManager): SmsSender {
  return {
    transactional: true,
    async send(message: SmsMessage) {
      await insertRow(em, SmsOutboxMessageSchema, { id: randomUUID(), ...message, createdAt: new Date() });
    },
  };
}

/** The outbox text with every digit hidden (codes must not be readable when a real gateway delivers them). */
export const maskSmsContent = (content: string): string => content.replace(/[0-9０-９]/g, '•');
