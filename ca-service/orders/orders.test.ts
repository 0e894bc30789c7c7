import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../../integrations/ca/csr';
import { createLocalCertificateAuthority, type CaMaterialStore, type StoredCaMaterial } from '../../integrations/ca/local-ca';
import { CaServiceError } from '../errors';
import { CaOrderSchema } from '../persistence/entities';
import { openCaServiceOrm } from '../persistence/orm';
import type { PlatformCa } from '../platform-ca';
import { cancelRefusal } from './order-status';
import { approveOrder, cancelOrder, mintAccessToken, orderEvents, orderForAccessToken, parseSubmit, rejectOrder, staffStep, submitOrder } from './orders';

let dir: string;
let orm: MikroORM;
let platformCa: PlatformCa;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-svc-orders-'));
  orm = await openCaServiceOrm(path.join(dir, 'orders.sqlite'));
  let material: StoredCaMaterial | null = null;
  const store: CaMaterialStore = { load: async () => material, save: async (m) => void (material ??= m) };
  const ca = await createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'unit-master-key', store, keyBits: { root: 2048, issuing: 2048 } });
  platformCa = { get: async () => ca, close: async () => {} };
});
afterAll(async () => {
  await orm.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function submit() {
  const { csrPem } = await createKeyAndCsr({ commonName: 'x' });
  n++;
  const input = parseSubmit({ platformOrderId: `p-${n}-${Date.now()}`, enterpriseName: '示例有限公司', uscc: '91330106MA2B3C4D5E', sealId: `seal-${n}`, sealName: '公章', csrPem, validityDays: 30, kind: 'new' });
  return (await submitOrder(orm.em.fork(), input, 12_345)).order;
}

async function statusOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'ok', (e: unknown) => (e instanceof CaServiceError ? e.code : `unexpected ${String(e)}`));
}

describe('CA order use cases', () => {
  it('cancel refusals name the status: paid → ORDER_PAID, auditing → ORDER_AUDITED, issued/rejected → ORDER_FINISHED', () => {
    expect(cancelRefusal('pending_payment')).toBeNull();
    expect(cancelRefusal('cancelled')).toBeNull();
    expect(cancelRefusal('paid')).toMatchObject({ status: 409, code: 'ORDER_PAID' });
    expect(cancelRefusal('auditing')).toMatchObject({ status: 409, code: 'ORDER_AUDITED' });
    expect(cancelRefusal('issued')).toMatchObject({ code: 'ORDER_FINISHED', messageZh: '订单已结束（已签发），无法撤销' });
    expect(cancelRefusal('rejected')).toMatchObject({ code: 'ORDER_FINISHED', messageEn: 'The order has ended (rejected) and cannot be cancelled' });
  });

  it('a cancel racing a “mark paid”: exactly one of them happens, and the log has exactly one transition', async () => {
    for (let i = 0; i < 5; i++) {
      const order = await submit();
      const [cancel, paid] = await Promise.all([statusOf(cancelOrder(orm.em.fork(), order.id, '撤销')), statusOf(staffStep(orm.em.fork(), order.id, 'mark_paid'))]);
      expect([cancel, paid].sort()).toEqual(cancel === 'ok' ? ['ORDER_STATUS_CHANGED', 'ok'] : ['ORDER_PAID', 'ok']);
      const events = await orderEvents(orm.em.fork(), order.id);
      expect(events.map((e) => e.action)).toEqual(['submitted', cancel === 'ok' ? 'cancelled' : 'paid']);
    }
  });

  it('approve and reject racing: one wins; an issued certificate is only recorded when the approval won', async () => {
    const order = await submit();
    await staffStep(orm.em.fork(), order.id, 'mark_paid');
    await staffStep(orm.em.fork(), order.id, 'start_audit');
    const [approve, reject] = await Promise.all([statusOf(approveOrder(orm.em.fork(), order.id, platformCa)), statusOf(rejectOrder(orm.em.fork(), order.id, '材料不全'))]);
    expect([approve, reject].filter((s) => s === 'ok')).toHaveLength(1);
    const final = await orm.em.fork().findOneOrFail(CaOrderSchema, { id: order.id });
    expect(final.status).toBe(approve === 'ok' ? 'issued' : 'rejected');
    expect(final.certificatePem === null).toBe(approve !== 'ok');
    expect(final.amountFen).toBe(12_345);
  });

  it('steps out of order are refused with the current status; access tokens are per order and hashed', async () => {
    const order = await submit();
    expect(await statusOf(staffStep(orm.em.fork(), order.id, 'start_audit'))).toBe('ORDER_STATUS_CHANGED');
    expect(await statusOf(approveOrder(orm.em.fork(), order.id, platformCa))).toBe('ORDER_STATUS_CHANGED');
    expect(await statusOf(rejectOrder(orm.em.fork(), order.id, 'x'))).toBe('ORDER_STATUS_CHANGED');
    const token = await mintAccessToken(orm.em.fork(), order.id);
    expect((await orderForAccessToken(orm.em.fork(), order.id, token))?.id).toBe(order.id);
    const stored = await orm.em.fork().getConnection().execute('select token_hash from ca_access_tokens');
    expect(JSON.stringify(stored)).not.toContain(token);
    // Expired links open nothing.
    expect(await orderForAccessToken(orm.em.fork(), order.id, token, new Date(Date.now() + 8 * 86_400_000))).toBeNull();
  });
});
