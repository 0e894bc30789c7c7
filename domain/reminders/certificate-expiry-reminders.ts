/**
 * 证书到期提醒 (M13): once a day (workflows/certificate-expiry-reminders.ts, run by a Temporal
 * Schedule) the administrator of every enterprise whose seal certificate expires within 30, 7 or
 * 1 days gets an SMS and an in-app notice. Each (certificate, threshold) is sent at most once:
 * the `certificate_reminders` row is inserted first, in the transaction that also writes the
 * notice and the audit row (and the SMS with the embedded outbox; a gateway gets it after the commit);
 * a rerun or a parallel run trips over the unique key and sends nothing. A certificate that has been renewed (a later-expiring active
 * certificate of the same seal exists), revoked or has already expired gets no reminder.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import { listCertificatesExpiring, type ExpiringCertificate } from '../certificates/seal-certificates';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { UserSchema } from '../identity/user.entity';
import { notify } from '../notifications/notify';
import { isUniqueViolation } from '../persistence/concurrency';
import { transactionWithSms } from '../sms/sms-after-commit';
import type { SmsSender } from '../../integrations/sms';
import { CertificateReminderSchema } from './certificate-reminder.entity';

/** Days before expiry at which a reminder goes out, widest first. */
export const REMINDER_THRESHOLDS_DAYS = [30, 7, 1] as const;
const DAY_MS = 24 * 3600_000;

export interface ReminderReport {
  /** Active, not renewed seal certificates expiring within the widest threshold. */
  candidates: number;
  sent: number;
  /** The threshold's reminder had been sent before (an earlier run, or a parallel one that won). */
  alreadySent: number;
  /** Enterprise no longer certified or without administrator. */
  skipped: number;
}

/**
 * The tightest threshold a certificate expiring at `notAfter` has crossed at `now` (7 when 5 days
 * are left), or null when it expires later than the widest threshold or has already expired.
 */
export function crossedThreshold(notAfter: Date, now: Date, thresholds: readonly number[] = REMINDER_THRESHOLDS_DAYS): number | null {
  const left = notAfter.getTime() - now.getTime();
  if (left <= 0) return null;
  const crossed = thresholds.filter((t) => left <= t * DAY_MS);
  return crossed.length ? Math.min(...crossed) : null;
}

/** Whole days left, rounded up (29.2 days left reads "30 天"), as users count them. */
export const daysLeft = (notAfter: Date, now: Date) => Math.max(0, Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS));

/** yyyy-mm-dd in China Standard Time (UTC+8, no daylight saving). */
export const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const reminderSmsText = (p: { enterpriseName: string; sealName: string; notAfter: Date; days: number }) =>
  `【SealFlow】您的企业“${p.enterpriseName}”的印章“${p.sealName}”的数字证书将于 ${chinaDate(p.notAfter)} 到期（剩余 ${p.days} 天）。请登录企业控制台，在“企业证书更新”中办理续期，以免影响签署。`;

type Outcome = 'sent' | 'already_sent' | 'skipped';

/** Sends one certificate's reminder for `threshold` unless it was sent before. */
async function remindOnce(em: EntityManager, sms: (em: EntityManager) => SmsSender, cert: ExpiringCertificate, threshold: number, now: Date): Promise<Outcome> {
  if (await em.findOne(CertificateReminderSchema, { certificateId: cert.id, thresholdDays: threshold })) return 'already_sent';
  const seal = { id: cert.sealId, name: cert.sealName };
  const enterprise = await em.findOne(EnterpriseSchema, { id: cert.enterpriseId });
  if (!enterprise?.adminUserId || enterprise.status !== 'certified') return 'skipped';
  const admin = await em.findOne(UserSchema, { id: enterprise.adminUserId });
  if (!admin) return 'skipped';
  const days = daysLeft(cert.notAfter, now);
  try {
    await transactionWithSms(em, sms, async (tx, smsIn) => {
      // The unique (certificate, threshold) row first: a parallel run waits here and then fails on the key.
      tx.create(CertificateReminderSchema, { id: randomUUID(), certificateId: cert.id, thresholdDays: threshold, enterpriseId: enterprise.id, userId: admin.id, sentAt: now });
      await tx.flush();
      notify(tx, {
        userId: admin.id,
        enterpriseId: enterprise.id,
        kind: 'certificate.expiring',
        title: `印章“${seal.name}”的证书将于 ${days} 天后到期`,
        body: `企业“${enterprise.name}”的印章“${seal.name}”的数字证书（序列号 ${cert.serialNumber}）将于 ${chinaDate(cert.notAfter)} 到期。请在“企业证书更新”中办理续期。`,
        link: '/admin/certificates',
        at: now,
      });
      recordAudit(tx, SYSTEM_ACTOR, {
        action: 'certificate.expiry_reminder_sent',
        targetType: 'certificate',
        targetId: cert.id,
        enterpriseId: enterprise.id,
        detail: { thresholdDays: threshold, daysLeft: days, notAfter: cert.notAfter.toISOString(), serialNumber: cert.serialNumber, seal: seal.id, to: admin.id },
        at: now,
      });
      await tx.flush();
      // The outbox writes the SMS in this transaction; a gateway gets it after the commit (a failed delivery is logged:
      // the 站内消息 and the audit row stand, and the reminder is not sent again).
      await smsIn(tx).send({ mobile: admin.mobile, purpose: 'certificate_expiry', content: reminderSmsText({ enterpriseName: enterprise.name, sealName: seal.name, notAfter: cert.notAfter, days }) });
    });
    return 'sent';
  } catch (err) {
    if (isUniqueViolation(err)) return 'already_sent';
    throw err;
  }
}

/** One daily pass: every seal certificate that crossed a threshold gets that threshold's reminder, once. */
export async function sendCertificateExpiryReminders(em: EntityManager, sms: (em: EntityManager) => SmsSender, now = new Date(), thresholds: readonly number[] = REMINDER_THRESHOLDS_DAYS): Promise<ReminderReport> {
  const report: ReminderReport = { candidates: 0, sent: 0, alreadySent: 0, skipped: 0 };
  // Renewed certificates (a later one of the same seal) and voided seals are left out by the list.
  const certs = await listCertificatesExpiring(em, null, now, Math.max(...thresholds));
  report.candidates = certs.length;
  for (const cert of certs) {
    const threshold = crossedThreshold(cert.notAfter, now, thresholds);
    if (threshold === null) continue;
    const outcome = await remindOnce(em, sms, cert, threshold, now);
    if (outcome === 'sent') report.sent++;
    else if (outcome === 'already_sent') report.alreadySent++;
    else report.skipped++;
  }
  return report;
}
