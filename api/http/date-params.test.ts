import { describe, expect, it } from 'vitest';
import { instantParam, parseDayOrInstant } from './date-params';

describe('date parameters', () => {
  it('reads a bare day as that day in UTC+8, its end on request', () => {
    expect(parseDayOrInstant('2030-02-28')?.toISOString()).toBe('2030-02-27T16:00:00.000Z');
    expect(parseDayOrInstant('2030-02-28', { endOfDay: true })?.toISOString()).toBe('2030-02-28T15:59:59.999Z');
    expect(parseDayOrInstant('2028-02-29')).not.toBeNull();
  });

  it('refuses days the calendar does not have instead of rolling them over', () => {
    for (const day of ['2030-02-30', '2030-02-29', '2030-13-01', '2030-00-10', '2030-04-31', '2030-01-00']) expect(parseDayOrInstant(day), day).toBeNull();
  });

  it('reads date-times with an offset; refuses impossible offsets, missing offsets and years outside 1970–9999', () => {
    expect(parseDayOrInstant('2020-01-01T00:00:00+08:00')?.toISOString()).toBe('2019-12-31T16:00:00.000Z');
    expect(parseDayOrInstant('2020-01-01T00:00:00Z')?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    for (const bad of ['2020-01-01T00:00:00+99:99', '2020-01-01T00:00:00-99:59', '2020-01-01T00:00:00', '+010000-01-01T00:00:00Z', '10000-01-01', '1969-12-31', 'tomorrow', '']) expect(parseDayOrInstant(bad), bad).toBeNull();
  });

  it('instantParam: a date-time only, as a Date, or a zod issue', () => {
    expect(instantParam.parse('2020-01-01T00:00:00Z')).toEqual(new Date('2020-01-01T00:00:00Z'));
    expect(instantParam.safeParse('2020-01-01T00:00:00+99:99').success).toBe(false);
    expect(instantParam.safeParse('2020-01-01').success).toBe(false);
  });
});
