/**
 * 系统配置 (M37): settings platform operators change at run time. Each key has a default; a row in
 * platform_settings overrides it. Updates are validated here (the one place) and audited
 * (`platform.setting_changed` with the old and the new value).
 * - `sealTypes`: the ENABLED subset of the seal type catalogue (domain/seals/seal-types.ts), stored
 *   as codes; `getSetting(em, 'sealTypes')` answers the enabled catalogue entries (code + names).
 * - `businessTypes`: 业务类型 assignable to members (M10).
 * - `caPollIntervalSeconds`: how often a certificate order workflow asks the CA (M14).
 * - `certificateValidityDays`: validity of a seal certificate requested from the CA.
 * - `contractDefaultExpiryDays`: 签署截止 of a new contract when the initiator gives none (days).
 * - `recertificationDraftDays`: how long a 变更企业名称 draft may wait for 提交重新认证 (days, issue 9).
 * - `recertificationResubmitDays`: how long a rejected re-certification may wait to be resubmitted (days).
 */
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid, notFound } from '../errors';
import { conflictOnDuplicate } from '../persistence/concurrency';
import { findRow } from '../persistence/plain-rows';
import { SEAL_TYPES } from '../seals/seal-types';
import { PlatformSettingSchema, type PlatformSetting } from './platform-setting.entity';
import { noHiddenCharacters } from '../text/safe-text';

export interface NamedOption {
  code: string;
  name: string;
  nameEn: string;
}

/** What each key stores (and what an update sends). */
export interface StoredSettings {
  sealTypes: string[];
  businessTypes: NamedOption[];
  caPollIntervalSeconds: number;
  certificateValidityDays: number;
  contractDefaultExpiryDays: number;
  recertificationDraftDays: number;
  recertificationResubmitDays: number;
}

/** What `getSetting` answers for each key. */
export interface SettingValues extends Omit<StoredSettings, 'sealTypes'> {
  sealTypes: NamedOption[];
}

export type SettingKey = keyof StoredSettings;
export const SETTING_KEYS: readonly SettingKey[] = ['sealTypes', 'businessTypes', 'caPollIntervalSeconds', 'certificateValidityDays', 'contractDefaultExpiryDays', 'recertificationDraftDays', 'recertificationResubmitDays'];

export const CA_POLL_INTERVAL_BOUNDS = { min: 10, max: 86_400 } as const;
export const CERTIFICATE_VALIDITY_BOUNDS = { min: 30, max: 1825 } as const;
export const CONTRACT_EXPIRY_DAYS_BOUNDS = { min: 1, max: 365 } as const;
export const RECERTIFICATION_DAYS_BOUNDS = { min: 1, max: 365 } as const;

/** The seal type catalogue as options (code + names), in catalogue order. */
export const sealTypeCatalogue = (): NamedOption[] => SEAL_TYPES.map(({ code, name, nameEn }) => ({ code, name, nameEn }));

export const SETTING_DEFAULTS: StoredSettings = {
  sealTypes: SEAL_TYPES.map((t) => t.code),
  businessTypes: [
    { code: 'procurement', name: '采购', nameEn: 'Procurement' },
    { code: 'sales', name: '销售', nameEn: 'Sales' },
    { code: 'hr', name: '人事', nameEn: 'Human resources' },
    { code: 'finance', name: '财务', nameEn: 'Finance' },
    { code: 'legal', name: '法务', nameEn: 'Legal' },
  ],
  caPollIntervalSeconds: 300,
  certificateValidityDays: 365,
  contractDefaultExpiryDays: 30,
  recertificationDraftDays: 30,
  recertificationResubmitDays: 30,
};

const settingInvalid = (zh: string, en: string) => invalid('SETTING_INVALID', zh, en);

const wholeNumberIn = (bounds: { min: number; max: number }, zh: string, en: string) => (value: unknown) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) throw settingInvalid(zh, en);
  return value;
};

const businessTypesSchema = z
  .array(
    z.object({
      code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
      name: z.string().trim().min(1).max(20).superRefine(noHiddenCharacters('业务类型名称', { labelEn: 'A business type name' })),
      nameEn: z.string().trim().min(1).max(60).superRefine(noHiddenCharacters('业务类型英文名', { labelEn: 'A business type English name' })),
    }).strict(),
  )
  .min(1)
  .max(50);

/** Validators: raw input → the value to store, or a 400 AppError with zh-CN and English messages. */
const VALIDATE: { [K in SettingKey]: (value: unknown) => StoredSettings[K] } = {
  sealTypes(value) {
    const parsed = z.array(z.string().max(40)).max(50).safeParse(value);
    if (!parsed.success) throw settingInvalid('印章类型须为类型代码列表', 'Seal types must be a list of seal type codes');
    const codes = [...new Set(parsed.data)];
    const unknown = codes.filter((c) => !SEAL_TYPES.some((t) => t.code === c));
    if (unknown.length) throw settingInvalid(`印章类型不存在：${unknown.join('、')}`, `Unknown seal type: ${unknown.join(', ')}`);
    if (codes.length === 0) throw settingInvalid('请至少启用一种印章类型', 'Enable at least one seal type');
    return SEAL_TYPES.map((t) => t.code).filter((c) => codes.includes(c));
  },
  businessTypes(value) {
    const parsed = businessTypesSchema.safeParse(value);
    // A name with a hidden character is answered in the shared rule's words (it names the character).
    const hidden = parsed.success ? undefined : parsed.error.issues.find((i) => i.code === 'custom');
    if (hidden?.code === 'custom' && typeof hidden.params?.messageEn === 'string') throw settingInvalid(hidden.message, hidden.params.messageEn);
    if (!parsed.success) throw settingInvalid('业务类型须为 1–50 项，每项含代码（小写字母开头）、中文名（≤20 字）和英文名', 'Business types must be 1–50 entries, each with a code (lower case), a Chinese name (≤ 20) and an English name');
    if (new Set(parsed.data.map((o) => o.code)).size !== parsed.data.length) throw settingInvalid('业务类型代码不能重复', 'Business type codes must be unique');
    return parsed.data;
  },
  caPollIntervalSeconds: wholeNumberIn(
    CA_POLL_INTERVAL_BOUNDS,
    `CA 状态查询间隔须为 ${CA_POLL_INTERVAL_BOUNDS.min}–${CA_POLL_INTERVAL_BOUNDS.max} 秒（10 秒至 1 天）之间的整数`,
    `The CA poll interval must be a whole number of seconds from ${CA_POLL_INTERVAL_BOUNDS.min} to ${CA_POLL_INTERVAL_BOUNDS.max} (1 day)`,
  ),
  certificateValidityDays: wholeNumberIn(
    CERTIFICATE_VALIDITY_BOUNDS,
    `证书有效期须为 ${CERTIFICATE_VALIDITY_BOUNDS.min}–${CERTIFICATE_VALIDITY_BOUNDS.max} 天之间的整数`,
    `Certificate validity must be a whole number of days from ${CERTIFICATE_VALIDITY_BOUNDS.min} to ${CERTIFICATE_VALIDITY_BOUNDS.max}`,
  ),
  contractDefaultExpiryDays: wholeNumberIn(
    CONTRACT_EXPIRY_DAYS_BOUNDS,
    `合同默认签署期限须为 ${CONTRACT_EXPIRY_DAYS_BOUNDS.min}–${CONTRACT_EXPIRY_DAYS_BOUNDS.max} 天之间的整数`,
    `The default contract signing period must be a whole number of days from ${CONTRACT_EXPIRY_DAYS_BOUNDS.min} to ${CONTRACT_EXPIRY_DAYS_BOUNDS.max}`,
  ),
  recertificationDraftDays: wholeNumberIn(
    RECERTIFICATION_DAYS_BOUNDS,
    `变更企业名称的提交期限须为 ${RECERTIFICATION_DAYS_BOUNDS.min}–${RECERTIFICATION_DAYS_BOUNDS.max} 天之间的整数`,
    `The period to submit a name change must be a whole number of days from ${RECERTIFICATION_DAYS_BOUNDS.min} to ${RECERTIFICATION_DAYS_BOUNDS.max}`,
  ),
  recertificationResubmitDays: wholeNumberIn(
    RECERTIFICATION_DAYS_BOUNDS,
    `重新认证驳回后的重新提交期限须为 ${RECERTIFICATION_DAYS_BOUNDS.min}–${RECERTIFICATION_DAYS_BOUNDS.max} 天之间的整数`,
    `The period to resubmit a rejected re-certification must be a whole number of days from ${RECERTIFICATION_DAYS_BOUNDS.min} to ${RECERTIFICATION_DAYS_BOUNDS.max}`,
  ),
};

export const isSettingKey = (key: string): key is SettingKey => (SETTING_KEYS as readonly string[]).includes(key);

/** The stored value of a row, or the default when the row is missing or no longer valid (e.g. a catalogue change). */
function storedValue<K extends SettingKey>(key: K, raw: string | undefined): StoredSettings[K] {
  if (raw === undefined) return SETTING_DEFAULTS[key];
  try {
    let value: unknown = JSON.parse(raw);
    // Rows written before the catalogue: a list of { code, name, nameEn }.
    if (key === 'sealTypes' && Array.isArray(value)) value = value.map((v: unknown) => (typeof v === 'object' && v !== null && 'code' in v ? (v as { code: unknown }).code : v));
    return VALIDATE[key](value);
  } catch {
    return SETTING_DEFAULTS[key];
  }
}

async function readStored<K extends SettingKey>(em: EntityManager, key: K): Promise<StoredSettings[K]> {
  // Read by every contract start and signature: a plain row (persistence/plain-rows.ts).
  return storedValue(key, (await findRow(em, PlatformSettingSchema, { key }))?.value);
}

export async function getSetting<K extends SettingKey>(em: EntityManager, key: K): Promise<SettingValues[K]> {
  const stored = await readStored(em, key);
  if (key === 'sealTypes') {
    const enabled = stored as string[];
    return sealTypeCatalogue().filter((t) => enabled.includes(t.code)) as SettingValues[K];
  }
  return stored as SettingValues[K];
}

export interface SettingEntry<K extends SettingKey = SettingKey> {
  key: K;
  value: StoredSettings[K];
  defaultValue: StoredSettings[K];
  updatedAt: string | null;
  updatedBy: string | null;
  /** What a save of an edit made from this value sends back (`updateSetting`); 0 while the default applies. */
  version: number;
}

/** The version of a setting that has no row yet (its default applies). */
const NEVER_SAVED = 0;

const entryOf = <K extends SettingKey>(key: K, value: StoredSettings[K], row: Pick<PlatformSetting, 'updatedAt' | 'updatedBy' | 'version'> | null | undefined): SettingEntry<K> => ({
  key,
  value,
  defaultValue: SETTING_DEFAULTS[key],
  updatedAt: row?.updatedAt.toISOString() ?? null,
  updatedBy: row?.updatedBy ?? null,
  version: row?.version ?? NEVER_SAVED,
});

/** Every setting with its current value, its default and who changed it last, plus the seal type catalogue and bounds (operator page). */
export async function listSettings(em: EntityManager) {
  const rows = await em.find(PlatformSettingSchema, { key: { $in: [...SETTING_KEYS] } });
  const settings = SETTING_KEYS.map((key): SettingEntry => {
    const row = rows.find((r) => r.key === key);
    return entryOf(key, storedValue(key, row?.value), row);
  });
  return { settings, catalogue: { sealTypes: sealTypeCatalogue() }, bounds: { caPollIntervalSeconds: CA_POLL_INTERVAL_BOUNDS, certificateValidityDays: CERTIFICATE_VALIDITY_BOUNDS, contractDefaultExpiryDays: CONTRACT_EXPIRY_DAYS_BOUNDS, recertificationDraftDays: RECERTIFICATION_DAYS_BOUNDS, recertificationResubmitDays: RECERTIFICATION_DAYS_BOUNDS } };
}

export const settingNotFound = () => notFound('SETTING_NOT_FOUND', '配置项不存在', 'No such setting');

/** 409: the value was edited from a version another operator has saved over since. */
export const settingChangedMeanwhile = () =>
  new AppError('conflict', 'SETTING_CHANGED', '该配置已被其他管理员修改，请查看最新值后重新编辑', 'Another operator has changed this setting since you opened it; check the current value and edit again');

/**
 * Validates and stores one setting; audits the old and the new value. An unchanged value writes
 * nothing. `basedOnVersion`: the version the operator's edit was made from (`SettingEntry.version`);
 * a save based on an older one is refused (409), as is one that loses the conditional write to a
 * concurrent save: a whole list (业务类型, 印章类型) saved by one operator never silently drops another's
 * change, and the audited old value is the one replaced. Without it (resets by the platform's own
 * tools) the save is based on the value it reads.
 */
export async function updateSetting(em: EntityManager, key: string, value: unknown, actor: AuditActor, basedOnVersion?: number, now = new Date()): Promise<SettingEntry> {
  if (!isSettingKey(key)) throw settingNotFound();
  const next = VALIDATE[key](value);
  const row = await em.findOne(PlatformSettingSchema, { key });
  const old = storedValue(key, row?.value);
  if (JSON.stringify(old) === JSON.stringify(next)) return entryOf(key, old, row);
  const readVersion = row?.version ?? NEVER_SAVED;
  if (basedOnVersion !== undefined && basedOnVersion !== readVersion) throw settingChangedMeanwhile();
  const saved = { value: JSON.stringify(next), updatedAt: now, updatedBy: actor.id, version: readVersion + 1 };
  await conflictOnDuplicate(
    () =>
      em.transactional(async (tx) => {
        // Conditional on the version read: of two saves from one version, the second changes no row (409).
        if (row) {
          if ((await tx.nativeUpdate(PlatformSettingSchema, { key, version: readVersion }, saved)) !== 1) throw settingChangedMeanwhile();
        } else {
          await tx.insert(PlatformSettingSchema, { key, ...saved }); // a concurrent first save meets the primary key (409)
        }
        recordAudit(tx, actor, { action: 'platform.setting_changed', targetType: 'platform_setting', targetId: key, detail: { key, old, new: next }, at: now });
      }),
    settingChangedMeanwhile,
  );
  return entryOf(key, next, saved);
}
