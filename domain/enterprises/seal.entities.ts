import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/**
 * An enterprise seal (M12). Created for each seal type applied for when the enterprise is
 * certified, or later in 印章管理. Its image is drawn from the enterprise's data or uploaded, and
 * kept in the document store (`imageKey`, `imageSha256`); its size is physical (mm), so stamping
 * places it at its real dimensions. Rows from before M12 have no image, code or size until first
 * used (domain/seals/seal-image.ts draws them then).
 */
export interface Seal {
  [OptionalProps]?: 'liveKey' | 'version' | 'source' | 'imageKey' | 'imageSha256' | 'widthMm' | 'heightMm' | 'securityCode' | 'departmentName' | 'updatedAt' | 'voidedAt' | 'voidReason' | 'voidedByChangeId';
  id: string;
  enterpriseId: string;
  type: string;
  name: string;
  status: 'active' | 'disabled' | 'voided';
  createdAt: Date;
  /** One seal per type per enterprise, per department for 部门章, unless voided (see `sealLiveKey`). */
  liveKey: string | null;
  /** 部门章 only: the department it belongs to. */
  departmentName: string | null;
  source: 'generated' | 'uploaded';
  imageKey: string | null;
  imageSha256: string | null;
  widthMm: number | null;
  heightMm: number | null;
  /** 防伪码: 13 digits, unique across the platform. */
  securityCode: string | null;
  updatedAt: Date | null;
  /** When it was voided (issue 9: enterprise renamed / legal representative changed). */
  voidedAt: Date | null;
  /** SEAL_VOID_REASONS */
  voidReason: string | null;
  /** The EnterpriseChange that voided it: approval of a rename recreates exactly these. */
  voidedByChangeId: string | null;
  version: number;
}

/** Why a seal was voided. */
export const SEAL_VOID_REASONS = ['enterprise_renamed', 'legal_representative_changed'] as const;
export type SealVoidReason = (typeof SEAL_VOID_REASONS)[number];

/** The rule for one live seal: `<enterpriseId>:<type>`, or `<enterpriseId>:department:<name>` for 部门章. */
export const sealLiveKey = (s: Pick<Seal, 'enterpriseId' | 'type' | 'status' | 'departmentName'>) =>
  s.status === 'voided' ? null : s.type === 'department' ? `${s.enterpriseId}:department:${s.departmentName ?? ''}` : `${s.enterpriseId}:${s.type}`;

export const SealSchema = new EntitySchema<Seal>({
  name: 'Seal',
  tableName: 'seals',
  hooks: liveKeyHooks<Seal>(sealLiveKey),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    type: { type: 'string', length: 40 },
    name: { type: 'string', length: 255 },
    status: { type: 'string', length: 20 },
    createdAt: { type: 'datetime' },
    liveKey: { type: 'string', length: 80, nullable: true, unique: true },
    departmentName: { type: 'string', length: 30, nullable: true },
    source: { type: 'string', length: 20, default: 'generated' },
    imageKey: { type: 'string', length: 200, nullable: true },
    imageSha256: { type: 'string', length: 64, nullable: true },
    widthMm: { type: 'double', nullable: true },
    heightMm: { type: 'double', nullable: true },
    securityCode: { type: 'string', length: 13, nullable: true, unique: true },
    updatedAt: { type: 'datetime', nullable: true },
    voidedAt: { type: 'datetime', nullable: true },
    voidReason: { type: 'string', length: 40, nullable: true },
    voidedByChangeId: { type: 'string', length: 36, nullable: true, index: true },
    version: { type: 'integer', version: true },
  },
});

/** 印章授权: a member may use a seal, until `expiresAt` if set (then it lapses by itself). Removed with the membership. */
export interface SealAuthorization {
  [OptionalProps]?: 'expiresAt';
  id: string;
  enterpriseId: string;
  sealId: string;
  userId: string;
  grantedBy: string;
  grantedAt: Date;
  expiresAt: Date | null;
}

export const SealAuthorizationSchema = new EntitySchema<SealAuthorization>({
  name: 'SealAuthorization',
  tableName: 'seal_authorizations',
  uniques: [{ properties: ['sealId', 'userId'] }],
  indexes: [{ properties: ['enterpriseId', 'userId'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id'),
    sealId: references('Seal', 'seal_id'),
    userId: references('User', 'user_id'),
    grantedBy: { type: 'string', length: 36 },
    grantedAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', nullable: true, index: true },
  },
});
