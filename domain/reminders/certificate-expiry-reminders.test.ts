import { describe, expect, it } from 'vitest';
import { chinaDate, crossedThreshold, daysLeft, reminderSmsText } from './certificate-expiry-reminders';

const DAY = 24 * 3600_000;
const now = new Date('2026-12-01T01:00:00.000Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

describe('certificate expiry thresholds', () => {
  it('picks the tightest threshold crossed: none above 30 days or once expired', () => {
    expect(crossedThreshold(at(31), now)).toBeNull();
    expect(crossedThreshold(at(30), now)).toBe(30);
    expect(crossedThreshold(at(8), now)).toBe(30);
    expect(crossedThreshold(at(7), now)).toBe(7);
    expect(crossedThreshold(at(5), now)).toBe(7);
    expect(crossedThreshold(at(1), now)).toBe(1);
    expect(crossedThreshold(at(0.2), now)).toBe(1);
    expect(crossedThreshold(at(0), now)).toBeNull();
    expect(crossedThreshold(at(-1), now)).toBeNull();
  });

  it('counts days left as users do (rounded up) and dates in China time', () => {
    expect(daysLeft(at(29.2), now)).toBe(30);
    expect(daysLeft(at(-2), now)).toBe(0);
    // 2026-12-01T20:00Z is already 12-02 in Beijing.
    expect(chinaDate(new Date('2026-12-01T20:00:00Z'))).toBe('2026-12-02');
    const text = reminderSmsText({ enterpriseName: '甲公司', sealName: '甲公司合同专用章', notAfter: new Date('2026-12-08T01:00:00Z'), days: 7 });
    expect(text).toBe('【SealFlow】您的企业“甲公司”的印章“甲公司合同专用章”的数字证书将于 2026-12-08 到期（剩余 7 天）。请登录企业控制台，在“企业证书更新”中办理续期，以免影响签署。');
  });
});
