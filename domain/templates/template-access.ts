/**
 * Who may see and change a template (issue 11, "Owner = party"): one place for the rule.
 * - Acting personally: the user's own templates.
 * - Acting for an enterprise (切换至企业): the enterprise's templates and those shared to it. The
 *   console role (管理员 / 印章管理员) sees all of them; other members only published + enabled ones.
 * - Owner side with the console role (or the user for personal ones) manages: edit, publish, enable,
 *   share, delete. A share with 是否可编辑 lets the receiving console edit and publish, nothing more.
 * Anything else is simply not found (404).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../audit/record-audit';
import { canUseConsole } from '../enterprises/enterprise-roles';
import type { MemberRole } from '../enterprises/membership.entity';
import { AppError, notFound } from '../errors';
import { concurrentChange } from '../persistence/concurrency';
import { allSql } from '../persistence/plain-sql';
import { lockingRead } from '../persistence/sql-dialect';
import { TemplateShareSchema, type TemplateShare } from './template-share.entity';
import { DocumentTemplateSchema, type DocumentTemplate, type TemplateOwnerType } from './template.entity';

export interface TemplateActor extends AuditActor {
  id: string;
  /** The enterprise the session acts for (切换至企业) and the caller's role there; null = personal. */
  acting: { enterpriseId: string; role: MemberRole } | null;
}

export interface TemplateOwner {
  type: TemplateOwnerType;
  id: string;
}

export interface TemplateAccess {
  template: DocumentTemplate;
  /** Set when the caller sees the template through a share to its enterprise. */
  share: TemplateShare | null;
  /** Owner side: edit, publish, enable/disable, share, delete. */
  canManage: boolean;
  /** Edit the definition / source and publish (owner side, or an editable share, with the console role). */
  canEdit: boolean;
}

/** The party whose templates the actor works with (and owns what it creates). */
export const ownerOf = (actor: TemplateActor): TemplateOwner => (actor.acting ? { type: 'enterprise', id: actor.acting.enterpriseId } : { type: 'user', id: actor.id });

/** Whether the actor may create and manage its party's templates (always for personal ones; the console role for an enterprise's). */
export const managesOwnTemplates = (actor: TemplateActor) => !actor.acting || canUseConsole(actor.acting.role);

export const isUsable = (t: Pick<DocumentTemplate, 'status' | 'enabled'>) => t.status === 'published' && t.enabled;

export const templateNotFound = () => notFound('TEMPLATE_NOT_FOUND', '模板不存在', 'The template does not exist');
export const versionConflict = () => new AppError('conflict', 'VERSION_CONFLICT', '模板已被他人修改，请重新加载后再操作', 'The template was changed meanwhile; reload it and try again');

/** The actor's view of a template, or 404 when the actor may not see it. */
export async function findTemplate(em: EntityManager, actor: TemplateActor, id: string): Promise<TemplateAccess> {
  const template = await em.findOne(DocumentTemplateSchema, { id });
  if (!template) throw templateNotFound();
  const access = await accessTo(em, actor, template);
  if (!access) throw templateNotFound();
  return access;
}

/** null = not visible to the actor. */
export async function accessTo(em: EntityManager, actor: TemplateActor, template: DocumentTemplate): Promise<TemplateAccess | null> {
  const own = isOwnedBy(template, ownerOf(actor));
  const share = !own && actor.acting ? await em.findOne(TemplateShareSchema, { templateId: template.id, enterpriseId: actor.acting.enterpriseId }) : null;
  return accessWith(actor, template, share);
}

const isOwnedBy = (t: DocumentTemplate, owner: TemplateOwner) => t.ownerType === owner.type && t.ownerId === owner.id;

/** The rule itself, given the share of the template to the actor's enterprise (if any). */
export function accessWith(actor: TemplateActor, template: DocumentTemplate, share: TemplateShare | null): TemplateAccess | null {
  const console = managesOwnTemplates(actor);
  if (!console && !isUsable(template)) return null;
  if (isOwnedBy(template, ownerOf(actor))) return { template, share: null, canManage: console, canEdit: console };
  if (!actor.acting || !share || share.enterpriseId !== actor.acting.enterpriseId || share.templateId !== template.id) return null;
  return { template, share, canManage: false, canEdit: console && share.editable };
}

export function requireEdit(access: TemplateAccess): void {
  if (access.canEdit) return;
  throw access.share
    ? new AppError('forbidden', 'TEMPLATE_READ_ONLY', '该共享模板为只读，不能编辑', 'This shared template is view-only')
    : new AppError('forbidden', 'TEMPLATE_MANAGE_FORBIDDEN', '仅企业管理员或印章管理员可以管理企业模板', 'Only the administrator or a seal administrator manages the enterprise templates');
}

export function requireManage(access: TemplateAccess): void {
  if (access.canManage) return;
  throw access.share
    ? new AppError('forbidden', 'TEMPLATE_OWNER_ONLY', '只有模板所属企业可以执行此操作', 'Only the enterprise that owns the template can do this')
    : new AppError('forbidden', 'TEMPLATE_MANAGE_FORBIDDEN', '仅企业管理员或印章管理员可以管理企业模板', 'Only the administrator or a seal administrator manages the enterprise templates');
}

export function requireVersion(template: DocumentTemplate, version: number): void {
  if (template.version !== version) throw versionConflict();
}

/** A boolean column as raw SQL answers it (1 / 0 on both dialects, or a boolean). */
export const sqlTrue = (v: unknown) => v === true || Number(v) === 1;

/**
 * Inside the transaction that commits a change the request was allowed at its start (`access`, read then): the
 * right still holds. Acting for an enterprise, the actor is still an active member with the console role (a
 * 印章管理员 demoted or removed meanwhile changes nothing: 409 CONCURRENT_CHANGE), and a template changed through a
 * share is still shared to that enterprise with 是否可编辑 (withdrawn meanwhile: 409 VERSION_CONFLICT). A personal
 * template is the user's own for good. On MariaDB the reads lock (shared): a change of the share or the membership
 * running now waits for this commit, and one that committed first is seen. A lock read, not a held version: a publish
 * generates for seconds, and a version hold would fail it for any other change of the same membership meanwhile.
 */
export async function reassertTemplateRight(tx: EntityManager, actor: TemplateActor, access: Pick<TemplateAccess, 'template' | 'share'>): Promise<void> {
  if (!actor.acting) return;
  const lock = lockingRead(tx, 'share');
  const [member] = await allSql(tx, `select role from memberships where enterprise_id = ? and user_id = ? and status = 'active'${lock}`, [actor.acting.enterpriseId, actor.id]);
  if (!member || !canUseConsole(member.role as MemberRole)) throw concurrentChange();
  if (!access.share) return;
  const [share] = await allSql(tx, `select editable from template_shares where template_id = ? and enterprise_id = ?${lock}`, [access.template.id, actor.acting.enterpriseId]);
  if (!share || !sqlTrue(share.editable)) throw versionConflict();
}
