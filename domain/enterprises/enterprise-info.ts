/**
 * 信息管理 (issue 9): the enterprise's registered information, its standing (待重新认证), the open
 * change and the change history, and what 提交重新认证 would void right now (`impact`, shown in the
 * confirmation before the point of no return). Contact details change directly (管理员), guarded
 * by the enterprise's `version` and audited with before/after of the changed fields.
 */
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { SigningCertificateSchema } from '../certificates/certificate.entities';
import { invalid } from '../errors';
import { concurrentChange, flushOrConflict } from '../persistence/concurrency';
import { EnterpriseChangeSchema, isOpenChangeStatus, type EnterpriseChange } from './enterprise-change.entity';
import { recertificationNotice } from './enterprise-standing';
import { SealAuthorizationSchema, SealSchema } from './seal.entities';
import { loadEnterprise } from './recertification/change-rules';

export const CONTACT_FIELDS = ['contactName', 'contactMobile', 'contactEmail', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export const CONTACT_MAX_LENGTH: Record<ContactField, number> = { contactName: 50, contactMobile: 20, contactEmail: 100, address: 200 };
const CONTACT_LABELS: Record<ContactField, { zh: string; en: string }> = {
  contactName: { zh: '联系人', en: 'Contact name' },
  contactMobile: { zh: '联系电话', en: 'Contact phone' },
  contactEmail: { zh: '联系邮箱', en: 'Contact email' },
  address: { zh: '地址', en: 'Address' },
};

/** How many changes the history shows (newest first). */
export const HISTORY_LIMIT = 50;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A change as the console shows it (no storage key of the letter). */
export function changeView(c: EnterpriseChange) {
  return {
    id: c.id,
    enterpriseId: c.enterpriseId,
    seq: c.seq,
    kind: c.kind,
    status: c.status,
    oldValue: c.oldValue,
    newValue: c.newValue,
    uscc: c.uscc,
    rejectReason: c.rejectReason,
    endReason: c.endReason,
    startedBy: c.startedBy,
    reviewedAt: iso(c.reviewedAt),
    submittedAt: iso(c.submittedAt),
    endedAt: iso(c.endedAt),
    deadlineAt: iso(c.deadlineAt),
    createdAt: c.createdAt.toISOString(),
    hasLetter: !!c.authorizationLetterKey,
    authorizationLetterType: c.authorizationLetterType,
    version: c.version,
  };
}
export type EnterpriseChangeView = ReturnType<typeof changeView>;

/** What voiding every live seal of the enterprise would take away now. */
export async function recertificationImpact(em: EntityManager, enterpriseId: string) {
  const seals = await em.find(SealSchema, { enterpriseId, status: { $ne: 'voided' } });
  const sealIds = seals.map((s) => s.id);
  if (sealIds.length === 0) return { seals: 0, authorizations: 0, certificates: 0 };
  return {
    seals: sealIds.length,
    authorizations: await em.count(SealAuthorizationSchema, { enterpriseId, sealId: { $in: sealIds } }),
    certificates: await em.count(SigningCertificateSchema, { ownerType: 'seal', ownerId: { $in: sealIds }, status: 'active' }),
  };
}

export async function readEnterpriseInfo(em: EntityManager, enterpriseId: string) {
  const e = await loadEnterprise(em, enterpriseId);
  const history = await em.find(EnterpriseChangeSchema, { enterpriseId }, { orderBy: { seq: 'desc' }, limit: HISTORY_LIMIT });
  const open = history.find((c) => isOpenChangeStatus(c.status)) ?? null;
  return {
    id: e.id,
    name: e.name,
    uscc: e.uscc,
    legalRepresentative: e.legalRepresentative,
    status: e.status,
    standing: e.standing,
    notice: recertificationNotice(e),
    contactName: e.contactName,
    contactMobile: e.contactMobile,
    contactEmail: e.contactEmail,
    address: e.address,
    infoUpdatedAt: iso(e.infoUpdatedAt),
    certifiedAt: iso(e.certifiedAt),
    version: e.version,
    openChange: open ? changeView(open) : null,
    /** 开始重新认证 is possible: 待重新认证 with no open change (the last one lapsed). */
    canRestart: e.standing === 'recertifying' && !open,
    history: history.map(changeView),
    impact: await recertificationImpact(em, enterpriseId),
  };
}

/** GET /console/enterprise-info (and the answer of its edit), as sent (JSON); the console imports it as a type. */
export type EnterpriseInfoView = Awaited<ReturnType<typeof readEnterpriseInfo>>;
/** What 提交重新认证 would void / remove / revoke now. */
export type RecertificationImpact = Awaited<ReturnType<typeof recertificationImpact>>;

export type ContactChanges = Partial<Record<ContactField, string | null>>;

/** Trimmed; empty becomes null; too long is a 400. Unknown keys are a 400. */
function normalizeContact(changes: Record<string, unknown>): ContactChanges {
  const out: ContactChanges = {};
  for (const [key, raw] of Object.entries(changes)) {
    if (raw === undefined) continue;
    if (!(CONTACT_FIELDS as readonly string[]).includes(key)) throw invalid('FIELD_NOT_EDITABLE', `不能在此修改：${key}`, `Not editable here: ${key}`);
    const field = key as ContactField;
    if (raw !== null && typeof raw !== 'string') throw invalid('CONTACT_INVALID', `${CONTACT_LABELS[field].zh}格式不正确`, `${CONTACT_LABELS[field].en} is not valid`);
    const value = raw === null ? null : raw.trim() || null;
    if (value && value.length > CONTACT_MAX_LENGTH[field]) {
      throw invalid('CONTACT_TOO_LONG', `${CONTACT_LABELS[field].zh}不能超过 ${CONTACT_MAX_LENGTH[field]} 个字符`, `${CONTACT_LABELS[field].en} must be at most ${CONTACT_MAX_LENGTH[field]} characters`);
    }
    out[field] = value;
  }
  return out;
}

/**
 * Changes the contact details. `version` is the enterprise's version the editor saw: a stale one is
 * a 409 CONCURRENT_CHANGE (the row's version also guards the write). Unchanged values write nothing.
 */
export async function updateEnterpriseInfo(em: EntityManager, args: { enterpriseId: string; actor: AuditActor; changes: Record<string, unknown>; version: number; now?: Date }) {
  const changes = normalizeContact(args.changes);
  const e = await loadEnterprise(em, args.enterpriseId);
  if (e.version !== args.version) throw concurrentChange();
  const changed = CONTACT_FIELDS.filter((f) => f in changes && changes[f] !== e[f]);
  if (changed.length === 0) return e;
  const now = args.now ?? new Date();
  const before = Object.fromEntries(changed.map((f) => [f, e[f]]));
  const after = Object.fromEntries(changed.map((f) => [f, changes[f] ?? null]));
  Object.assign(e, after, { infoUpdatedAt: now });
  recordAudit(em, args.actor, { action: 'enterprise.info_updated', targetType: 'enterprise', targetId: e.id, enterpriseId: e.id, detail: { fields: changed, before, after }, at: now });
  await flushOrConflict(em);
  return e;
}
