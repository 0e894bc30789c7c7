/**
 * Activities of the daily CertificateExpiryRemindersWorkflow: thin adapters to
 * domain/reminders/certificate-expiry-reminders.ts (SMS + in-app notice per threshold, once) and
 * domain/enterprises/seal-authorizations.ts (the sweep of lapsed seal authorisations).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { lapseExpiredSealAuthorizations } from '../domain/enterprises/seal-authorizations';
import { REMINDER_THRESHOLDS_DAYS, sendCertificateExpiryReminders, type ReminderReport } from '../domain/reminders/certificate-expiry-reminders';
import type { SmsSender } from '../integrations/sms';
import { asActivityFailure } from './activity-errors';

export interface ReminderActivityDeps {
  orm: MikroORM;
  sms(em: EntityManager): SmsSender;
}

export interface ReminderRunOptions {
  /** ISO instant to evaluate expiry against (tests); default: now. */
  now?: string;
  thresholdsDays?: number[];
}

export function createReminderActivities(deps: ReminderActivityDeps) {
  return {
    async sendCertificateExpiryReminders(options: ReminderRunOptions = {}): Promise<ReminderReport> {
      const now = options.now ? new Date(options.now) : new Date();
      return asActivityFailure(() => sendCertificateExpiryReminders(deps.orm.em.fork(), deps.sms, now, options.thresholdsDays ?? REMINDER_THRESHOLDS_DAYS));
    },
    /** Removes seal authorisations whose validity has ended (audited `seal.authorization_lapsed`); returns how many. */
    async lapseExpiredSealAuthorizations(options: { now?: string } = {}): Promise<{ lapsed: number }> {
      const now = options.now ? new Date(options.now) : new Date();
      return asActivityFailure(async () => ({ lapsed: await lapseExpiredSealAuthorizations(deps.orm.em.fork(), now) }));
    },
  };
}

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
