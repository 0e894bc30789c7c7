import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertEnterpriseMayCreateSeals, assertEnterpriseMayTransact, ENTERPRISE_RECERTIFYING, recertificationNotice } from './enterprise-standing';
import { isOpenChangeStatus, OPEN_CHANGE_STATUSES } from './enterprise-change.entity';

describe('enterprise standing (待重新认证)', () => {
  it('a normal enterprise may transact and create seals; no notice', () => {
    expect(() => assertEnterpriseMayTransact({ standing: 'normal' })).not.toThrow();
    expect(() => assertEnterpriseMayCreateSeals({ standing: 'normal' })).not.toThrow();
    expect(recertificationNotice({ standing: 'normal' })).toBeNull();
  });

  it('a recertifying enterprise gets 409 ENTERPRISE_RECERTIFYING with zh + en messages, and the same notice for views', () => {
    let err: unknown;
    try {
      assertEnterpriseMayTransact({ standing: 'recertifying' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'conflict', code: ENTERPRISE_RECERTIFYING });
    expect((err as AppError).message).toContain('不能签署或发起合同');
    expect((err as AppError).messageEn).toContain('cannot sign or start contracts');
    expect(recertificationNotice({ standing: 'recertifying' })).toEqual({ code: ENTERPRISE_RECERTIFYING, message: (err as AppError).message, messageEn: (err as AppError).messageEn });
    expect(() => assertEnterpriseMayCreateSeals({ standing: 'recertifying' })).toThrow(expect.objectContaining({ code: ENTERPRISE_RECERTIFYING }));
  });

  it('open change statuses are exactly those that hold the live key', () => {
    expect(OPEN_CHANGE_STATUSES).toEqual(['drafting', 'awaiting_submission', 'under_review', 'rejected']);
    expect(['approved', 'abandoned', 'lapsed', 'completed'].map((s) => isOpenChangeStatus(s as never))).toEqual([false, false, false, false]);
  });
});
