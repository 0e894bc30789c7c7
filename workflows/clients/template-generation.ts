import type { Client } from '@temporalio/client';
import { AppError, unavailable } from '../../domain/errors';
import { SA_INITIATOR_ID, SA_PROCESS_STATUS, SA_TEMPLATE_ID } from '../search-attributes';
import { templateGenerationWorkflow, templateGenerationWorkflowId, type TemplateGenerationInput, type TemplateGenerationOutcome } from '../template-generation';

/** How long the API waits for a generation before answering 503 + Retry-After (the generation goes on). */
export const TEMPLATE_GENERATION_WAIT_MS = 60_000;

export interface RunGenerationOptions {
  /** Starting the workflow gives up after this long (Temporal unreachable → 503). */
  callTimeoutMs: number;
  /** Waiting for its result gives up after this long (→ 503 TEMPLATE_GENERATION_PENDING). Default TEMPLATE_GENERATION_WAIT_MS. */
  waitMs?: number;
  /** Tests: attempts, retry interval, attempt timeout. */
  input?: Omit<TemplateGenerationInput, 'generationId'>;
  /** Business keys for Temporal UI (search attributes TemplateId, InitiatorId), when the caller knows them. */
  keys?: { templateId: string; requestedBy: string | null };
}

const notStarted = () => unavailable('TEMPLATE_GENERATION_UNAVAILABLE', '文件生成服务暂时不可用，请稍后重试', 'Document generation is temporarily unavailable; please retry', 5);
const stillRunning = () => unavailable('TEMPLATE_GENERATION_PENDING', '文件生成耗时较长，请稍后重试', 'Generating the document takes longer than usual; please retry shortly', 10);

/**
 * Client side: starts the generation's workflow (`template-generation:<generationId>`, id only — the
 * field values stay in the database) and waits for its outcome at most `waitMs`. Findable in Temporal UI by
 * ProcessStatus (`running`, then the workflow's `done` / `failed`) and, given `keys`, TemplateId and InitiatorId.
 * (Not bundled into the sandbox.)
 */
export async function runTemplateGenerationWorkflow(client: Client, taskQueue: string, generationId: string, options: RunGenerationOptions): Promise<TemplateGenerationOutcome> {
  const handle = await start().catch((err: unknown) => {
    throw Object.assign(notStarted(), { cause: err });
  });
  function start() {
    return client.withDeadline(Date.now() + options.callTimeoutMs, () =>
      client.workflow.start(templateGenerationWorkflow, {
        workflowId: templateGenerationWorkflowId(generationId),
        taskQueue,
        args: [{ generationId, ...options.input }],
        typedSearchAttributes: [
          { key: SA_PROCESS_STATUS, value: 'running' },
          ...(options.keys ? [{ key: SA_TEMPLATE_ID, value: options.keys.templateId }] : []),
          ...(options.keys?.requestedBy ? [{ key: SA_INITIATOR_ID, value: options.keys.requestedBy }] : []),
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(stillRunning()), options.waitMs ?? TEMPLATE_GENERATION_WAIT_MS);
  });
  try {
    return await Promise.race([handle.result(), timeout]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw Object.assign(notStarted(), { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
