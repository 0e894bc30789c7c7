import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../config';
import { createOutboxSmsSender } from './outbox-sms-sender';
import type { SmsSender } from './sms-sender';

export type { SmsSender, SmsMessage } from './sms-sender';

/** Picks the SMS provider named by configuration. */
export function createSmsSender(config: Pick<AppConfig, 'smsProvider'>, em: EntityManager): SmsSender {
  switch (config.smsProvider) {
    case 'outbox':
      return createOutboxSmsSender(em);
  }
}
