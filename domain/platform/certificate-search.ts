/**
 * 管理后台 (M37): every certificate order and every certificate, searchable by platform
 * operators. Read-only; the enterprise console's own lists live in domain/certificates.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { containsText } from '../persistence/sql-dialect';
import { CERTIFICATE_ORDER_STATUS_LABELS, type CertificateOrderStatus } from '../certificates/certificate-order-status';
import { CertificateOrderSchema, type CertificateOrder } from '../certificates/certificate-order.entity';
import { SigningCertificateSchema, type SigningCertificate } from '../certificates/certificate.entities';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema } from '../enterprises/seal.entities';
import { UserSchema } from '../identity/user.entity';
import { sealTypeOf } from '../seals/seal-types';

const MAX_MATCHES = 2000;

export interface Paging<S extends string> {
  offset: number;
  limit: number;
  orderBy: S;
  direction: 'asc' | 'desc';
}

/** Ids of enterprises whose name contains `q` or whose USCC starts with it (null: no filter). */
async function enterpriseIdsMatching(em: EntityManager, q: string | undefined): Promise<string[] | null> {
  const text = q?.trim();
  if (!text) return null;
  const rows = await em.find(EnterpriseSchema, { $or: [containsText(em, 'name', text), { uscc: { $like: `${text.toUpperCase().replace(/[%_\\]/g, '')}%` } }] }, { fields: ['id'], limit: MAX_MATCHES });
  return rows.map((e) => e.id);
}

export interface OrderSearch extends Paging<'createdAt' | 'paidAt' | 'issuedAt' | 'status'> {
  status?: CertificateOrderStatus;
  q?: string;
  sealType?: string;
  /** createdAt ≥ from and < to. */
  from?: Date;
  to?: Date;
}

export async function searchCertificateOrders(em: EntityManager, s: OrderSearch) {
  const parts: FilterQuery<CertificateOrder>[] = [];
  if (s.status) parts.push({ status: s.status });
  const enterprises = await enterpriseIdsMatching(em, s.q);
  if (enterprises) parts.push({ enterpriseId: { $in: enterprises } });
  if (s.sealType) parts.push({ sealId: { $in: (await em.find(SealSchema, { type: s.sealType }, { fields: ['id'], limit: 10 * MAX_MATCHES })).map((x) => x.id) } });
  if (s.from) parts.push({ createdAt: { $gte: s.from } });
  if (s.to) parts.push({ createdAt: { $lt: s.to } });
  const [rows, total] = await em.findAndCount(CertificateOrderSchema, parts.length ? { $and: parts } : {}, {
    orderBy: { [s.orderBy]: s.direction, id: s.direction },
    offset: s.offset,
    limit: s.limit,
    exclude: ['privateKeyEncrypted', 'csrPem'],
  });
  const [ents, seals] = await Promise.all([
    em.find(EnterpriseSchema, { id: { $in: [...new Set(rows.map((o) => o.enterpriseId))] } }, { fields: ['id', 'name', 'uscc'] }),
    em.find(SealSchema, { id: { $in: [...new Set(rows.map((o) => o.sealId))] } }, { fields: ['id', 'name', 'type'] }),
  ]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    total,
    rows: rows.map((o) => {
      const e = ents.find((x) => x.id === o.enterpriseId);
      const seal = seals.find((x) => x.id === o.sealId);
      const type = seal ? sealTypeOf(seal.type) : undefined;
      return {
        id: o.id,
        enterpriseId: o.enterpriseId,
        enterpriseName: e?.name ?? '',
        uscc: e?.uscc ?? '',
        sealId: o.sealId,
        sealName: seal?.name ?? '',
        sealType: seal?.type ?? '',
        sealTypeName: type?.name ?? seal?.type ?? '',
        sealTypeNameEn: type?.nameEn ?? seal?.type ?? '',
        kind: o.kind,
        status: o.status,
        statusLabel: CERTIFICATE_ORDER_STATUS_LABELS[o.status].zh,
        statusLabelEn: CERTIFICATE_ORDER_STATUS_LABELS[o.status].en,
        caOrderId: o.caOrderId,
        amountFen: o.amountFen,
        rejectReason: o.rejectReason,
        certificateId: o.certificateId,
        createdAt: o.createdAt.toISOString(),
        submittedAt: iso(o.submittedAt),
        paidAt: iso(o.paidAt),
        auditedAt: iso(o.auditedAt),
        issuedAt: iso(o.issuedAt),
        endedAt: iso(o.endedAt),
      };
    }),
  };
}
/** A row of GET /admin/certificate-orders (JSON) before the route adds the order's workflow links. */
export type CertificateOrderSearchRow = Awaited<ReturnType<typeof searchCertificateOrders>>['rows'][number];

export type CertificateState = 'active' | 'expired' | 'revoked';
export const CERTIFICATE_STATE_LABELS: Record<CertificateState, { zh: string; en: string }> = {
  active: { zh: '有效', en: 'Valid' },
  expired: { zh: '已过期', en: 'Expired' },
  revoked: { zh: '已吊销', en: 'Revoked' },
};
const OWNER_LABELS = { seal: { zh: '企业印章', en: 'Enterprise seal' }, user: { zh: '个人', en: 'Person' } } as const;

export interface CertificateSearch extends Paging<'notAfter' | 'createdAt'> {
  ownerType?: 'user' | 'seal';
  q?: string;
  state?: CertificateState;
  /** notAfter < expiringBefore. */
  expiringBefore?: Date;
  serial?: string;
  now: Date;
}

export async function searchCertificates(em: EntityManager, s: CertificateSearch) {
  const parts: FilterQuery<SigningCertificate>[] = [];
  if (s.ownerType) parts.push({ ownerType: s.ownerType });
  const enterprises = await enterpriseIdsMatching(em, s.q);
  if (enterprises) parts.push({ enterpriseId: { $in: enterprises } });
  if (s.state === 'revoked') parts.push({ status: 'revoked' });
  if (s.state === 'active') parts.push({ status: 'active', notAfter: { $gt: s.now } });
  if (s.state === 'expired') parts.push({ status: 'active', notAfter: { $lte: s.now } });
  if (s.expiringBefore) parts.push({ notAfter: { $lt: s.expiringBefore } });
  const serial = s.serial?.replace(/[\s:]/g, '');
  if (serial) parts.push(containsText(em, 'serial_number', serial));
  const [rows, total] = await em.findAndCount(SigningCertificateSchema, parts.length ? { $and: parts } : {}, {
    orderBy: { [s.orderBy]: s.direction, id: s.direction },
    offset: s.offset,
    limit: s.limit,
    exclude: ['privateKeyEncrypted', 'certificatePem'],
  });
  const sealIds = rows.filter((c) => c.ownerType === 'seal').map((c) => c.ownerId);
  const userIds = rows.filter((c) => c.ownerType === 'user').map((c) => c.ownerId);
  const [ents, seals, users] = await Promise.all([
    em.find(EnterpriseSchema, { id: { $in: [...new Set(rows.map((c) => c.enterpriseId).filter((x): x is string => !!x))] } }, { fields: ['id', 'name', 'uscc'] }),
    em.find(SealSchema, { id: { $in: sealIds } }, { fields: ['id', 'name'] }),
    em.find(UserSchema, { id: { $in: userIds } }, { fields: ['id', 'name'] }),
  ]);
  return {
    total,
    rows: rows.map((c) => {
      const state: CertificateState = c.status === 'revoked' ? 'revoked' : c.notAfter <= s.now ? 'expired' : 'active';
      const e = ents.find((x) => x.id === c.enterpriseId);
      const ownerName = c.ownerType === 'seal' ? seals.find((x) => x.id === c.ownerId)?.name : users.find((x) => x.id === c.ownerId)?.name;
      return {
        id: c.id,
        ownerType: c.ownerType,
        ownerTypeLabel: OWNER_LABELS[c.ownerType].zh,
        ownerTypeLabelEn: OWNER_LABELS[c.ownerType].en,
        ownerId: c.ownerId,
        ownerName: ownerName ?? '',
        enterpriseId: c.enterpriseId,
        enterpriseName: e?.name ?? null,
        uscc: e?.uscc ?? null,
        serialNumber: c.serialNumber,
        subject: c.subject,
        issuer: c.issuer,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        state,
        stateLabel: CERTIFICATE_STATE_LABELS[state].zh,
        stateLabelEn: CERTIFICATE_STATE_LABELS[state].en,
        revokedAt: c.revokedAt?.toISOString() ?? null,
        revocationReason: c.revocationReason,
        orderId: c.orderId,
        createdAt: c.createdAt.toISOString(),
      };
    }),
  };
}
/** A row of GET /admin/certificates (JSON). */
export type CertificateSearchRow = Awaited<ReturnType<typeof searchCertificates>>['rows'][number];
