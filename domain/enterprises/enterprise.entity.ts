import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/** 企业认证 status: 认证中 → 已认证 | 已驳回; 撤销认证 makes it 已撤销; 继续认证 takes it back to 认证中. */
export type EnterpriseStatus = 'pending' | 'certified' | 'rejected' | 'cancelled';

/** 待重新认证 (issue 9): 'recertifying' from 变更企业名称 until the operator approves the new name. */
export type EnterpriseStanding = 'normal' | 'recertifying';

export interface Enterprise {
  [OptionalProps]?: 'liveKey' | 'version' | 'standing' | 'contactName' | 'contactMobile' | 'contactEmail' | 'address' | 'infoUpdatedAt';
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
  /** 'recertifying' (待重新认证) while a name change is open or lapsed: no signing, no new contracts. */
  standing: EnterpriseStanding;
  /** 信息管理 contact details (changed directly by the administrator, audited). */
  contactName: string | null;
  contactMobile: string | null;
  contactEmail: string | null;
  address: string | null;
  infoUpdatedAt: Date | null;
  /** The USCC while pending or certified, else NULL: unique, so one live enterprise per USCC. */
  liveKey: string | null;
  /** Optimistic lock: concurrent reviews or administrator changes of one enterprise cannot both commit. */
  version: number;
}

/** Statuses in which an enterprise holds its USCC. */
export const LIVE_ENTERPRISE_STATUSES: EnterpriseStatus[] = ['pending', 'certified'];

export const EnterpriseSchema = new EntitySchema<Enterprise>({
  name: 'Enterprise',
  tableName: 'enterprises',
  hooks: liveKeyHooks<Enterprise>((e) => (LIVE_ENTERPRISE_STATUSES.includes(e.status) ? e.uscc : null)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    name: { type: 'string', length: 200, index: true },
    uscc: { type: 'string', length: 18, index: true },
    legalRepresentative: { type: 'string', length: 100 },
    status: { type: 'string', length: 20, index: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    certifierUserId: references('User', 'certifier_user_id', { index: true }),
    adminUserId: references('User', 'admin_user_id', { nullable: true }),
    authorizationLetterKey: { type: 'string', length: 255 },
    authorizationLetterType: { type: 'string', length: 50 },
    appliedSealTypes: { type: 'text' },
    createdAt: { type: 'datetime' },
    submittedAt: { type: 'datetime' },
    certifiedAt: { type: 'datetime', nullable: true },
    reviewedBy: { type: 'string', length: 36, nullable: true },
    standing: { type: 'string', length: 20, default: 'normal' },
    contactName: { type: 'string', length: 50, nullable: true },
    contactMobile: { type: 'string', length: 20, nullable: true },
    contactEmail: { type: 'string', length: 100, nullable: true },
    address: { type: 'string', length: 200, nullable: true },
    infoUpdatedAt: { type: 'datetime', nullable: true },
    liveKey: { type: 'string', length: 18, nullable: true, unique: true },
    version: { type: 'integer', version: true },
  },
});
