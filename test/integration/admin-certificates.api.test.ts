// @sqlite-too: filters by name / USCC text and date ranges are SQL that differs by dialect.
/**
 * Operator lists (M37 "all orders and certificates searchable") over HTTP on the real database
 * (both dialects): CA orders filtered by status, enterprise name / USCC, seal type and date range,
 * each with its workflow's Temporal UI link; certificates filtered by owner type, enterprise,
 * state, expiry and serial number. Operators only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateOrderSchema, type CertificateOrder } from '../../domain/certificates/certificate-order.entity';
import type { CertificateOrderStatus } from '../../domain/certificates/certificate-order-status';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import type { Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { addSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const DAY_MS = 86_400_000;
let platform: TestPlatform;
let op: ApiClient;
let admin: User;
const tag = randomUUID().slice(0, 6);
let a: Enterprise;
let b: Enterprise;
let sealsA: Seal[];
let sealsB: Seal[];

async function order(enterprise: Enterprise, seal: Seal, status: CertificateOrderStatus, createdAt: Date, over: Partial<CertificateOrder> = {}) {
  const em = platform.services.orm.em.fork();
  const o = em.create(CertificateOrderSchema, {
    id: randomUUID(), enterpriseId: enterprise.id, sealId: seal.id, kind: 'new', renewsCertificateId: null, status, caOrderId: `CA-${randomUUID().slice(0, 8)}`,
    amountFen: 50_000, rejectReason: status === 'rejected' ? '材料不全' : null, privateKeyEncrypted: null, csrPem: null, certificateId: null, createdBy: admin.id, createdAt,
    submittedAt: createdAt, paidAt: null, auditedAt: null, issuedAt: null, endedAt: null, lastPolledAt: null, ...over,
  });
  await em.flush();
  return o;
}

const list = async (resource: string, filter: Record<string, unknown>, extra = '') => {
  const r = await op.get(`/admin/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as Record<string, any>[];
};

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await createUser(platform.services, '检索管理员');
  const operator = await createUser(platform.services, '检索运营', 'operator');
  op = new ApiClient(platform.baseUrl);
  await op.login(operator.mobile, TEST_PASSWORD);
  a = await createCertifiedEnterprise(platform.services, admin, `检索甲${tag}科技有限公司`);
  b = await createCertifiedEnterprise(platform.services, admin, `检索乙${tag}贸易有限公司`);
  sealsA = await sealsOf(platform.services, a.id);
  sealsB = await sealsOf(platform.services, b.id);
});
afterAll(async () => platform?.stop());

const byType = (seals: Seal[], type: string) => seals.find((s) => s.type === type)!;

describe('operator lists', () => {
  it('CA orders: filters by enterprise name or USCC, status, seal type and date range; Temporal link per order', async () => {
    const o1 = await order(a, byType(sealsA, 'official'), 'pending_payment', new Date('2026-11-01T02:00:00Z'));
    const o2 = await order(a, byType(sealsA, 'contract'), 'issued', new Date('2026-11-20T02:00:00Z'), { paidAt: new Date('2026-11-21T02:00:00Z'), issuedAt: new Date('2026-11-22T02:00:00Z') });
    const o3 = await order(b, byType(sealsB, 'official'), 'rejected', new Date('2026-11-25T02:00:00Z'));

    const ofA = await list('certificate-orders', { q: `检索甲${tag}` });
    expect(ofA.map((o) => o.id)).toEqual([o2.id, o1.id]); // newest first
    expect(ofA[0]).toMatchObject({ enterpriseName: a.name, uscc: a.uscc, sealType: 'contract', sealTypeName: '合同专用章', status: 'issued', statusLabel: '已签发', workflowId: `ca-order:${o2.id}` });
    expect(ofA[0]!.temporalUrl).toContain(encodeURIComponent(`ca-order:${o2.id}`));
    expect(ofA[0]!.paidAt).toBe('2026-11-21T02:00:00.000Z');

    expect((await list('certificate-orders', { q: a.uscc.slice(0, 17) })).map((o) => o.id)).toEqual([o2.id, o1.id]);
    expect((await list('certificate-orders', { q: tag, status: 'rejected' })).map((o) => o.id)).toEqual([o3.id]);
    expect((await list('certificate-orders', { q: tag, sealType: 'official' })).map((o) => o.id)).toEqual([o3.id, o1.id]);
    // Days are China dates; "to" includes its whole day.
    expect((await list('certificate-orders', { q: tag, from: '2026-11-20', to: '2026-11-25' })).map((o) => o.id)).toEqual([o3.id, o2.id]);
    expect((await list('certificate-orders', { q: tag, to: '2026-11-01' })).map((o) => o.id)).toEqual([o1.id]);

    const paged = await op.get(`/admin/certificate-orders?filter=${encodeURIComponent(JSON.stringify({ q: tag }))}&range=${encodeURIComponent('[1,1]')}&sort=${encodeURIComponent('["createdAt","ASC"]')}`);
    expect(paged.headers.get('content-range')).toBe('admin/certificate-orders 1-1/3');
    expect(paged.json.map((o: { id: string }) => o.id)).toEqual([o2.id]);

    const bad = await op.get(`/admin/certificate-orders?filter=${encodeURIComponent(JSON.stringify({ from: 'yesterday' }))}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'BAD_DATE', message: '日期格式不正确：yesterday', messageEn: 'Invalid date: yesterday' });
    expect((await op.get(`/admin/certificate-orders?filter=${encodeURIComponent(JSON.stringify({ status: 'lost' }))}`)).status).toBe(400);
  });

  it('certificates: filters by owner type, enterprise, state, expiring before and serial number; no key material in the answer', async () => {
    const now = new Date();
    const valid = await addSealCertificate(platform.services, byType(sealsA, 'official'), now, 10, { serialNumber: `aa${tag}0001ff` });
    const expired = await addSealCertificate(platform.services, byType(sealsA, 'contract'), now, -3);
    const revoked = await addSealCertificate(platform.services, byType(sealsB, 'official'), now, 200, { status: 'revoked', revokedAt: now, revocationReason: '密钥泄露' });

    const ofTag = await list('certificates', { q: tag });
    expect(new Set(ofTag.map((c) => c.id))).toEqual(new Set([valid.id, expired.id, revoked.id]));
    expect(ofTag.every((c) => !('privateKeyEncrypted' in c) && !('certificatePem' in c))).toBe(true);
    const v = ofTag.find((c) => c.id === valid.id)!;
    expect(v).toMatchObject({ ownerType: 'seal', ownerTypeLabel: '企业印章', ownerName: byType(sealsA, 'official').name, enterpriseName: a.name, state: 'active', stateLabel: '有效' });

    expect((await list('certificates', { q: tag, state: 'expired' })).map((c) => c.id)).toEqual([expired.id]);
    expect((await list('certificates', { q: tag, state: 'revoked' })).map((c) => c.id)).toEqual([revoked.id]);
    expect((await list('certificates', { q: `检索甲${tag}`, state: 'active' })).map((c) => c.id)).toEqual([valid.id]);
    expect((await list('certificates', { q: tag, expiringBefore: new Date(now.getTime() + 30 * DAY_MS).toISOString() })).map((c) => c.id).sort()).toEqual([valid.id, expired.id].sort());
    // Serial search: part of it, any case, colons allowed.
    expect((await list('certificates', { serial: `A${tag.toUpperCase()}:00` })).map((c) => c.id)).toEqual([valid.id]);

    const person = await createUser(platform.services, '个人证书用户');
    const personal = await addSealCertificate(platform.services, byType(sealsA, 'official'), now, 300, { ownerType: 'user', ownerId: person.id, enterpriseId: null, serialNumber: `bb${tag}0002` });
    const users = await list('certificates', { ownerType: 'user', serial: `bb${tag}` });
    expect(users).toEqual([expect.objectContaining({ id: personal.id, ownerTypeLabel: '个人', ownerName: '个人证书用户', enterpriseName: null })]);
  });

  it('is for operators only', async () => {
    const c = new ApiClient(platform.baseUrl);
    await c.login(admin.mobile, TEST_PASSWORD);
    expect((await c.get('/admin/certificate-orders')).status).toBe(403);
    expect((await c.get('/admin/certificates')).status).toBe(403);
  });
});
