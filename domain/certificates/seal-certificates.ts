/**
 * The certificate state of enterprise seals (M13, M14): the one place that says which certificate a
 * seal signs with and which certificates are expiring. Used by 印章管理 (S), the usability rule
 * (S, issue 8), 企业证书更新 (console) and the expiry reminders (R).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { SealSchema } from '../enterprises/seal.entities';
import { SigningCertificateSchema, type SigningCertificate } from './certificate.entities';
import { OPEN_ORDER_STATUSES, type CertificateOrderStatus } from './certificate-order-status';
import { CertificateOrderSchema } from './certificate-order.entity';
import { signerCredentialsForCertificate, type SignerCredentials } from './signer-keys';

/** A certificate within this many days of its end is "expiring" (企业证书更新, reminders). */
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

/** none: never had one; ordering: an order is open and no usable certificate; issued / expiring: usable; expired / revoked: the latest one no longer is. */
export type SealCertificateState = 'none' | 'ordering' | 'issued' | 'expiring' | 'expired' | 'revoked';

export interface SealCertificateSummary {
  sealId: string;
  state: SealCertificateState;
  certificate: { id: string; serialNumber: string; notBefore: string; notAfter: string; status: 'active' | 'revoked' } | null;
  openOrder: { id: string; status: CertificateOrderStatus; kind: 'new' | 'renewal' } | null;
}

const usable = (c: Pick<SigningCertificate, 'status' | 'notBefore' | 'notAfter'>, now: Date) => c.status === 'active' && c.notBefore <= now && c.notAfter > now;

/** The certificate a seal signs with now: active and within its validity, the one valid longest. */
export async function activeSealCertificate(em: EntityManager, sealId: string, now = new Date()): Promise<SigningCertificate | null> {
  return em.findOne(SigningCertificateSchema, { ownerType: 'seal', ownerId: sealId, status: 'active', notBefore: { $lte: now }, notAfter: { $gt: now } }, { orderBy: { notAfter: 'desc' } });
}

/** The state of several seals at once (lists). */
export async function sealCertificateStates(em: EntityManager, sealIds: string[], now = new Date()): Promise<Map<string, SealCertificateSummary>> {
  const result = new Map<string, SealCertificateSummary>();
  if (sealIds.length === 0) return result;
  const certs = await em.find(SigningCertificateSchema, { ownerType: 'seal', ownerId: { $in: sealIds } }, { orderBy: { notAfter: 'desc' }, fields: ['id', 'ownerId', 'serialNumber', 'notBefore', 'notAfter', 'status'] });
  const orders = await em.find(CertificateOrderSchema, { sealId: { $in: sealIds }, status: { $in: [...OPEN_ORDER_STATUSES] } }, { fields: ['id', 'sealId', 'status', 'kind'] });
  for (const sealId of sealIds) {
    const mine = certs.filter((c) => c.ownerId === sealId);
    const current = mine.find((c) => usable(c, now)) ?? mine[0] ?? null;
    const order = orders.find((o) => o.sealId === sealId) ?? null;
    let state: SealCertificateState;
    if (current && usable(current, now)) state = current.notAfter.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'issued';
    else if (order) state = 'ordering';
    else if (!current) state = 'none';
    else state = current.status === 'revoked' ? 'revoked' : 'expired';
    result.set(sealId, {
      sealId,
      state,
      certificate: current ? { id: current.id, serialNumber: current.serialNumber, notBefore: current.notBefore.toISOString(), notAfter: current.notAfter.toISOString(), status: current.status } : null,
      openOrder: order ? { id: order.id, status: order.status, kind: order.kind } : null,
    });
  }
  return result;
}

export async function sealCertificateState(em: EntityManager, sealId: string, now = new Date()): Promise<SealCertificateSummary> {
  return (await sealCertificateStates(em, [sealId], now)).get(sealId)!;
}

/** The key and certificate an enterprise seal signs with (issue 8); null when the seal has no usable certificate. */
export async function sealSignerCredentials(em: EntityManager, masterKey: string, sealId: string, now: Date, ca: Pick<CertificateAuthority, 'chainPem'>): Promise<SignerCredentials | null> {
  const cert = await activeSealCertificate(em, sealId, now);
  if (!cert) return null;
  return signerCredentialsForCertificate(cert, masterKey, ca); // decrypted once per process (signer-keys.ts)
}

export interface ExpiringCertificate {
  id: string;
  enterpriseId: string;
  sealId: string;
  sealName: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days left (0 or less once expired). */
  daysLeft: number;
  /** An order for this seal is open (e.g. its renewal). */
  openOrderId: string | null;
}

/**
 * Seal certificates that still need attention, i.e. not superseded by a later certificate of the
 * same seal: `expiring` = active and ending within `withinDays` (not yet ended); `expired` = ended
 * (or ending now). `enterpriseId` null: every enterprise (reminders).
 */
async function sealCertificatesEnding(em: EntityManager, enterpriseId: string | null, now: Date, window: { after?: Date; until: Date }): Promise<ExpiringCertificate[]> {
  const certs = await em.find(
    SigningCertificateSchema,
    { ownerType: 'seal', status: 'active', ...(enterpriseId ? { enterpriseId } : {}), notAfter: { $lte: window.until, ...(window.after ? { $gt: window.after } : {}) } },
    { orderBy: { notAfter: 'asc' }, limit: 5000, fields: ['id', 'ownerId', 'enterpriseId', 'serialNumber', 'notBefore', 'notAfter'] },
  );
  if (certs.length === 0) return [];
  const sealIds = [...new Set(certs.map((c) => c.ownerId))];
  // A later active certificate of the same seal supersedes (renewed already).
  const later = await em.find(SigningCertificateSchema, { ownerType: 'seal', status: 'active', ownerId: { $in: sealIds }, notAfter: { $gt: window.until } }, { fields: ['ownerId', 'notAfter'] });
  const superseded = (c: CertificateListed) => later.some((l) => l.ownerId === c.ownerId && l.notAfter > c.notAfter);
  return (await certificateRows(em, certs.filter((c) => !superseded(c)), now)).filter((row) => !row.sealVoided).map(({ sealVoided: _voided, ...row }) => row);
}

/** The columns the lists load. */
type CertificateListed = Pick<SigningCertificate, 'id' | 'ownerId' | 'enterpriseId' | 'serialNumber' | 'notBefore' | 'notAfter'>;

/** The rows of the 企业证书更新 lists: each certificate with its seal's name and the seal's open order. */
async function certificateRows(em: EntityManager, certs: CertificateListed[], now: Date): Promise<(ExpiringCertificate & { sealVoided: boolean })[]> {
  const sealIds = [...new Set(certs.map((c) => c.ownerId))];
  const seals = sealIds.length ? await em.find(SealSchema, { id: { $in: sealIds } }, { fields: ['id', 'name', 'status'] }) : [];
  const orders = sealIds.length ? await em.find(CertificateOrderSchema, { sealId: { $in: sealIds }, status: { $in: [...OPEN_ORDER_STATUSES] } }, { fields: ['id', 'sealId'] }) : [];
  return certs.map((c) => {
    const seal = seals.find((s) => s.id === c.ownerId);
    return {
      id: c.id,
      enterpriseId: c.enterpriseId!,
      sealId: c.ownerId,
      sealName: seal?.name ?? '',
      serialNumber: c.serialNumber,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      daysLeft: Math.ceil((c.notAfter.getTime() - now.getTime()) / DAY_MS),
      openOrderId: orders.find((o) => o.sealId === c.ownerId)?.id ?? null,
      sealVoided: seal?.status === 'voided',
    };
  });
}

/** Every active certificate of the enterprise's seals, the latest end first (企业证书更新 "all"). */
export async function listSealCertificates(em: EntityManager, enterpriseId: string, now: Date): Promise<ExpiringCertificate[]> {
  const certs = await em.find(
    SigningCertificateSchema,
    { ownerType: 'seal', enterpriseId, status: 'active' },
    { orderBy: { notAfter: 'desc' }, limit: 1000, fields: ['id', 'ownerId', 'enterpriseId', 'serialNumber', 'notBefore', 'notAfter'] },
  );
  return (await certificateRows(em, certs, now)).map(({ sealVoided: _voided, ...row }) => row);
}

/** For the reminders (R) and 企业证书更新: active seal certificates ending within `withinDays` (not yet ended). */
export const listCertificatesExpiring = (em: EntityManager, enterpriseId: string | null, now: Date, withinDays: number) =>
  sealCertificatesEnding(em, enterpriseId, now, { after: now, until: new Date(now.getTime() + withinDays * DAY_MS) });

/** 企业证书更新 (已过期): seal certificates that have ended and were not renewed. */
export const listCertificatesExpired = (em: EntityManager, enterpriseId: string | null, now: Date) => sealCertificatesEnding(em, enterpriseId, now, { until: now });
