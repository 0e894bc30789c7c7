import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/**
 * An enterprise seal. Created for each seal type applied for when the enterprise is certified;
 * seal design, certificates and 停用/启用 come with seal management (M12).
 */
export interface Seal {
  [OptionalProps]?: 'liveKey';
  id: string;
  enterpriseId: string;
  type: string;
  name: string;
  status: 'active' | 'disabled' | 'voided';
  createdAt: Date;
  /** `<enterpriseId>:<type>` unless voided: unique, so one seal per type per enterprise (a voided one may be replaced). */
  liveKey: string | null;
}

export const SealSchema = new EntitySchema<Seal>({
  name: 'Seal',
  tableName: 'seals',
  hooks: liveKeyHooks<Seal>((s) => (s.status === 'voided' ? null : `${s.enterpriseId}:${s.type}`)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    type: { type: 'string', length: 40 },
    name: { type: 'string', length: 200 },
    status: { type: 'string', length: 20 },
    createdAt: { type: 'datetime' },
    liveKey: { type: 'string', length: 80, nullable: true, unique: true },
  },
});

/** 印章授权: a member may use a seal. Removed with the membership. */
export interface SealAuthorization {
  id: string;
  enterpriseId: string;
  sealId: string;
  userId: string;
  grantedBy: string;
  grantedAt: Date;
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
  },
});
