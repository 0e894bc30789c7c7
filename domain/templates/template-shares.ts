/**
 * 共享模板 (是否可编辑): an enterprise's template shared to other certified enterprises. Only the
 * owner (console role) lists, adds, changes and removes shares. Every change of a share moves the template's
 * `version` in its transaction: the receiving side's edit rights changed, so an edit made with the old ones conflicts.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { AppError, invalid, notFound } from '../errors';
import { concurrentChange, isTransientLockError } from '../persistence/concurrency';
import { allSql } from '../persistence/plain-sql';
import { findTemplate, reassertTemplateRight, requireManage, templateNotFound, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { TemplateShareSchema } from './template-share.entity';

export interface TemplateShareView {
  enterpriseId: string;
  enterpriseName: string;
  editable: boolean;
  createdAt: string;
}

async function ownedShareable(em: EntityManager, actor: TemplateActor, id: string): Promise<TemplateAccess> {
  const access = await findTemplate(em, actor, id);
  requireManage(access);
  if (access.template.ownerType !== 'enterprise') throw invalid('TEMPLATE_NOT_SHAREABLE', '个人模板不能共享，请在企业身份下创建模板', 'Personal templates cannot be shared; create the template as the enterprise');
  return access;
}

export async function listTemplateShares(em: EntityManager, actor: TemplateActor, id: string): Promise<TemplateShareView[]> {
  const { template } = await ownedShareable(em, actor, id);
  return sharesOf(em, template.id);
}

/** A template's shares, oldest first, whoever asks (the owner above, operators in 管理后台). */
export async function sharesOf(em: EntityManager, templateId: string): Promise<TemplateShareView[]> {
  const shares = await em.find(TemplateShareSchema, { templateId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const names = new Map((await em.find(EnterpriseSchema, { id: { $in: shares.map((s) => s.enterpriseId) } }, { fields: ['name'] })).map((e) => [e.id, e.name]));
  return shares.map((s) => shareView(s, names.get(s.enterpriseId) ?? ''));
}

/** Shares the template to `enterpriseId` (or changes 是否可编辑 of an existing share). */
export async function shareTemplate(em: EntityManager, actor: TemplateActor, id: string, enterpriseId: string, editable: boolean): Promise<TemplateShareView> {
  const access = await ownedShareable(em, actor, id);
  const { template } = access;
  if (enterpriseId === template.ownerId) throw invalid('TEMPLATE_SHARE_SELF', '不能共享给本企业', 'A template cannot be shared to its own enterprise');
  const target = await em.findOne(EnterpriseSchema, { id: enterpriseId, status: 'certified' });
  if (!target) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在或未通过认证', 'The enterprise does not exist or is not certified');
  const now = new Date();
  // A clean fork: only the share, the template's version and the audit row are written (the loaded template stays as it is).
  const tx = em.fork();
  let share = await tx.findOne(TemplateShareSchema, { templateId: template.id, enterpriseId });
  if (share && share.editable === editable) return shareView(share, target.name);
  if (share) share.editable = editable;
  else share = tx.create(TemplateShareSchema, { id: randomUUID(), templateId: template.id, enterpriseId, editable, createdAt: now });
  const written = share;
  await changeShare(tx, actor, access, async () => {
    await tx.flush();
    auditTemplate(tx, actor, template, 'template.shared', { to: enterpriseId, toName: target.name, editable }, now);
  });
  return shareView(written, target.name);
}

export async function unshareTemplate(em: EntityManager, actor: TemplateActor, id: string, enterpriseId: string): Promise<void> {
  const access = await ownedShareable(em, actor, id);
  await changeShare(em.fork(), actor, access, async (tx) => {
    if ((await tx.nativeDelete(TemplateShareSchema, { templateId: access.template.id, enterpriseId })) === 0) {
      throw new AppError('not_found', 'TEMPLATE_SHARE_NOT_FOUND', '该模板未共享给此企业', 'The template is not shared to this enterprise');
    }
    auditTemplate(tx, actor, access.template, 'template.unshared', { from: enterpriseId });
  });
}

/**
 * One transaction for a change of a share (add, 是否可编辑, remove): `writeShare` writes the share row, the template
 * must still exist, and the owner's console role, as the request's access check read it, must still hold. The
 * template's version does not move: an edit or publish made through the share re-reads the share in its own commit
 * (template-access.ts `reassertTemplateRight`, a locking read on MariaDB that waits for this one), and a start from
 * the template re-reads it in the start's transaction (template-usable.ts) — a share change elsewhere (another
 * enterprise, the owner's) must not fail the starts and edits it does not concern.
 */
async function changeShare(tx: EntityManager, actor: TemplateActor, access: TemplateAccess, writeShare: (tx: EntityManager) => Promise<void>): Promise<void> {
  await tx.begin();
  try {
    await writeShare(tx);
    if ((await allSql(tx, 'select id from document_templates where id = ?', [access.template.id])).length !== 1) throw templateNotFound();
    await reassertTemplateRight(tx, actor, access);
    await tx.commit(); // flushes the audit row inside the transaction
  } catch (err) {
    await tx.rollback();
    if (err instanceof UniqueConstraintViolationException || isTransientLockError(err)) throw concurrentChange();
    throw err;
  }
}

const shareView = (s: { enterpriseId: string; editable: boolean; createdAt: Date }, name: string): TemplateShareView => ({
  enterpriseId: s.enterpriseId,
  enterpriseName: name,
  editable: s.editable,
  createdAt: s.createdAt.toISOString(),
});
