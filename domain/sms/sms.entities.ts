import { EntitySchema } from '@mikro-orm/core';

/** What the embedded SMS provider "sends": operators and tests read it. */
export interface SmsOutboxMessage {
  id: string;
  mobile: string;
  purpose: string;
  content: string;
  createdAt: Date;
}

export const SmsOutboxMessageSchema = new EntitySchema<SmsOutboxMessage>({
  name: 'SmsOutboxMessage',
  tableName: 'sms_outbox',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    mobile: { type: 'string', length: 20, index: true },
    purpose: { type: 'string', length: 40 },
    content: { type: 'string', length: 500 },
    createdAt: { type: 'datetime', length: 3 }, // ms: codes sent within one second stay ordered
  },
});

/** A verification code sent to a mobile for one purpose and subject (e.g. signing contract X). Only a hash is stored. */
export interface SmsChallenge {
  id: string;
  mobile: string;
  purpose: string;
  subject: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  attempts: number;
  consumedAt: Date | null;
  /** The network that asked for the code (client-network.ts: an IPv4 address, an IPv6 /64), for the per-network budget. */
  requestNetwork: string | null;
}

export const SmsChallengeSchema = new EntitySchema<SmsChallenge>({
  name: 'SmsChallenge',
  tableName: 'sms_challenges',
  // Checks read the newest challenge of (mobile, purpose, subject); budgets count by mobile or network and purpose.
  indexes: [{ properties: ['mobile', 'purpose', 'subject'] }, { properties: ['requestNetwork', 'purpose'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    mobile: { type: 'string', length: 20 },
    purpose: { type: 'string', length: 40 },
    subject: { type: 'string', length: 100 },
    codeHash: { type: 'string', length: 64 },
    createdAt: { type: 'datetime', length: 3 }, // ms: codes sent within one second stay ordered
    expiresAt: { type: 'datetime' },
    attempts: { type: 'integer' },
    consumedAt: { type: 'datetime', nullable: true },
    requestNetwork: { type: 'string', length: 64, nullable: true, fieldName: 'request_ip' }, // the column's name from before networks were counted
  },
});
