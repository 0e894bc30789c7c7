// @sqlite-too: the submit's claim and the abandon are conditional UPDATEs whose row counts decide the race, on each dialect.
/**
 * A certificate order's submit (the workflow's activity) against the API's compensation
 * `abandonUnstartedOrder` (a workflow start that timed out on the API's side but ran on the
 * server), each interleaving forced deterministically with a fake CA that counts its calls:
 * - the abandon lands after the submit checked the status (after it stored the key, or before its
 *   claim): the abandon wins, nothing reaches the CA, the seal is free again;
 * - the abandon lands after the claim: the claim wins, the abandon ends nothing and the order goes
 *   on with its CA order (left to its workflow);
 * - an order that ends on the platform while the CA takes it: the CA order is cancelled (the rule in
 *   certificate-order-progress.ts), again on a repeated submit after the CA cancel failed;
 * - 撤销 of the claimed order (it ends on the platform: no CA order id yet) between the CA's answer and
 *   the submit's write: 撤销 finds the CA order by the platform order id and cancels it, the submit's
 *   write loses and finds it cancelled;
 * - a claimed order whose submit's answers were all lost: 撤销 finds its CA order by the platform order
 *   id and cancels it, once; with the CA unreachable for the lookup 撤销 still ends it (a best effort);
 *   one that never reached the CA is looked up and left.
 * - what those steps could not settle (the CA unreachable when 撤销 looked, a submit the CA committed only after
 *   撤销 looked for it) the reconciler's sweep settles later, once (settle-ended-orders-at-ca.ts).
 * In every case: no CA order is left open behind an ended order.
 * And 撤销 commits its ending with its audit row: one that cannot write the row changes nothing, and a retry
 * after the ending committed (its answer lost) answers 已撤销.
 */
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { cancelCertificateOrder, submitCertificateOrder } from '../../domain/certificates/certificate-order-progress';
import { isConcurrentChange } from '../../domain/persistence/concurrency';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { abandonUnstartedOrder, applyForSealCertificate } from '../../domain/certificates/certificate-orders';
import { DEFAULT_ENDED_ORDER_SWEEP_OPTIONS, settleEndedOrdersAtCa } from '../../domain/certificates/settle-ended-orders-at-ca';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { CaRefusal, type CaOrderGateway, type CaOrderSnapshot, type CaOrderStatus } from '../../integrations/ca-orders/ca-order-gateway';
import { AUDIT_REJECTED, rejectAuditAction } from '../harness/audit-failure';
import { activeMembership, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { actorOf as actor, forkRacedAt, forkRacedBeforeWrite, outcomeOf as outcome } from '../harness/race-hooks';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const rowOf = (id: string) => em().findOneOrFail(CertificateOrderSchema, { id });

/** A fake CA: one order per platform order id (submit is idempotent), counting its calls. */
function fakeCa(options: { onSubmit?: (platformOrderId: string) => Promise<void>; failCancels?: number; failFinds?: number; paid?: boolean } = {}) {
  const orders = new Map<string, { caOrderId: string; status: CaOrderStatus }>();
  const calls = { submit: 0, cancel: 0 };
  /** The platform order ids looked up with findByPlatformOrderId. */
  const finds: string[] = [];
  let failCancels = options.failCancels ?? 0;
  let failFinds = options.failFinds ?? 0;
  const snap = (o: { caOrderId: string; status: CaOrderStatus }): CaOrderSnapshot => ({ caOrderId: o.caOrderId, status: o.status, amountFen: 30000, rejectReason: null, certificatePem: null, chainPem: [], paidAt: null, auditedAt: null, issuedAt: null, updatedAt: new Date().toISOString() });
  const byCaId = (caOrderId: string) => [...orders.values()].find((o) => o.caOrderId === caOrderId)!;
  const gateway: CaOrderGateway = {
    async submit(req) {
      calls.submit++;
      const o = orders.get(req.platformOrderId) ?? { caOrderId: `ca-${req.platformOrderId}`, status: 'pending_payment' as const };
      orders.set(req.platformOrderId, o);
      await options.onSubmit?.(req.platformOrderId);
      return snap(o);
    },
    get: async (caOrderId) => snap(byCaId(caOrderId)),
    async findByPlatformOrderId(platformOrderId) {
      finds.push(platformOrderId);
      if (failFinds > 0) {
        failFinds--;
        throw new Error('CA service GET /api/orders/by-platform-id/x failed: connect ECONNREFUSED');
      }
      const o = orders.get(platformOrderId);
      return o ? snap(o) : null;
    },
    async cancel(caOrderId) {
      calls.cancel++;
      if (failCancels > 0) {
        failCancels--;
        throw new Error('CA service POST /api/orders/x/cancel failed: connect ECONNREFUSED');
      }
      const o = byCaId(caOrderId);
      if (options.paid) throw new CaRefusal('ORDER_PAID', '订单已支付，无法撤销', 'The order has been paid');
      if (o.status === 'pending_payment') o.status = 'cancelled';
      return snap(o);
    },
    applicantUrl: async () => Promise.reject(new Error('not used')),
    revokeCertificate: async () => Promise.reject(new Error('not used')),
  };
  return { gateway, calls, finds, open: () => [...orders.values()].filter((o) => o.status === 'pending_payment') };
}

/** A new 待提交 order for a fresh enterprise's official seal; `withKey`: its key and CSR already stored (a repeated submit). */
async function newOrder(label: string, withKey = false) {
  const admin = await createUser(platform.services, `${label}管理员`);
  const created = await createCertifiedEnterprise(platform.services, admin, `${label}有限公司`, ['official']);
  const x = em();
  const enterprise = await x.findOneOrFail(EnterpriseSchema, { id: created.id });
  const seal = await x.findOneOrFail(SealSchema, { enterpriseId: created.id, type: 'official' });
  const order = await applyForSealCertificate(x, enterprise, seal.id, { user: admin, actor: actor(admin), membership: await activeMembership(x, enterprise.id, admin) });
  if (withKey) await em().nativeUpdate(CertificateOrderSchema, { id: order.id }, { csrPem: 'stored by an earlier attempt', privateKeyEncrypted: 'ciphertext' });
  return { order, seal, enterprise, admin };
}

const submit = (x: EntityManager, gateway: CaOrderGateway, orderId: string) => submitCertificateOrder(x, gateway, platform.config.masterKey, orderId);

describe('certificate order submit against the abandon of an unstarted order', () => {
  it('the abandon after the submit checked the status and stored the key wins: the CA is not asked, the order ends 已撤销 and the seal is free', async () => {
    const { order } = await newOrder('证书竞态甲');
    const ca = fakeCa();
    let abandoned: boolean | undefined;
    const raced = forkRacedAt(em(), 'afterTransactionCommit', async () => (abandoned = await abandonUnstartedOrder(em(), order.id)));
    const result = await outcome(submit(raced, ca.gateway, order.id).then((p) => expect(p.status).toBe('cancelled')));
    expect(abandoned).toBe(true);
    expect(ca.calls.submit).toBe(0);
    expect(ca.open()).toEqual([]);
    expect(result).toBe('ok');
    const row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey, row.submittedAt]).toEqual(['cancelled', null, null, null]);
  });

  it('the abandon after the submit loaded the row, before it stored its key: the abandon moved the version on (MikroORM bumps it in every nativeUpdate of a versioned entity), so the cancelled order keeps no key', async () => {
    const { order } = await newOrder('证书竞态戊');
    const ca = fakeCa();
    let abandoned: boolean | undefined;
    const raced = forkRacedAt(em(), 'onLoad', async () => (abandoned = await abandonUnstartedOrder(em(), order.id)), [SealSchema]); // after the status check, before the key is made
    expect((await submit(raced, ca.gateway, order.id)).status).toBe('cancelled');
    expect(abandoned).toBe(true);
    expect(ca.calls.submit).toBe(0);
    const row = await rowOf(order.id);
    expect([row.status, row.submittedAt]).toEqual(['cancelled', null]);
    expect(await em().count(CertificateOrderSchema, { id: order.id, csrPem: null, privateKeyEncrypted: null })).toBe(1); // lazy columns: asked for by a filter
  });

  it('a repeated submit (key stored before): the abandon after its status check, before its claim, wins; nothing reaches the CA', async () => {
    const { order } = await newOrder('证书竞态乙', true);
    const ca = fakeCa();
    let abandoned: boolean | undefined;
    const raced = forkRacedAt(em(), 'onLoad', async () => (abandoned = await abandonUnstartedOrder(em(), order.id)), [SealSchema]); // the submit's next read after the status check
    const result = await outcome(submit(raced, ca.gateway, order.id).then((p) => expect(p.status).toBe('cancelled')));
    expect(abandoned).toBe(true);
    expect(ca.calls.submit).toBe(0);
    expect(ca.open()).toEqual([]);
    expect(result).toBe('ok');
    expect((await rowOf(order.id)).status).toBe('cancelled');
  });

  it('the abandon after the claim ends nothing: the order goes on 待支付 with its CA order, left to its workflow', async () => {
    const { order, seal } = await newOrder('证书竞态丙', true);
    const ca = fakeCa();
    let abandoned: boolean | undefined;
    const raced = forkRacedBeforeWrite(em(), async () => (abandoned = await abandonUnstartedOrder(em(), order.id)));
    const result = await outcome(submit(raced, ca.gateway, order.id));
    expect(abandoned).toBe(false);
    expect(ca.calls.submit).toBe(1);
    const row = await rowOf(order.id);
    // The one CA order belongs to an open order (its workflow follows it, 撤销 reaches it); the seal stays taken.
    expect([result, row.status, row.caOrderId, row.liveKey]).toEqual(['ok', 'pending_payment', `ca-${order.id}`, seal.id]);
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id })).toBe(0);
  });

  it('an order that ended on the platform while the CA took it: the CA order is cancelled, again by a repeated submit after the CA cancel failed', async () => {
    const { order } = await newOrder('证书竞态丁', true);
    // Ended locally between the claim and the CA's answer (as 撤销 or the submit deadline of a claimed order does).
    const ca = fakeCa({ failCancels: 1, onSubmit: async (id) => void (await em().nativeUpdate(CertificateOrderSchema, { id }, { status: 'cancelled', rejectReason: '平台撤销', endedAt: new Date(), liveKey: null })) });
    expect(await outcome(submit(em(), ca.gateway, order.id))).toContain('ECONNREFUSED'); // the activity retries it
    let row = await rowOf(order.id);
    expect([row.status, row.caOrderId]).toEqual(['cancelled', `ca-${order.id}`]); // recorded before the cancel: the retry finds it
    expect(ca.open()).toHaveLength(1);
    expect(await submit(em(), ca.gateway, order.id)).toMatchObject({ status: 'cancelled', caIssued: false });
    expect(ca.calls).toEqual({ submit: 1, cancel: 2 });
    expect(ca.open()).toEqual([]);
    row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey]).toEqual(['cancelled', `ca-${order.id}`, null]);
    const audit = await em().find(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id });
    expect(audit.map((a) => a.detail)).toEqual([expect.stringContaining('"atCa":"cancelled"')]);
    // The submit once more (replayed by an operator's Reset of the order's workflow): the CA is not asked again, no second row.
    expect(await submit(em(), ca.gateway, order.id)).toMatchObject({ status: 'cancelled', caIssued: false });
    expect(ca.calls).toEqual({ submit: 1, cancel: 2 });
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id })).toBe(1);
  });

  it('撤销 of a claimed order between the CA’s answer and the submit’s write: the order ends on the platform, the submit’s write loses and it cancels the CA order it got', async () => {
    const { order, admin, seal } = await newOrder('证书竞态己', true);
    const ca = fakeCa();
    let cancelled: string | undefined;
    // The submit's first transaction is its write of the CA's answer (the claim is a single UPDATE).
    const raced = forkRacedBeforeWrite(em(), async () => (cancelled = await outcome(cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了').then((p) => expect(p.status).toBe('cancelled')))));
    const result = await outcome(submit(raced, ca.gateway, order.id).then((p) => expect(p.status).toBe('cancelled')));
    expect([cancelled, result]).toEqual(['ok', 'ok']);
    expect(ca.calls).toEqual({ submit: 1, cancel: 1 }); // one cancel at the CA: 撤销's (it found the order by its id), the submit saw it done
    expect(ca.open()).toEqual([]);
    const row = await rowOf(order.id);
    expect([row.status, row.rejectReason, row.caOrderId, row.liveKey]).toEqual(['cancelled', '不需要了', `ca-${order.id}`, null]);
    const audit = await em().find(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id }, { orderBy: { at: 'asc', id: 'asc' } });
    expect(audit.map((a) => JSON.parse(a.detail!) as Record<string, unknown>)).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: 'pending_submission', to: 'cancelled', claimed: true }), expect.objectContaining({ atCa: 'cancelled', caOrderId: `ca-${order.id}` })]),
    );
    expect(await em().count(CertificateOrderSchema, { liveKey: seal.id })).toBe(0);
  });
});

describe('a claimed order whose submit never learnt its CA order', () => {
  it('the CA took the order but every answer was lost: 撤销 ends it on the platform and cancels the CA order it finds by the platform order id, once', async () => {
    const { order, admin, seal } = await newOrder('证书应答丢失', true);
    // The CA creates the order, then the answer is lost (the submit's retries ran out with the CA unreachable).
    const ca = fakeCa({ failFinds: 1, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    expect(await outcome(submit(em(), ca.gateway, order.id))).toContain('socket hang up');
    let row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.submittedAt === null]).toEqual(['pending_submission', null, false]);
    expect(ca.open()).toHaveLength(1);

    // 撤销 ends it on the platform even with the CA unreachable for the lookup (a best effort: logged, the CA order left);
    // asked again once the CA answers (here the 撤销 repeated), the CA order is found and cancelled there.
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey]).toEqual(['cancelled', null, null]);
    expect(ca.open()).toHaveLength(1);
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect(ca.open()).toEqual([]);
    row = await rowOf(order.id);
    expect([row.status, row.caOrderId]).toEqual(['cancelled', `ca-${order.id}`]);
    const details = async () => (await em().find(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id }, { orderBy: { at: 'asc', id: 'asc' } })).map((a) => JSON.parse(a.detail!) as Record<string, unknown>);
    expect(await details()).toEqual([expect.objectContaining({ from: 'pending_submission', to: 'cancelled', claimed: true }), expect.objectContaining({ atCa: 'cancelled', caOrderId: `ca-${order.id}` })]);
    // The CA order id the ended order now holds is explained by its own row, written with it.
    expect((await em().find(AuditEventSchema, { action: 'certificate_order.ca_order_found', targetId: order.id })).map((a) => JSON.parse(a.detail!) as Record<string, unknown>)).toEqual([expect.objectContaining({ caOrderId: `ca-${order.id}`, status: 'cancelled' })]);

    // Repeated (the activity's retry after its answer was lost, the submit replayed by a Reset): nothing asked or written again.
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect((await submit(em(), ca.gateway, order.id)).status).toBe('cancelled');
    expect(ca.calls).toEqual({ submit: 1, cancel: 1 });
    expect(await details()).toHaveLength(2);
    expect(await em().count(CertificateOrderSchema, { liveKey: seal.id })).toBe(0);
  });

  it('two 撤销 at once (two tabs) on such an order: both answer 已撤销 (a loser of the row write retried, as its activity would), the CA order is cancelled, nothing is left half-written', async () => {
    const { order, admin } = await newOrder('证书并发撤销', true);
    const ca = fakeCa({ onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    const cancel = () => cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了');
    const first = await Promise.allSettled([cancel(), cancel()]);
    // A loser of the version-checked write is a retryable conflict, never a refusal or a wrong answer.
    for (const r of first) if (r.status === 'rejected') expect(isConcurrentChange(r.reason)).toBe(true);
    for (const r of first) expect(r.status === 'fulfilled' ? r.value.status : (await cancel()).status).toBe('cancelled');
    expect(ca.open()).toEqual([]);
    const row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey]).toEqual(['cancelled', `ca-${order.id}`, null]);
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id, detail: { $like: '%"claimed":true%' } })).toBe(1);
  });

  it('a CA order the CA refuses to cancel (paid meanwhile) is left to its staff: asked once, a repeat asks nothing and writes nothing', async () => {
    const { order, admin } = await newOrder('证书已付', true);
    const ca = fakeCa({ paid: true, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect((await submit(em(), ca.gateway, order.id)).status).toBe('cancelled');
    expect(ca.calls.cancel).toBe(1);
    // Audited as the CA's refusal (the CA order is paid and open at the CA), not as a cancellation.
    const rows = await em().find(AuditEventSchema, { action: 'certificate_order.ca_cancel_refused', targetId: order.id });
    expect(rows.map((r) => JSON.parse(r.detail!) as Record<string, unknown>)).toEqual([expect.objectContaining({ atCa: 'refused', code: 'ORDER_PAID', caOrderId: `ca-${order.id}` })]);
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id, detail: { $like: '%"atCa"%' } })).toBe(0);
  });

  it('the claimed submit never reached the CA: 撤销 finds no CA order and asks nothing more', async () => {
    const { order, admin } = await newOrder('证书未达', true);
    const ca = fakeCa();
    await em().nativeUpdate(CertificateOrderSchema, { id: order.id }, { submittedAt: new Date() }); // claimed; the call never arrived
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect(ca.finds).toEqual([order.id]);
    expect(ca.calls).toEqual({ submit: 0, cancel: 0 });
    expect((await rowOf(order.id)).caOrderId).toBeNull();
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id })).toBe(1);
  });
});

describe('撤销 and its audit row', () => {
  it('a 撤销 whose audit row cannot be written changes nothing (the order stays 待提交, its seal taken); once done, a retry answers 已撤销', async () => {
    const { order, admin, seal } = await newOrder('证书撤销审计');
    const ca = fakeCa();
    const allowAudit = await rejectAuditAction(platform.services, 'certificate_order.cancelled', order.id);
    let failed: string;
    try {
      failed = await outcome(cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了'));
    } finally {
      await allowAudit();
    }
    expect(failed).toContain(AUDIT_REJECTED);
    let row = await rowOf(order.id);
    expect([row.status, row.liveKey, row.endedAt, row.rejectReason]).toEqual(['pending_submission', seal.id, null, null]);
    // The activity's retry ends it; a retry after that committed (its answer lost) is answered as done, not 409.
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    row = await rowOf(order.id);
    expect([row.status, row.liveKey, row.rejectReason]).toEqual(['cancelled', null, '不需要了']);
    expect(await em().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id })).toBe(1);
    expect(ca.calls).toEqual({ submit: 0, cancel: 0 });
  });
});

describe('the reconciler’s sweep of the CA side of ended orders', () => {
  const DAY = 86_400_000;
  /** Moves the order's end `daysAgo` days back, and sweeps only orders that ended within a minute of that (other tests' orders stay out). */
  const endedDaysAgo = (orderId: string, daysAgo: number) => em().nativeUpdate(CertificateOrderSchema, { id: orderId }, { endedAt: new Date(Date.now() - daysAgo * DAY) });
  const sweepSlot = (gateway: CaOrderGateway, daysAgo: number) => settleEndedOrdersAtCa(em(), gateway, { windowMs: daysAgo * DAY + 60_000, graceMs: daysAgo * DAY - 60_000, limit: 100 });
  const atCaRows = async (orderId: string) => (await em().find(AuditEventSchema, { action: { $in: ['certificate_order.cancelled', 'certificate_order.ca_cancel_refused'] }, targetId: orderId })).filter((r) => r.detail?.includes('"atCa"'));

  it('the CA unreachable when 撤销 looked: the order ended on the platform, and a later pass cancels the CA order it finds, once', async () => {
    const { order, admin } = await newOrder('证书清扫甲', true);
    const ca = fakeCa({ failFinds: 1, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect(ca.open()).toHaveLength(1);
    await endedDaysAgo(order.id, 3);

    expect(await sweepSlot(ca.gateway, 3)).toEqual({ settled: [{ orderId: order.id, atCa: 'cancelled' }] });
    expect(ca.open()).toEqual([]);
    const row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey]).toEqual(['cancelled', `ca-${order.id}`, null]);
    // The next pass asks nothing: the audit row says the CA order is settled.
    expect(await sweepSlot(ca.gateway, 3)).toEqual({ settled: [] });
    expect(ca.calls.cancel).toBe(1);
    expect(await atCaRows(order.id)).toHaveLength(1);
  });

  it('a submit the CA committed only after 撤销 looked for it (found none): a later pass finds it and cancels it', async () => {
    const { order, admin } = await newOrder('证书清扫乙', true);
    const ca = fakeCa();
    await em().nativeUpdate(CertificateOrderSchema, { id: order.id }, { submittedAt: new Date() }); // claimed, still on its way to the CA
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    expect(ca.finds).toEqual([order.id]);
    // The CA commits the late submit now.
    await ca.gateway.submit({ platformOrderId: order.id } as Parameters<CaOrderGateway['submit']>[0]);
    expect(ca.open()).toHaveLength(1);
    await endedDaysAgo(order.id, 4);

    expect(await sweepSlot(ca.gateway, 4)).toEqual({ settled: [{ orderId: order.id, atCa: 'cancelled' }] });
    expect(ca.open()).toEqual([]);
    expect((await rowOf(order.id)).status).toBe('cancelled');
  });

  it('the CA unreachable during a pass: the order is reported, the pass goes on, and the next pass settles it', async () => {
    const { order, admin } = await newOrder('证书清扫丙', true);
    const ca = fakeCa({ failFinds: 2, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    await endedDaysAgo(order.id, 5);

    const first = await sweepSlot(ca.gateway, 5);
    expect(first.settled).toEqual([]);
    expect(first.failed).toEqual([{ orderId: order.id, error: expect.stringContaining('ECONNREFUSED') }]);
    expect(ca.open()).toHaveLength(1);
    expect(await sweepSlot(ca.gateway, 5)).toEqual({ settled: [{ orderId: order.id, atCa: 'cancelled' }] });
    expect(ca.open()).toEqual([]);
  });

  it('a CA order the CA refuses to cancel (paid meanwhile) is reported once and left to the CA’s staff', async () => {
    const { order, admin } = await newOrder('证书清扫丁', true);
    const ca = fakeCa({ paid: true, failFinds: 1, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    await endedDaysAgo(order.id, 6);
    expect(await sweepSlot(ca.gateway, 6)).toEqual({ settled: [{ orderId: order.id, atCa: 'refused' }] });
    expect(await sweepSlot(ca.gateway, 6)).toEqual({ settled: [] });
    expect(ca.calls.cancel).toBe(1);
    expect(await atCaRows(order.id)).toHaveLength(1);
  });

  it('two passes at once (a pass and an operator’s manual run): the CA order is cancelled, the row ends consistent, nothing fails', async () => {
    const { order, admin } = await newOrder('证书清扫并发', true);
    const ca = fakeCa({ failFinds: 1, onSubmit: async () => Promise.reject(new Error('CA service POST /api/orders failed: socket hang up')) });
    await outcome(submit(em(), ca.gateway, order.id));
    expect((await cancelCertificateOrder(em(), ca.gateway, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    await endedDaysAgo(order.id, 8);
    const passes = await Promise.allSettled([sweepSlot(ca.gateway, 8), sweepSlot(ca.gateway, 8)]);
    // A pass whose row write lost to the other's reports the order (the next pass finds it settled); none throws.
    for (const p of passes) expect(p.status).toBe('fulfilled');
    expect(ca.open()).toEqual([]);
    const row = await rowOf(order.id);
    expect([row.status, row.caOrderId, row.liveKey]).toEqual(['cancelled', `ca-${order.id}`, null]);
    // The CA answers a second cancel as cancelled: at most one extra call and row, and the next pass asks nothing.
    expect(ca.calls.cancel).toBeLessThanOrEqual(2);
    const calls = ca.calls.cancel;
    expect(await sweepSlot(ca.gateway, 8)).toEqual({ settled: [] });
    expect(ca.calls.cancel).toBe(calls);
  });

  it('orders the sweep does not ask about: never claimed (never at the CA), ended before the window, ended just now (its own step may still be at the CA)', async () => {
    const ca = fakeCa();
    const unclaimed = await newOrder('证书清扫戊');
    expect((await cancelCertificateOrder(em(), ca.gateway, unclaimed.order.id, unclaimed.admin.id, '不需要了')).status).toBe('cancelled');
    await endedDaysAgo(unclaimed.order.id, 7);
    const old = await newOrder('证书清扫己', true);
    const recent = await newOrder('证书清扫庚', true);
    for (const o of [old, recent]) {
      await em().nativeUpdate(CertificateOrderSchema, { id: o.order.id }, { submittedAt: new Date() });
      expect((await cancelCertificateOrder(em(), ca.gateway, o.order.id, o.admin.id, '不需要了')).status).toBe('cancelled');
    }
    await endedDaysAgo(old.order.id, DEFAULT_ENDED_ORDER_SWEEP_OPTIONS.windowMs / DAY + 1);
    ca.finds.length = 0;

    expect((await sweepSlot(ca.gateway, 7)).settled).toEqual([]);
    await settleEndedOrdersAtCa(em(), ca.gateway);
    for (const id of [unclaimed.order.id, old.order.id, recent.order.id]) expect(ca.finds).not.toContain(id);
    expect(ca.calls).toEqual({ submit: 0, cancel: 0 });
  });
});
