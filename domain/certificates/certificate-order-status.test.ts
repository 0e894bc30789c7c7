import { describe, expect, it } from 'vitest';
import { canTransitionOrder, CERTIFICATE_ORDER_STATUSES, isOpenOrderStatus, mayCancelOrder } from './certificate-order-status';

describe('certificate order state machine', () => {
  it('moves forward along the CA lifecycle, skipping steps a poll missed', () => {
    expect(canTransitionOrder('pending_submission', 'pending_payment')).toBe(true);
    expect(canTransitionOrder('pending_payment', 'paid')).toBe(true);
    expect(canTransitionOrder('pending_payment', 'issued')).toBe(true);
    expect(canTransitionOrder('paid', 'auditing')).toBe(true);
    expect(canTransitionOrder('auditing', 'rejected')).toBe(true);
  });

  it('never moves backwards, to the same status, or out of a final status', () => {
    expect(canTransitionOrder('auditing', 'paid')).toBe(false);
    expect(canTransitionOrder('paid', 'paid')).toBe(false);
    expect(canTransitionOrder('paid', 'pending_submission')).toBe(false);
    for (const to of CERTIFICATE_ORDER_STATUSES) {
      expect(canTransitionOrder('issued', to)).toBe(false);
      expect(canTransitionOrder('cancelled', to)).toBe(false);
      expect(canTransitionOrder('rejected', to)).toBe(false);
    }
  });

  it('lets the applicant cancel only before payment', () => {
    expect(CERTIFICATE_ORDER_STATUSES.filter(mayCancelOrder)).toEqual(['pending_submission', 'pending_payment']);
    expect(CERTIFICATE_ORDER_STATUSES.filter(isOpenOrderStatus)).toEqual(['pending_submission', 'pending_payment', 'paid', 'auditing']);
  });
});
