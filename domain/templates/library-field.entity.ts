import { EntitySchema } from '@mikro-orm/core';
import type { FieldValueType } from './field-values';

/**
 * 模板字段管理 (M20): a body field kept in the owner party's library (a user's own, or an
 * enterprise's) to be reused when placing fields on Web templates. A template copies the field
 * (and records `libraryFieldId`), so changing or deleting a library field never changes a template.
 * Names are unique per owner (the database's rule, so parallel requests cannot both create one).
 */
export interface LibraryField {
  id: string;
  ownerType: 'user' | 'enterprise';
  ownerId: string;
  name: string;
  type: FieldValueType;
  required: boolean;
  /** text / multiline only. */
  maxLength: number | null;
  defaultValue: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const LibraryFieldSchema = new EntitySchema<LibraryField>({
  name: 'LibraryField',
  tableName: 'template_library_fields',
  uniques: [{ name: 'template_library_fields_owner_name_unique', properties: ['ownerType', 'ownerId', 'name'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    ownerType: { type: 'string', length: 20 },
    ownerId: { type: 'string', length: 36 },
    name: { type: 'string', length: 40 },
    type: { type: 'string', length: 20 },
    required: { type: 'boolean' },
    maxLength: { type: 'integer', nullable: true },
    defaultValue: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3 },
  },
});
