import { EntitySchema } from '@mikro-orm/core';
import type { CaOrderStatus } from '../../integrations/ca-orders/ca-order-gateway';

/**
 * The CA order service's own tables, in its own SQLite file (<DATA_DIR>/ca-service/orders.sqlite):
 * nothing here lives in the platform database. Entity names carry a `CaSvc` prefix so they can never
 * clash with the platform's entities in one process (tests).
 */

/** One certificate order, as a CA vendor keeps it. Timestamps are set by each transition. */
export interface CaOrderRow {
  id: string;
  /** The platform's order id: submitting it again returns this order (unique). */
  platformOrderId: string;
  kind: 'new' | 'renewal';
  enterpriseName: string;
  uscc: string;
  sealId: string;
  sealName: string;
  csrPem: string;
  validityDays: number;
  amountFen: number;
  status: CaOrderStatus;
  rejectReason: string | null;
  cancelReason: string | null;
  certificatePem: string | null;
  /** Issuing CA then root, PEM blocks concatenated. */
  chainPem: string | null;
  serialNumber: string | null;
  notAfter: Date | null;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  /** When the audit began (审核中). */
  auditedAt: Date | null;
  issuedAt: Date | null;
  rejectedAt: Date | null;
  cancelledAt: Date | null;
}

export const CaOrderSchema = new EntitySchema<CaOrderRow>({
  name: 'CaSvcOrder',
  tableName: 'ca_orders',
  indexes: [{ properties: ['status', 'createdAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    platformOrderId: { type: 'string', length: 64, unique: true },
    kind: { type: 'string', length: 10 },
    enterpriseName: { type: 'string', length: 200 },
    uscc: { type: 'string', length: 18 },
    sealId: { type: 'string', length: 64 },
    sealName: { type: 'string', length: 64 },
    csrPem: { type: 'text' },
    validityDays: { type: 'integer' },
    amountFen: { type: 'integer' },
    status: { type: 'string', length: 20 },
    rejectReason: { type: 'string', length: 500, nullable: true },
    cancelReason: { type: 'string', length: 500, nullable: true },
    certificatePem: { type: 'text', nullable: true },
    chainPem: { type: 'text', nullable: true },
    serialNumber: { type: 'string', length: 64, nullable: true, unique: true },
    notAfter: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    paidAt: { type: 'datetime', nullable: true },
    auditedAt: { type: 'datetime', nullable: true },
    issuedAt: { type: 'datetime', nullable: true },
    rejectedAt: { type: 'datetime', nullable: true },
    cancelledAt: { type: 'datetime', nullable: true },
  },
});

export type CaOrderAction = 'submitted' | 'paid' | 'audit_started' | 'issued' | 'rejected' | 'cancelled' | 'revoked';
export type CaActor = 'platform' | 'staff';

/** The order's event log: one row per transition (and per revocation), written in the same transaction. */
export interface CaOrderEventRow {
  id: number;
  orderId: string;
  action: CaOrderAction;
  fromStatus: CaOrderStatus | null;
  toStatus: CaOrderStatus;
  actor: CaActor;
  note: string | null;
  at: Date;
}

export const CaOrderEventSchema = new EntitySchema<CaOrderEventRow>({
  name: 'CaSvcOrderEvent',
  tableName: 'ca_order_events',
  indexes: [{ properties: ['orderId'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    orderId: { type: 'string', length: 36 },
    action: { type: 'string', length: 20 },
    fromStatus: { type: 'string', length: 20, nullable: true },
    toStatus: { type: 'string', length: 20 },
    actor: { type: 'string', length: 10 },
    note: { type: 'string', length: 500, nullable: true },
    at: { type: 'datetime' },
  },
});

/** A revoked certificate (the JSON revocation list, GET /crl). One row per serial number. */
export interface CaRevocationRow {
  serialNumber: string;
  orderId: string;
  reason: string;
  revokedAt: Date;
}

export const CaRevocationSchema = new EntitySchema<CaRevocationRow>({
  name: 'CaSvcRevocation',
  tableName: 'ca_revocations',
  properties: {
    serialNumber: { type: 'string', length: 64, primary: true },
    orderId: { type: 'string', length: 36 },
    reason: { type: 'string', length: 200 },
    revokedAt: { type: 'datetime' },
  },
});

/** An applicant link's token (`/orders/<id>?t=…`): only its SHA-256 is stored. */
export interface CaAccessTokenRow {
  tokenHash: string;
  orderId: string;
  expiresAt: Date;
  createdAt: Date;
}

export const CaAccessTokenSchema = new EntitySchema<CaAccessTokenRow>({
  name: 'CaSvcAccessToken',
  tableName: 'ca_access_tokens',
  indexes: [{ properties: ['orderId'] }],
  properties: {
    tokenHash: { type: 'string', length: 64, primary: true },
    orderId: { type: 'string', length: 36 },
    expiresAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
  },
});

/** A CA staff login: the cookie's SHA-256 and the session's CSRF token. */
export interface CaStaffSessionRow {
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
}

export const CaStaffSessionSchema = new EntitySchema<CaStaffSessionRow>({
  name: 'CaSvcStaffSession',
  tableName: 'ca_staff_sessions',
  properties: {
    tokenHash: { type: 'string', length: 64, primary: true },
    csrfToken: { type: 'string', length: 64 },
    expiresAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
  },
});

/** Failed staff logins per client network in the current window (`*`: all networks together); staff-session.ts. */
export interface CaStaffLoginFailureRow {
  network: string;
  failures: number;
  /** Epoch milliseconds. */
  windowStartedAt: number;
}

export const CaStaffLoginFailureSchema = new EntitySchema<CaStaffLoginFailureRow>({
  name: 'CaSvcStaffLoginFailure',
  tableName: 'ca_staff_login_failures',
  properties: {
    network: { type: 'string', length: 64, primary: true },
    failures: { type: 'integer' },
    windowStartedAt: { type: 'integer' },
  },
});

export const CA_SERVICE_ENTITIES = [CaOrderSchema, CaOrderEventSchema, CaRevocationSchema, CaAccessTokenSchema, CaStaffSessionSchema, CaStaffLoginFailureSchema];
