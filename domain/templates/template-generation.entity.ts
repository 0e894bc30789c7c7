import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { ErrorKind } from '../errors';
import type { MarkSpec, PageSize } from '../contracts/start-contract-spec';

export type TemplateGenerationPurpose = 'preview' | 'publish' | 'contract';
export type TemplateGenerationStatus = 'pending' | 'done' | 'failed';

/**
 * One request to generate a document from a template (preview, publish check, contract). The API
 * writes the row (with the field values) and starts `TemplateGenerationWorkflow` with the row's id
 * only: field values never enter workflow history. The activity reads the row, generates, stores
 * the PDF under `resultKey` and records pages + role marks (or the error) here.
 * `templateId` is a plain column (no foreign key): deleting a template permanently must not be
 * blocked by its generation history.
 */
export interface TemplateGeneration {
  [OptionalProps]?: 'status' | 'resultKey' | 'pages' | 'roleMarks' | 'errorCode' | 'errorMessage' | 'errorMessageEn' | 'errorKind' | 'finishedAt';
  id: string;
  templateId: string;
  /** The template's version when requested: generation refuses a template that changed meanwhile. */
  templateVersion: number;
  purpose: TemplateGenerationPurpose;
  requestedBy: string | null;
  /** The formatted field values (field-values.ts `parseFieldValues`), key → text. */
  values: Record<string, string>;
  status: TemplateGenerationStatus;
  resultKey: string | null;
  pages: PageSize[] | null;
  roleMarks: Record<string, MarkSpec[]> | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorMessageEn: string | null;
  errorKind: ErrorKind | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export const TemplateGenerationSchema = new EntitySchema<TemplateGeneration>({
  name: 'TemplateGeneration',
  tableName: 'template_generations',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    templateId: { type: 'string', length: 36, index: true },
    templateVersion: { type: 'integer' },
    purpose: { type: 'string', length: 20 },
    requestedBy: { type: 'string', length: 36, nullable: true },
    values: { type: 'json' },
    status: { type: 'string', length: 20, default: 'pending' },
    resultKey: { type: 'string', length: 200, nullable: true },
    pages: { type: 'json', nullable: true },
    roleMarks: { type: 'json', nullable: true },
    errorCode: { type: 'string', length: 60, nullable: true },
    errorMessage: { type: 'string', length: 500, nullable: true },
    errorMessageEn: { type: 'string', length: 500, nullable: true },
    errorKind: { type: 'string', length: 20, nullable: true },
    createdAt: { type: 'datetime', length: 3 },
    finishedAt: { type: 'datetime', length: 3, nullable: true },
  },
});
