/**
 * 待重新认证 (issue 9): from 变更企业名称 until the operator approves the new name, an enterprise
 * cannot sign or start contracts; contracts waiting for its signature stay waiting. The one rule,
 * used by the contract start and signing checks (API pre-checks and the workflow's sign path) and
 * by the views (`recertificationNotice`).
 */
import { AppError } from '../errors';
import type { Enterprise } from './enterprise.entity';

export const ENTERPRISE_RECERTIFYING = 'ENTERPRISE_RECERTIFYING';
const MESSAGE = '该企业正在重新认证（已变更企业名称），认证通过前不能签署或发起合同';
const MESSAGE_EN = 'This enterprise is being re-certified after a name change; it cannot sign or start contracts until approved';

export interface StandingNotice {
  code: string;
  message: string;
  messageEn: string;
}

export const isRecertifying = (enterprise: { standing: Enterprise['standing'] | null }) => enterprise.standing === 'recertifying';

/** Why the enterprise cannot transact now, or null. */
export function recertificationNotice(enterprise: Pick<Enterprise, 'standing'>): StandingNotice | null {
  return isRecertifying(enterprise) ? { code: ENTERPRISE_RECERTIFYING, message: MESSAGE, messageEn: MESSAGE_EN } : null;
}

export const enterpriseRecertifying = () => new AppError('conflict', ENTERPRISE_RECERTIFYING, MESSAGE, MESSAGE_EN);

/** 409 ENTERPRISE_RECERTIFYING while the enterprise is 待重新认证. */
export function assertEnterpriseMayTransact(enterprise: { standing: Enterprise['standing'] | null }): void {
  if (isRecertifying(enterprise)) throw enterpriseRecertifying();
}

/**
 * No new seal while 待重新认证: it would carry the old name (a seal created after submission would
 * outlive the approval under the old name; the approval creates the seals with the new name).
 */
export function assertEnterpriseMayCreateSeals(enterprise: Pick<Enterprise, 'standing'>): void {
  if (isRecertifying(enterprise)) {
    throw new AppError('conflict', ENTERPRISE_RECERTIFYING, '企业正在重新认证（已变更企业名称），认证通过前不能新建印章', 'This enterprise is being re-certified after a name change; no new seal can be created until it is approved');
  }
}
