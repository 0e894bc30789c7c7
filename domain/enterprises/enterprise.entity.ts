import { EntitySchema } from '@mikro-orm/core';

/** 企业认证 status: 认证中 → 已认证 | 已驳回; 撤销认证 makes it 已撤销; 继续认证 takes it back to 认证中. */
export type EnterpriseStatus = 'pending' | 'certified' | 'rejected' | 'cancelled';

export interface Enterprise {
  id: string;
  name: string;
  /** 统一社会信用代码 */
  uscc: string;
  legalRepresentative: string;
  status: EnterpriseStatus;
  rejectReason: string | null;
  /** The verified user who certified it. */
  certifierUserId: string;
  /** The single administrator (null until certified). */
  adminUserId: string | null;
  authorizationLetterKey: string;
  authorizationLetterType: string;
  /** Seal type codes applied for at certification (JSON array). */
  appliedSealTypes: string;
  createdAt: Date;
  submittedAt: Date;
  certifiedAt: Date | null;
  reviewedBy: string | null;
}

export const EnterpriseSchema = new EntitySchema<Enterprise>({
  name: 'Enterprise',
  tableName: 'enterprises',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    name: { type: 'string', length: 200, index: true },
    uscc: { type: 'string', length: 18, index: true },
    legalRepresentative: { type: 'string', length: 100 },
    status: { type: 'string', length: 20, index: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    certifierUserId: { type: 'string', length: 36, index: true },
    adminUserId: { type: 'string', length: 36, nullable: true },
    authorizationLetterKey: { type: 'string', length: 255 },
    authorizationLetterType: { type: 'string', length: 50 },
    appliedSealTypes: { type: 'text' },
    createdAt: { type: 'datetime' },
    submittedAt: { type: 'datetime' },
    certifiedAt: { type: 'datetime', nullable: true },
    reviewedBy: { type: 'string', length: 36, nullable: true },
  },
});
