import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { CaRefusal } from '../integrations/ca-orders/ca-order-gateway';
import { classifyActivityError } from './activity-errors';

describe('CA failures in certificate order activities', () => {
  it('a CA refusal is a final business failure carrying the CA’s message in both languages', () => {
    const f = classifyActivityError(new CaRefusal('ORDER_PAID', '订单已支付，无法撤销', 'The order has been paid and cannot be cancelled')) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('ORDER_PAID');
    expect(f.details).toEqual([{ code: 'ORDER_PAID', message: '订单已支付，无法撤销', messageEn: 'The order has been paid and cannot be cancelled' }]);
  });

  it('a network failure talking to the CA is infrastructure: passed through to be retried', () => {
    const down = new Error('fetch failed: ECONNREFUSED');
    expect(classifyActivityError(down)).toBe(down);
  });
});
