import type { Client } from '@temporalio/client';
import type { Services } from '../bootstrap/services';
import type { SmsSender } from '../integrations/sms';
import type { EntityManager } from '@mikro-orm/core';

/** What route factories need. */
export interface ApiDeps {
  services: Services;
  temporal: Client;
  sms(em: EntityManager): SmsSender;
}
