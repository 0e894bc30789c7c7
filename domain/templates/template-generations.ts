/**
 * The life of a `template_generations` row (template-generation.entity.ts):
 * - `requestTemplateDocument` (API side): validates and formats the field values (field-values.ts),
 *   writes the row, runs the TemplateGenerationWorkflow through `deps.run` (the workflow gets the
 *   row's id only) and answers the generated PDF with its pages and role marks; the stored result is
 *   removed once delivered. Failures come back as the AppError the activity classified.
 * - `runTemplateGeneration` (activity side): generates once (idempotent: a retried attempt after the
 *   row is done answers the stored result), refusing a template that changed since the request.
 * - `failTemplateGeneration`: records why a generation failed.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { DocumentError, type DocumentErrorCode } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { MarkSpec, PageSize } from '../contracts/start-contract-spec';
import { AppError, notFound, type ErrorKind } from '../errors';
import { takeAttemptOrRefuse, type ThrottleRule } from '../identity/attempt-throttle';
import { updateWhere } from '../persistence/concurrency';
import { parseFieldValues } from './field-values';
import { TEMPLATE_GENERATIONS_PREFIX } from './prune-template-generations';
import { generateTemplateDocument, type GenerateDeps } from './generate-document';
import { TemplateGenerationSchema, type TemplateGenerationPurpose } from './template-generation.entity';
import { templateChanged } from './template-usable';
import { DocumentTemplateSchema, type DocumentTemplate } from './template.entity';

export interface GenerationResult {
  resultKey: string;
  pages: PageSize[];
  roleMarks: Record<string, MarkSpec[]>;
}

export type GenerationOutcome = ({ status: 'done' } & GenerationResult) | { status: 'failed'; code: string; message: string; messageEn: string; kind: ErrorKind; document?: boolean };

export interface RequestTemplateDocumentDeps {
  em: EntityManager;
  store: Pick<DocumentStore, 'get' | 'delete'>;
  /** Runs the generation's workflow and answers its outcome (throws 503 when it does not finish in time). */
  run(generationId: string): Promise<GenerationOutcome>;
}

export interface TemplateDocument {
  generationId: string;
  pdf: Uint8Array;
  pages: PageSize[];
  roleMarks: Record<string, MarkSpec[]>;
  /** The formatted values that went into the document. */
  values: Record<string, string>;
}

/**
 * Generations per requesting user: each runs LibreOffice for seconds on the shared document engine, so one
 * user previewing in a loop would queue everyone else's. 30 a minute is far more than filling a form needs.
 */
export const TEMPLATE_GENERATION_RULE: ThrottleRule = { max: 30, windowMs: 60_000, lockMs: 60_000 };

export const generationResultKey = (generationId: string) => `${TEMPLATE_GENERATIONS_PREFIX}/${generationId}.pdf`;

/**
 * Generates a document from `template` with the raw field `values` (a fill form's input or
 * `sampleFieldValues`), counted against TEMPLATE_GENERATION_RULE for its requester (429
 * TEMPLATE_GENERATION_RATE_LIMITED). Throws TEMPLATE_FIELD_INVALID (400) for bad values, the generation's
 * classified error (e.g. TEMPLATE_KEYWORD_MISSING 422), or 503 when generation is unavailable.
 */
export async function requestTemplateDocument(
  deps: RequestTemplateDocumentDeps,
  args: { template: Pick<DocumentTemplate, 'id' | 'version' | 'definition'>; values: Record<string, unknown>; purpose: TemplateGenerationPurpose; requestedBy: string | null },
): Promise<TemplateDocument> {
  const values = parseFieldValues(args.template.definition.fields, args.values ?? {});
  if (args.requestedBy) {
    await takeAttemptOrRefuse(deps.em, `template-generation:${args.requestedBy}`, TEMPLATE_GENERATION_RULE, {
      code: 'TEMPLATE_GENERATION_RATE_LIMITED',
      message: '生成文件过于频繁，请稍后再试',
      messageEn: 'Too many documents generated; try again later',
    });
  }
  const id = randomUUID();
  const em = deps.em.fork();
  em.create(TemplateGenerationSchema, { id, templateId: args.template.id, templateVersion: args.template.version, purpose: args.purpose, requestedBy: args.requestedBy, values, createdAt: new Date() });
  await em.flush();
  const outcome = await deps.run(id);
  if (outcome.status === 'failed') {
    // The document engine's own error (e.g. TEXT_DOES_NOT_FIT, DOCX_UNSAFE_CONTENT): the API maps it with its message and status.
    if (outcome.document) throw new DocumentError(outcome.code as DocumentErrorCode, outcome.message);
    throw new AppError(outcome.kind, outcome.code, outcome.message, outcome.messageEn, outcome.kind === 'unavailable' ? { retryAfterSeconds: 5 } : undefined);
  }
  const pdf = await deps.store.get(outcome.resultKey);
  // Delivered: the caller keeps the bytes (a contract stores its own copy), the generation's copy goes.
  await deps.store.delete(outcome.resultKey).catch(() => undefined);
  return { generationId: id, pdf, pages: outcome.pages, roleMarks: outcome.roleMarks, values };
}

/** Activity side: generates the row's document once and answers where it is. */
export async function runTemplateGeneration(em: EntityManager, deps: GenerateDeps & { store: Pick<DocumentStore, 'get' | 'put'> }, generationId: string): Promise<GenerationResult> {
  const row = await em.findOne(TemplateGenerationSchema, { id: generationId });
  if (!row) throw notFound('TEMPLATE_GENERATION_NOT_FOUND', '文件生成请求不存在', 'The generation request does not exist');
  if (row.status === 'done' && row.resultKey && row.pages && row.roleMarks) return { resultKey: row.resultKey, pages: row.pages, roleMarks: row.roleMarks };
  if (row.status === 'failed') throw new AppError(row.errorKind ?? 'rejected', row.errorCode ?? 'TEMPLATE_GENERATION_FAILED', row.errorMessage ?? '文件生成失败', row.errorMessageEn ?? 'Generation failed');
  const template = await em.findOne(DocumentTemplateSchema, { id: row.templateId });
  if (!template) throw notFound('TEMPLATE_NOT_FOUND', '模板不存在', 'The template does not exist');
  if (template.version !== row.templateVersion) throw templateChanged();
  const doc = await generateTemplateDocument(deps, template, row.values);
  const resultKey = generationResultKey(generationId);
  await deps.store.put(resultKey, doc.pdf);
  await updateWhere(em, TemplateGenerationSchema, { id: generationId, status: 'pending' }, { status: 'done', resultKey, pages: doc.pages, roleMarks: doc.roleMarks, finishedAt: new Date() });
  return { resultKey, pages: doc.pages, roleMarks: doc.roleMarks };
}

/** Records why a generation failed (the workflow's last step on a failure). */
export async function failTemplateGeneration(em: EntityManager, generationId: string, failure: { code: string; message: string; messageEn: string; kind: ErrorKind }): Promise<void> {
  await updateWhere(em, TemplateGenerationSchema, { id: generationId, status: 'pending' }, {
    status: 'failed',
    errorCode: failure.code.slice(0, 60),
    errorMessage: failure.message.slice(0, 500),
    errorMessageEn: failure.messageEn.slice(0, 500),
    errorKind: failure.kind,
    finishedAt: new Date(),
  });
}
