import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/** One 实名认证 submission. The ID number is stored encrypted (master key), with a masked copy for display. */
export interface RealNameApplication {
  id: string;
  userId: string;
  name: string;
  idNumberEncrypted: string;
  idNumberMasked: string;
  mobile: string;
  status: 'pending' | 'approved' | 'rejected';
  rejectReason: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
}

export const RealNameApplicationSchema = new EntitySchema<RealNameApplication>({
  name: 'RealNameApplication',
  tableName: 'real_name_applications',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id', { index: true }),
    name: { type: 'string', length: 100 },
    idNumberEncrypted: { type: 'text' },
    idNumberMasked: { type: 'string', length: 20 },
    mobile: { type: 'string', length: 20 },
    status: { type: 'string', length: 20, index: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    reviewedBy: { type: 'string', length: 36, nullable: true },
    reviewedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
