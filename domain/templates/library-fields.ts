/**
 * 模板字段管理 (M20): the owner party's library of body fields (name, type, validation) reused
 * on Web templates. Same party rule as templates (template-access.ts): acting for an enterprise →
 * the enterprise's library, which every active member may list and the console role (管理员 /
 * 印章管理员) manages; acting personally → the user's own. Another party's fields are not found.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { AppError, invalid, notFound } from '../errors';
import { concurrentChange, isTransientLockError, isUniqueViolation } from '../persistence/concurrency';
import { lockRows } from '../persistence/plain-sql';
import { noHiddenCharacters } from '../text/safe-text';
import { checkFieldValue, FIELD_TEXT_MAX_LENGTH, FIELD_VALUE_TYPES } from './field-values';
import { LibraryFieldSchema, type LibraryField } from './library-field.entity';
import { managesOwnTemplates, ownerOf, type TemplateActor } from './template-access';

export const LIBRARY_FIELD_NAME_MAX = 40;
/** Fields per party: a library, not a data store. */
export const LIBRARY_FIELDS_MAX = 500;

export const libraryFieldInputSchema = z
  .object({
    name: z
      .string({ required_error: '请填写字段名称', invalid_type_error: '字段名称须为文本' })
      .transform((v) => v.normalize('NFC').trim())
      .refine((v) => v.length > 0, '请填写字段名称')
      .refine((v) => [...v].length <= LIBRARY_FIELD_NAME_MAX, `字段名称不能超过 ${LIBRARY_FIELD_NAME_MAX} 个字`)
      .superRefine(noHiddenCharacters('字段名称', { labelEn: 'The field name' })),
    type: z.enum(FIELD_VALUE_TYPES, { errorMap: () => ({ message: '字段类型不正确' }) }),
    required: z.boolean({ invalid_type_error: '是否必填须为布尔值' }).default(false),
    maxLength: z
      .number({ invalid_type_error: '长度限制须为整数' })
      .int('长度限制须为整数')
      .min(1, '长度限制至少为 1')
      .max(FIELD_TEXT_MAX_LENGTH, `长度限制不能超过 ${FIELD_TEXT_MAX_LENGTH}`)
      .nullish()
      .transform((v) => v ?? null),
    defaultValue: z
      .string({ invalid_type_error: '默认值须为文本' })
      .max(FIELD_TEXT_MAX_LENGTH * 2)
      .nullish()
      .transform((v) => (v === undefined || v === null || v === '' ? null : v)),
  })
  .strict();

export type LibraryFieldInput = z.output<typeof libraryFieldInputSchema>;

/** The rules beyond the shape: maxLength only for text, a default value valid for the type (field-values.ts). */
function checkInput(input: LibraryFieldInput): void {
  if (input.maxLength !== null && input.type !== 'text' && input.type !== 'multiline') {
    throw invalid('TEMPLATE_FIELD_INVALID', '只有文本字段可以设置长度限制', 'Only text fields take a maximum length');
  }
  if (input.defaultValue !== null) {
    const checked = checkFieldValue({ key: 'default', label: input.name, type: input.type, required: false, defaultValue: null, maxLength: input.maxLength, derivedFrom: null }, input.defaultValue);
    if ('problem' in checked) {
      throw invalid('TEMPLATE_FIELD_INVALID', `默认值${checked.problem.zh}`, `The default value ${checked.problem.en}`, { field: 'defaultValue' });
    }
  }
}

export interface LibraryFieldView {
  id: string;
  name: string;
  type: LibraryField['type'];
  required: boolean;
  maxLength: number | null;
  defaultValue: string | null;
  createdAt: string;
  updatedAt: string;
}

export const libraryFieldView = (f: LibraryField): LibraryFieldView => ({
  id: f.id,
  name: f.name,
  type: f.type,
  required: f.required,
  maxLength: f.maxLength,
  defaultValue: f.defaultValue,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
});

const nameTaken = (name: string) => () => new AppError('conflict', 'TEMPLATE_FIELD_NAME_TAKEN', `字段库中已有名为「${name}」的字段`, `The field library already has a field named "${name}"`);
const fieldNotFound = () => notFound('TEMPLATE_FIELD_NOT_FOUND', '字段不存在', 'The field does not exist');

/**
 * Writes a new or renamed field. The unique (owner, name) index decides between parallel requests:
 * the loser gets the same 409 as the pre-check gives. On MariaDB, three or more inserts of the same
 * key can make InnoDB pick a deadlock victim instead of reporting the duplicate: the victim waits
 * (bounded) for the winner's row to be visible and answers the same 409, else CONCURRENT_CHANGE.
 */
async function writeNamed<T>(em: EntityManager, owner: Pick<LibraryField, 'ownerType' | 'ownerId'>, name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name)();
    if (!isTransientLockError(err)) throw err;
    for (let i = 0; i < 20; i++) {
      if (await em.fork().findOne(LibraryFieldSchema, { ownerType: owner.ownerType, ownerId: owner.ownerId, name })) throw nameTaken(name)();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw concurrentChange();
  }
}

function requireManage(actor: TemplateActor): void {
  if (!managesOwnTemplates(actor)) {
    throw new AppError('forbidden', 'TEMPLATE_MANAGE_FORBIDDEN', '仅企业管理员或印章管理员可以管理企业字段库', "Only the administrator or a seal administrator manages the enterprise's field library");
  }
}

const audit = (em: EntityManager, actor: TemplateActor, field: LibraryField, action: 'template_field.created' | 'template_field.updated' | 'template_field.deleted', detail: Record<string, unknown> = {}) =>
  recordAudit(em, actor, {
    action,
    targetType: 'template_field',
    targetId: field.id,
    enterpriseId: field.ownerType === 'enterprise' ? field.ownerId : null,
    detail: { name: field.name, type: field.type, ...detail },
  });

/** The actor's party's fields, by name; `q` filters by name, `type` by type. */
export async function listLibraryFields(em: EntityManager, actor: TemplateActor, filter: { q?: string; type?: LibraryField['type'] } = {}): Promise<{ data: LibraryFieldView[]; total: number }> {
  const owner = ownerOf(actor);
  const fields = await em.find(LibraryFieldSchema, { ownerType: owner.type, ownerId: owner.id, ...(filter.type ? { type: filter.type } : {}) }, { orderBy: { name: 'asc' } });
  const q = filter.q?.trim().toLowerCase();
  const data = (q ? fields.filter((f) => f.name.toLowerCase().includes(q)) : fields).map(libraryFieldView);
  return { data, total: data.length };
}

async function findOwn(em: EntityManager, actor: TemplateActor, id: string): Promise<LibraryField> {
  const owner = ownerOf(actor);
  const field = await em.findOne(LibraryFieldSchema, { id, ownerType: owner.type, ownerId: owner.id });
  if (!field) throw fieldNotFound();
  return field;
}

/**
 * Adds a field to the actor's party's library. The library's cap is counted in the transaction that
 * inserts, with the party's row locked: parallel creations of one library count one after another, so
 * a burst cannot pass LIBRARY_FIELDS_MAX (on SQLite the transaction alone serialises them).
 */
export async function createLibraryField(em: EntityManager, actor: TemplateActor, input: LibraryFieldInput): Promise<LibraryFieldView> {
  requireManage(actor);
  checkInput(input);
  const owner = ownerOf(actor);
  const field = await writeNamed(em, { ownerType: owner.type, ownerId: owner.id }, input.name, () =>
    em.transactional(async (tx) => {
      await lockRows(tx, owner.type === 'enterprise' ? 'enterprises' : 'users', [owner.id]);
      if ((await tx.count(LibraryFieldSchema, { ownerType: owner.type, ownerId: owner.id })) >= LIBRARY_FIELDS_MAX) {
        throw new AppError('rejected', 'TEMPLATE_FIELDS_LIMIT', `字段库最多 ${LIBRARY_FIELDS_MAX} 个字段`, `The field library holds at most ${LIBRARY_FIELDS_MAX} fields`);
      }
      if (await tx.findOne(LibraryFieldSchema, { ownerType: owner.type, ownerId: owner.id, name: input.name })) throw nameTaken(input.name)();
      const now = new Date();
      const created = tx.create(LibraryFieldSchema, { id: randomUUID(), ownerType: owner.type, ownerId: owner.id, ...input, createdAt: now, updatedAt: now });
      audit(tx, actor, created, 'template_field.created');
      return created;
    }),
  );
  return libraryFieldView(field);
}

export async function updateLibraryField(em: EntityManager, actor: TemplateActor, id: string, input: LibraryFieldInput): Promise<LibraryFieldView> {
  const field = await findOwn(em, actor, id);
  requireManage(actor);
  checkInput(input);
  const before = { name: field.name, type: field.type, required: field.required, maxLength: field.maxLength, defaultValue: field.defaultValue };
  const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== input[k]);
  if (changed.length === 0) return libraryFieldView(field);
  if (input.name !== field.name && (await em.findOne(LibraryFieldSchema, { ownerType: field.ownerType, ownerId: field.ownerId, name: input.name }))) throw nameTaken(input.name)();
  const updated: LibraryField = { ...field, ...input, updatedAt: new Date() };
  // The whole definition checkInput passed, written only over the row as this request read it: a parallel edit
  // from the same read is a 409, and the row is never a mix of two edits that were each valid alone.
  await writeNamed(em, field, input.name, () =>
    em.transactional(async (tx) => {
      const written = await tx.nativeUpdate(LibraryFieldSchema, { id: field.id, updatedAt: field.updatedAt }, { ...input, updatedAt: updated.updatedAt });
      if (written !== 1) throw concurrentChange();
      audit(tx, actor, updated, 'template_field.updated', { changed, ...(before.name !== input.name ? { previousName: before.name } : {}) });
    }),
  );
  return libraryFieldView(updated);
}

/**
 * Templates keep their copies of the field (definition fields are copies with libraryFieldId). The row goes by a
 * conditional DELETE with its audit row in one transaction: of two parallel deletes, the one whose DELETE removed
 * nothing answers 404 and audits nothing.
 */
export async function deleteLibraryField(em: EntityManager, actor: TemplateActor, id: string): Promise<void> {
  const field = await findOwn(em, actor, id);
  requireManage(actor);
  await em.transactional(async (tx) => {
    if ((await tx.nativeDelete(LibraryFieldSchema, { id: field.id, ownerType: field.ownerType, ownerId: field.ownerId })) !== 1) throw fieldNotFound();
    audit(tx, actor, field, 'template_field.deleted');
  });
}
