/**
 * Whether a template may fill forms and start contracts (从模板发起): published and enabled (an operator's 停用
 * leaves it disabled too). `assertTemplateUsable` answers it for a template as read; `reassertTemplateStart` again
 * inside the start's transaction, for the template as its generation read it.
 */
import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../errors';
import { allSql } from '../persistence/plain-sql';
import { lockingRead } from '../persistence/sql-dialect';
import { sqlTrue, templateNotFound } from './template-access';
import type { DocumentTemplate } from './template.entity';

const notUsable = (reason: string, zh: string, en: string) => new AppError('conflict', 'TEMPLATE_NOT_USABLE', zh, en, { reason });

/** Only published and enabled templates fill forms and start contracts: 409 with the reason. */
export function assertTemplateUsable(template: Pick<DocumentTemplate, 'status' | 'enabled'> & Partial<Pick<DocumentTemplate, 'disabledByPlatform'>>): void {
  if (template.status !== 'published') throw notUsable('draft', '模板未发布，不能用于发起合同', 'The template is not published and cannot start contracts');
  if (!template.enabled || template.disabledByPlatform) throw notUsable('disabled', '模板已停用，不能用于发起合同', 'The template is disabled and cannot start contracts');
}

export const templateChanged = () => new AppError('conflict', 'TEMPLATE_CHANGED', '模板已被修改，请重新加载后再试', 'The template was changed meanwhile; reload and retry');

/** 从模板发起: the template a contract's document was generated from, as the generation read it. */
export interface TemplateStart {
  id: string;
  /** The template's version the generation was made from (`template_generations.template_version`). */
  version: number;
  /** The starter's enterprise when the template is used through a share to it (else null: the starter's own party). */
  sharedTo: string | null;
}

/**
 * Inside the start's transaction (startContract, after the contract's insert): the template still starts contracts
 * as it did when its document was generated — a 停用 (the owner's or an operator's), an edit back to draft, any other
 * change of its version, or a 取消共享 that committed while the document was generated starts nothing (409; the
 * rows roll back and the stored document is removed). On MariaDB the reads lock (shared), the share before the
 * template as a share change writes them: a change running now waits for this start, one committed first is seen.
 */
export async function reassertTemplateStart(tx: EntityManager, t: TemplateStart): Promise<void> {
  const lock = lockingRead(tx, 'share');
  if (t.sharedTo !== null) {
    const [share] = await allSql(tx, `select 1 as ok from template_shares where template_id = ? and enterprise_id = ?${lock}`, [t.id, t.sharedTo]);
    if (!share) throw notUsable('not_shared', '模板已取消共享，不能用于发起合同', 'The template is no longer shared with your enterprise and cannot start contracts');
  }
  const [row] = await allSql(tx, `select status, enabled, disabled_by_platform, version from document_templates where id = ?${lock}`, [t.id]);
  if (!row) throw templateNotFound();
  assertTemplateUsable({ status: row.status as DocumentTemplate['status'], enabled: sqlTrue(row.enabled), disabledByPlatform: sqlTrue(row.disabled_by_platform) });
  if (Number(row.version) !== t.version) throw templateChanged();
}
