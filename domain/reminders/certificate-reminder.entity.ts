import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * One expiry reminder that was sent for a certificate: (certificate, threshold in days) is unique,
 * so each threshold (30 / 7 / 1 days before expiry) is sent at most once per certificate. The row is
 * inserted before the SMS is sent, in the same transaction as the in-app notice: a rerun or a
 * parallel run that reaches the same threshold fails on the unique key and sends nothing.
 */
export interface CertificateReminder {
  id: string;
  certificateId: string;
  thresholdDays: number;
  enterpriseId: string;
  /** The enterprise administrator the reminder went to. */
  userId: string;
  sentAt: Date;
}

export const CertificateReminderSchema = new EntitySchema<CertificateReminder>({
  name: 'CertificateReminder',
  tableName: 'certificate_reminders',
  uniques: [{ properties: ['certificateId', 'thresholdDays'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    certificateId: references('SigningCertificate', 'certificate_id'),
    thresholdDays: { type: 'integer' },
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    userId: references('User', 'user_id', { index: true }),
    sentAt: { type: 'datetime' },
  },
});
