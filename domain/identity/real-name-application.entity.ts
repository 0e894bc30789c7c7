import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { liveKeyHooks } from '../persistence/live-key';
import { references } from '../persistence/references';

/**
 * One 实名认证 submission. The ID number is stored encrypted (master key), with a masked copy for display
 * and a keyed hash (real-name-id-hash.ts) that finds other applications of the same ID number.
 */
export interface RealNameApplication {
  [OptionalProps]?: 'liveKey';
  id: string;
  userId: string;
  name: string;
  idNumberEncrypted: string;
  idNumberMasked: string;
  /**
   * HMAC-SHA-256 (key derived from the master key) of the normalised ID number, hex. NULL on rows from before
   * the column until the lazy back-fill (backfillIdNumberHashes) fills them.
   */
  idNumberHash: string | null;
  mobile: string;
  status: 'pending' | 'approved' | 'rejected';
  rejectReason: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  /** `idNumberHash` while approved, else NULL: unique, so one verified account per ID number (live-key.ts). */
  liveKey: string | null;
}

export const RealNameApplicationSchema = new EntitySchema<RealNameApplication>({
  name: 'RealNameApplication',
  tableName: 'real_name_applications',
  hooks: liveKeyHooks<RealNameApplication>((a) => (a.status === 'approved' ? a.idNumberHash : null)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id', { index: true }),
    name: { type: 'string', length: 100 },
    idNumberEncrypted: { type: 'text' },
    idNumberMasked: { type: 'string', length: 20 },
    idNumberHash: { type: 'string', length: 64, nullable: true },
    mobile: { type: 'string', length: 20 },
    status: { type: 'string', length: 20, index: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    reviewedBy: { type: 'string', length: 36, nullable: true },
    reviewedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    liveKey: { type: 'string', length: 64, nullable: true, unique: true },
  },
});
