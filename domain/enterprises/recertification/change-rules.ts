/**
 * What the re-certification use cases share: loading a change or an enterprise, the next change
 * number, deadlines from the platform settings, the 409s, and the checks of a new name.
 */
import type { EntityManager } from '@mikro-orm/core';
import { assertEnterpriseNameFitsSeals } from '../../seals/enterprise-name-fit';
import { AppError, invalid, notFound } from '../../errors';
import { getSetting } from '../../platform/settings';
import { EnterpriseChangeSchema, OPEN_CHANGE_STATUSES, type EnterpriseChange, type EnterpriseChangeStatus } from '../enterprise-change.entity';
import { EnterpriseSchema, type Enterprise } from '../enterprise.entity';

export const changeNotFound = () => notFound('CHANGE_NOT_FOUND', '变更不存在', 'Change not found');
export const enterpriseNotFound = () => notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
export const recertificationOpen = () =>
  new AppError('conflict', 'RECERTIFICATION_OPEN', '该企业已有进行中的企业名称变更（重新认证）', 'This enterprise already has a name change (re-certification) in progress');
export const notCertified = () => new AppError('conflict', 'ENTERPRISE_NOT_CERTIFIED', '企业尚未通过认证，不能变更企业信息', 'The enterprise is not certified; its registered information cannot be changed');
export const wrongChangeStatus = (code: string, zh: string, en: string) => new AppError('conflict', code, zh, en);

export async function loadEnterprise(em: EntityManager, enterpriseId: string): Promise<Enterprise> {
  const enterprise = await em.findOne(EnterpriseSchema, { id: enterpriseId });
  if (!enterprise) throw enterpriseNotFound();
  return enterprise;
}

export async function loadCertifiedEnterprise(em: EntityManager, enterpriseId: string): Promise<Enterprise> {
  const enterprise = await loadEnterprise(em, enterpriseId);
  if (enterprise.status !== 'certified') throw notCertified();
  return enterprise;
}

export async function loadRenameChange(em: EntityManager, changeId: string): Promise<EnterpriseChange> {
  const change = await em.findOne(EnterpriseChangeSchema, { id: changeId, kind: 'rename' });
  if (!change) throw changeNotFound();
  return change;
}

export async function findOpenChange(em: EntityManager, enterpriseId: string): Promise<EnterpriseChange | null> {
  return em.findOne(EnterpriseChangeSchema, { enterpriseId, status: { $in: OPEN_CHANGE_STATUSES } });
}

/** The next change number of the enterprise (unique with enterpriseId: a parallel change with the same number loses). */
export async function nextChangeSeq(em: EntityManager, enterpriseId: string): Promise<number> {
  const last = await em.findOne(EnterpriseChangeSchema, { enterpriseId }, { orderBy: { seq: 'desc' } });
  return (last?.seq ?? 0) + 1;
}

const DAY_MS = 86_400_000;
const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

export async function draftDeadline(em: EntityManager, now: Date): Promise<Date> {
  return addDays(now, await getSetting(em, 'recertificationDraftDays'));
}

export async function resubmitDeadline(em: EntityManager, now: Date): Promise<Date> {
  return addDays(now, await getSetting(em, 'recertificationResubmitDays'));
}

/** An enterprise name as a change stores it (NFKC, trimmed). */
export const normalizeNewName = (raw: string) => raw.normalize('NFKC').trim();

/** A 统一社会信用代码 as it is compared with the enterprise's. */
export const normalizeUscc = (raw: string) => raw.trim().toUpperCase();

/** A new enterprise name: trimmed, 2–200 characters, fitting its seals (`assertEnterpriseNameFitsSeals`), not the current name. */
export function checkNewName(raw: string, currentName: string): string {
  const name = normalizeNewName(raw);
  if (name.length < 2 || name.length > 200) throw invalid('NAME_INVALID', '企业名称应为 2–200 个字符', 'The enterprise name must be 2–200 characters');
  if (name === currentName) throw invalid('NAME_UNCHANGED', '新企业名称与当前名称相同', 'The new name is the same as the current name');
  assertEnterpriseNameFitsSeals(name);
  return name;
}

export const isStatus = (change: EnterpriseChange, ...statuses: EnterpriseChangeStatus[]) => statuses.includes(change.status);
