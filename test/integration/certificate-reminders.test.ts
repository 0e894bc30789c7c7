// @sqlite-too: a unique row is the arbiter of parallel runs.
/**
 * 证书到期提醒 (M13) on the real database (SQLite and MariaDB runs): certificates of seals at
 * 31 / 30 / 7 / 1 / 0 days get the 30-, 7- and 1-day reminders (SMS to the enterprise
 * administrator + in-app notice + audit row), each once; a rerun and parallel runs send nothing
 * twice; renewed and revoked certificates get none; the daily Schedule exists, and its run sweeps
 * lapsed seal authorisations and sends.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { CertificateReminderSchema } from '../../domain/reminders/certificate-reminder.entity';
import { sendCertificateExpiryReminders } from '../../domain/reminders/certificate-expiry-reminders';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { certificateReminderScheduleId, ensureCertificateReminderSchedule } from '../../worker/certificate-reminder-schedule';
import { addSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

const DAY_MS = 24 * 3600_000;
const ALL_TYPES = ['official', 'contract', 'finance', 'hr', 'legal_rep'];

let platform: TestPlatform;
const em = () => platform.services.orm.em.fork();
const sms = (e: EntityManager) => createSmsSender(platform.config, e);
const run = (now: Date) => sendCertificateExpiryReminders(em(), sms, now);

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

/** A certified enterprise with five seals, administered by a fresh user. */
async function enterpriseWithSeals(name: string): Promise<{ admin: User; enterpriseId: string; seals: Seal[] }> {
  const admin = await createUser(platform.services, `${name}管理员`);
  const e = await createCertifiedEnterprise(platform.services, admin, name, ALL_TYPES);
  const seals = await sealsOf(platform.services, e.id);
  expect(seals.length).toBeGreaterThanOrEqual(5);
  return { admin, enterpriseId: e.id, seals };
}

const outbox = (mobile: string) => em().find(SmsOutboxMessageSchema, { mobile, purpose: 'certificate_expiry' }, { orderBy: { createdAt: 'asc' } });
const notices = (userId: string) => em().find(NotificationSchema, { userId, kind: 'certificate.expiring' });
const audits = (certificateId: string) => em().find(AuditEventSchema, { targetId: certificateId, action: 'certificate.expiry_reminder_sent' });

describe('certificate expiry reminders', () => {
  it('reminds at 30, 7 and 1 days (not at 31 or 0), by SMS, in-app notice and audit row, each once', async () => {
    const { admin, enterpriseId, seals } = await enterpriseWithSeals('提醒测试甲有限公司');
    const now = new Date();
    const [c31, c30, c7, c1, c0] = await Promise.all([31, 30, 7, 1, 0].map((d, i) => addSealCertificate(platform.services, seals[i]!, now, d)));

    // Other test files share the run's database (and may add expiring certificates meanwhile):
    // the run's totals include theirs, so what counts is this enterprise's rows.
    const first = await run(now);
    expect(first.sent).toBeGreaterThanOrEqual(3);
    const reminders = await em().find(CertificateReminderSchema, { enterpriseId });
    expect(Object.fromEntries(reminders.map((r) => [r.certificateId, r.thresholdDays]))).toEqual({ [c30!.id]: 30, [c7!.id]: 7, [c1!.id]: 1 });
    expect(reminders.every((r) => r.userId === admin.id)).toBe(true);

    const messages = await outbox(admin.mobile);
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => m.content).sort()).toEqual(
      expect.arrayContaining([expect.stringContaining('剩余 30 天'), expect.stringContaining('剩余 7 天'), expect.stringContaining('剩余 1 天')]),
    );
    expect(messages[0]!.content).toContain('提醒测试甲有限公司');
    expect(messages[0]!.content).toContain('企业证书更新');

    const inApp = await notices(admin.id);
    expect(inApp).toHaveLength(3);
    expect(inApp.every((n) => n.enterpriseId === enterpriseId && n.readAt === null && n.title.includes('证书将于') && n.link === '/admin/certificates')).toBe(true);

    for (const c of [c30!, c7!, c1!]) {
      const rows = await audits(c.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorName: '系统', enterpriseId, targetType: 'certificate' });
    }
    for (const c of [c31!, c0!]) expect(await audits(c.id)).toHaveLength(0);

    // The next day's run (and any rerun) sends nothing again.
    const again = await run(new Date(now.getTime() + 3600_000));
    expect(again.alreadySent).toBeGreaterThanOrEqual(3);
    expect(await em().count(CertificateReminderSchema, { enterpriseId })).toBe(3);
    expect(await outbox(admin.mobile)).toHaveLength(3);
    expect(await notices(admin.id)).toHaveLength(3);

    // 23 days later the 30-day certificate has 7 days left: its 7-day reminder goes out, once; the 31-day one gets its 30-day reminder.
    const later = new Date(now.getTime() + 23 * DAY_MS + 60_000);
    const third = await run(later);
    expect(third.sent).toBeGreaterThanOrEqual(2);
    expect(await em().count(CertificateReminderSchema, { enterpriseId })).toBe(5);
    expect((await em().find(CertificateReminderSchema, { certificateId: c30!.id })).map((r) => r.thresholdDays).sort()).toEqual([30, 7]);
    expect((await em().find(CertificateReminderSchema, { certificateId: c31!.id })).map((r) => r.thresholdDays)).toEqual([30]);
    await run(later);
    expect(await em().count(CertificateReminderSchema, { enterpriseId })).toBe(5);
    expect(await outbox(admin.mobile)).toHaveLength(5);
  });

  it('skips revoked certificates and certificates whose seal already has a later-expiring active one (renewed)', async () => {
    const { admin, seals } = await enterpriseWithSeals('提醒测试乙有限公司');
    const now = new Date();
    const renewed = await addSealCertificate(platform.services, seals[0]!, now, 7);
    await addSealCertificate(platform.services, seals[0]!, now, 365); // the renewal
    const revoked = await addSealCertificate(platform.services, seals[1]!, now, 7, { status: 'revoked', revokedAt: now, revocationReason: 'test' });
    const plain = await addSealCertificate(platform.services, seals[2]!, now, 7);

    await run(now);
    expect(await em().count(CertificateReminderSchema, { certificateId: renewed.id })).toBe(0);
    expect(await em().count(CertificateReminderSchema, { certificateId: revoked.id })).toBe(0);
    expect(await em().count(CertificateReminderSchema, { certificateId: plain.id })).toBe(1);
    expect(await outbox(admin.mobile)).toHaveLength(1);
  });

  it('parallel runs send each reminder exactly once (the unique row is the arbiter)', async () => {
    const { admin, seals } = await enterpriseWithSeals('提醒测试丙有限公司');
    const now = new Date();
    const certs = await Promise.all(seals.slice(0, 5).map((s, i) => addSealCertificate(platform.services, s, now, [30, 7, 1, 20, 3][i]!)));
    const reports = await Promise.all(Array.from({ length: 6 }, () => run(now)));
    const ours = new Set(certs.map((c) => c.id));
    expect(await em().count(CertificateReminderSchema, { certificateId: { $in: [...ours] } })).toBe(5);
    // Every run either sent a reminder or found it sent (other files' certificates may add to the totals; this enterprise's rows are exact).
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(5);
    expect(await outbox(admin.mobile)).toHaveLength(5);
    expect(await notices(admin.id)).toHaveLength(5);
    for (const c of certs) expect(await audits(c.id)).toHaveLength(1);
  });

  // MariaDB: a run that reaches a threshold while another transaction holds that (certificate,
  // threshold) row uncommitted passes the pre-check, waits on the unique key, and then sends
  // nothing. (SQLite has one writer at a time: the same run would wait on the database lock.)
  it.runIf(inject('databaseUrl').startsWith('mysql'))('a run racing an uncommitted reminder row waits on the unique key and sends nothing', async () => {
    const { admin, seals } = await enterpriseWithSeals('提醒测试戊有限公司');
    const now = new Date();
    const cert = await addSealCertificate(platform.services, seals[0]!, now, 7);
    const holder = em();
    await holder.begin();
    const held = holder.create(CertificateReminderSchema, { id: randomUUID(), certificateId: cert.id, thresholdDays: 7, enterpriseId: seals[0]!.enterpriseId, userId: admin.id, sentAt: now });
    await holder.flush();
    const racing = run(now);
    // Bounded wait until the racing INSERT is blocked on the held key (visible in the process list).
    await eventually(async () => {
      const rows = await em().getConnection().execute<{ n: number }[]>("select count(*) as n from information_schema.processlist where info like 'insert into `certificate_reminders`%'");
      return Number(rows[0]?.n) > 0;
    }, 20_000, 'the racing insert waiting on the unique key');
    await holder.commit();
    const report = await racing;
    expect(report.alreadySent).toBeGreaterThanOrEqual(1);
    expect((await em().find(CertificateReminderSchema, { certificateId: cert.id })).map((r) => r.id)).toEqual([held.id]);
    expect(await outbox(admin.mobile)).toHaveLength(0);
    expect(await notices(admin.id)).toHaveLength(0);
    expect(await audits(cert.id)).toHaveLength(0);
  });

  it('the daily Schedule exists after worker start (idempotent), and a run it starts lapses ended seal authorisations and sends the reminders', async () => {
    const taskQueue = platform.config.temporal.taskQueue;
    const handle = platform.temporal.schedule.getHandle(certificateReminderScheduleId(taskQueue));
    const before = await handle.describe();
    await ensureCertificateReminderSchedule(platform.temporal, taskQueue);
    const after = await handle.describe();
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'certificateExpiryRemindersWorkflow' });
    expect(after.policies.overlap).toBe('SKIP');
    expect(after.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 1, end: 1, step: 1 }] });

    const { admin, seals } = await enterpriseWithSeals('提醒测试丁有限公司');
    const cert = await addSealCertificate(platform.services, seals[0]!, new Date(), 1);
    const e = em();
    const ended = e.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: seals[1]!.enterpriseId, sealId: seals[1]!.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(Date.now() - 10 * DAY_MS), expiresAt: new Date(Date.now() - 60_000) });
    const running = e.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: seals[2]!.enterpriseId, sealId: seals[2]!.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: new Date(Date.now() + DAY_MS) });
    await e.flush();
    await handle.trigger();
    const row = await eventually(() => em().findOne(CertificateReminderSchema, { certificateId: cert.id }), 30_000, 'reminder sent by the scheduled run');
    expect(row.thresholdDays).toBe(1);
    expect(await outbox(admin.mobile)).toHaveLength(1);
    // The sweep ran before the reminders in the same pass.
    expect(await em().findOne(SealAuthorizationSchema, { id: ended.id })).toBeNull();
    expect(await em().findOne(SealAuthorizationSchema, { id: running.id })).not.toBeNull();
    expect(await em().count(AuditEventSchema, { action: 'seal.authorization_lapsed', targetId: seals[1]!.id })).toBe(1);
  });
});
