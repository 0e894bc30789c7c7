import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig, SmsConfig } from '../../config';
import { createHttpSmsSender } from './http-sms-sender';
import { createOutboxSmsSender } from './outbox-sms-sender';
import type { SmsSender } from './sms-sender';

export type { SmsSender, SmsMessage } from './sms-sender';

/** Picks the SMS provider named by configuration. */
export function createSmsSender(config: Pick<AppConfig, 'smsProvider'> & { sms?: SmsConfig }, em: EntityManager): SmsSender {
  switch (config.smsProvider) {
    case 'outbox':
      return createOutboxSmsSender(em);
    case 'http':
      if (config.sms?.provider !== 'http') throw new Error('SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_SECRET');
      return createHttpSmsSender(config.sms);
  }
}

/**
 * Whether operators may read the text of sent messages (短信发件箱): only when the embedded
 * outbox is the configured provider (development and demo). With a real gateway the outbox
 * would let an operator read anyone's signing code and sign as them.
 */
export const outboxContentVisible = (config: Pick<AppConfig, 'smsProvider'>): boolean => config.smsProvider === 'outbox';
