/**
 * Activities of the TemplateGenerationWorkflow: thin adapters over domain/templates/template-generations.ts.
 * Failures are classified as everywhere (activity-errors.ts), and the permanent ones carry the
 * AppError's kind so that the API answers them with the right status (422 keyword missing, 409
 * template changed, 404 template deleted): a business or document error is a non-retryable
 * ApplicationFailure with its zh-CN / English message; LibreOffice busy or died, storage and
 * database errors are thrown as they are and retried under the workflow's bounded policy.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/core';
import { DocumentError, type PdfLimits } from '../documents';
import { AppError, type ErrorKind } from '../domain/errors';
import type { TemplateEngine } from '../domain/templates/generate-document';
import { failTemplateGeneration, runTemplateGeneration, type GenerationResult } from '../domain/templates/template-generations';
import type { DocumentStore } from '../integrations/storage/document-store';
import { asActivityFailure, classifyActivityError } from './activity-errors';

export interface TemplateActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
  engine: TemplateEngine;
  limits: PdfLimits;
}

const permanent = (code: string, message: string, messageEn: string, kind: ErrorKind, cause?: Error, document = false) =>
  ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ code, message, messageEn, kind, ...(document ? { document } : {}) }], cause });

/**
 * activity-errors.ts's classification, keeping the AppError's kind; a permanent document error
 * (a hostile .docx, text that does not fit its box, a conversion that failed) is flagged `document`:
 * the API answers it with the document engine's own message and status (api/http/errors.ts).
 */
export function classifyGenerationError(err: unknown): unknown {
  if (err instanceof AppError) return permanent(err.code, err.message, err.messageEn, err.kind);
  const classified = classifyActivityError(err);
  if (err instanceof DocumentError && classified instanceof ApplicationFailure && classified.nonRetryable) {
    return permanent(err.code, `模板文件无法生成文档（${err.code}），请检查模板文件`, `The template file could not be turned into a document (${err.code}); check the template file`, 'rejected', err, true);
  }
  return classified;
}

export function createTemplateActivities(deps: TemplateActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Generates the row's document (idempotent); answers the stored PDF's key, pages and role marks — never field values. */
    async generateFromTemplate(input: { generationId: string }): Promise<GenerationResult> {
      try {
        return await runTemplateGeneration(em(), deps, input.generationId);
      } catch (err) {
        throw classifyGenerationError(err);
      }
    },
    async failTemplateGeneration(input: { generationId: string; code: string; message: string; messageEn: string; kind: ErrorKind; document?: boolean }): Promise<void> {
      const { generationId, code, message, messageEn, kind } = input;
      await asActivityFailure(() => failTemplateGeneration(em(), generationId, { code, message, messageEn, kind }));
    },
  };
}

export type TemplateActivities = ReturnType<typeof createTemplateActivities>;
