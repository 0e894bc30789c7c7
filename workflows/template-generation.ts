/**
 * TemplateGenerationWorkflow (`template-generation:<generationId>`): generates one document from a
 * template — preview, the publish check with sample values, or the document of a contract started
 * from the template. Short-lived; the API waits for its result with a timeout (503 + Retry-After).
 *
 * Field values never enter this history: the API stores them on the `template_generations` row and
 * the workflow only carries the row's id. The activity reads the row, generates (Word: fill →
 * LibreOffice → keyword search; Web: text drawing), stores the PDF and answers its storage key, the
 * page sizes and the role marks (no field values).
 *
 * Failures: a document or business error (a keyword missing, a template that changed, a hostile
 * .docx) is a non-retryable ApplicationFailure from the activity and ends the generation `failed`
 * with its message at once; infrastructure failures (LibreOffice busy or died, storage, database)
 * are retried `attempts` times with backoff, then end it `failed` as UNAVAILABLE (503).
 *
 * Search attributes: the client sets ProcessStatus `running` (and TemplateId, InitiatorId = the requester, when
 * it knows them) at start; the workflow upserts ProcessStatus `done` or `failed` at its end (PROCESS_STATUS_PATCH).
 */
import { ActivityFailure, patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { TemplateActivities } from '../activities/template-activities';
import type { MarkSpec, PageSize } from '../domain/contracts/start-contract-spec';
import type { ErrorKind } from '../domain/errors';
import { SA_PROCESS_STATUS } from './search-attributes';

export const templateGenerationWorkflowId = (generationId: string) => `template-generation:${generationId}`;

export interface TemplateGenerationInput {
  generationId: string;
  /** Attempts on infrastructure failures (default 3). */
  attempts?: number;
  /** Bound of one attempt (default 120 s; a stuck conversion is killed by the converter's own timeout first). */
  attemptTimeoutMs?: number;
  /** First retry interval (default 1 s; tests pass less). */
  retryInitialMs?: number;
}

export interface GenerationFailure {
  code: string;
  message: string;
  messageEn: string;
  /** How the API answers it (rejected → 422, conflict → 409, unavailable → 503 …). */
  kind: ErrorKind;
  /** A DocumentError of the engine (code = its DocumentErrorCode): the API answers it as the document engine's error. */
  document?: boolean;
}

export type TemplateGenerationOutcome =
  | { status: 'done'; resultKey: string; pages: PageSize[]; roleMarks: Record<string, MarkSpec[]> }
  | ({ status: 'failed' } & GenerationFailure);

export const GENERATION_UNAVAILABLE: GenerationFailure = {
  code: 'TEMPLATE_GENERATION_UNAVAILABLE',
  message: '文件生成服务暂时不可用，请稍后重试',
  messageEn: 'Document generation is temporarily unavailable; please retry',
  kind: 'unavailable',
};

/**
 * Versioned change: the outcome (`done` / `failed`) is upserted as the ProcessStatus search attribute. Asked only
 * at the end, so executions recorded before it replay without it.
 */
export const PROCESS_STATUS_PATCH = 'template-generation-process-status-1';

const showStatus = (status: TemplateGenerationOutcome['status']) => {
  if (patched(PROCESS_STATUS_PATCH)) upsertSearchAttributes([{ key: SA_PROCESS_STATUS, value: status }]);
};

/** The failure an activity reported: its own detail when permanent, else UNAVAILABLE. */
function failureOf(err: ActivityFailure): GenerationFailure {
  const cause = permanentActivityFailure(err);
  if (cause) {
    const d = (cause.details?.[0] ?? {}) as Partial<GenerationFailure>;
    return { code: d.code ?? cause.type ?? 'TEMPLATE_GENERATION_FAILED', message: d.message ?? cause.message, messageEn: d.messageEn ?? cause.message, kind: d.kind ?? 'rejected', ...(d.document ? { document: true } : {}) };
  }
  return GENERATION_UNAVAILABLE;
}

export async function templateGenerationWorkflow(input: TemplateGenerationInput): Promise<TemplateGenerationOutcome> {
  const attemptTimeoutMs = input.attemptTimeoutMs ?? 120_000;
  const generator = proxyActivities<TemplateActivities>({
    startToCloseTimeout: attemptTimeoutMs,
    retry: { initialInterval: input.retryInitialMs ?? 1000, backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: input.attempts ?? 3 },
  });
  const db = proxyActivities<TemplateActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: input.retryInitialMs ?? 1000, backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 10 } });
  try {
    const result = await generator.generateFromTemplate({ generationId: input.generationId });
    showStatus('done');
    return { status: 'done', ...result };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const failure = failureOf(err);
    await db.failTemplateGeneration({ generationId: input.generationId, ...failure });
    showStatus('failed');
    return { status: 'failed', ...failure };
  }
}
