/**
 * TemplateGenerationWorkflow paths with fake activities (no database, no LibreOffice) against the
 * suite's Temporal dev server: generated, refused (a document/business error: no retry), LibreOffice
 * failing past the bounded retries (UNAVAILABLE), a transient failure retried, and the API's wait
 * giving up (503 + Retry-After) while the generation goes on. Each finished path is recorded as a
 * replay fixture with RECORD_HISTORY=1 (workflows/fixtures/template-generation-*.history.json).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { TemplateActivities } from '../../activities/template-activities';
import { AppError } from '../../domain/errors';
import type { GenerationResult } from '../../domain/templates/template-generations';
import { runTemplateGenerationWorkflow } from '../../workflows/clients/template-generation';
import { GENERATION_UNAVAILABLE, templateGenerationWorkflow, templateGenerationWorkflowId, type TemplateGenerationInput } from '../../workflows/template-generation';
import { SA_INITIATOR_ID, SA_PROCESS_STATUS, SA_TEMPLATE_ID } from '../../workflows/search-attributes';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';

const RESULT: GenerationResult = {
  resultKey: 'template-generations/x.pdf',
  pages: [{ width: 595.28, height: 841.89 }],
  roleMarks: { r1: [{ kind: 'seal', sealType: 'contract', page: 1, x: 100, y: 600 }] },
};

function fakes(generate: (attempt: number) => Promise<GenerationResult>) {
  const calls: { name: string; input: unknown }[] = [];
  let attempt = 0;
  const activities: TemplateActivities = {
    generateFromTemplate: async (input) => {
      calls.push({ name: 'generateFromTemplate', input });
      return generate(++attempt);
    },
    failTemplateGeneration: async (input) => {
      calls.push({ name: 'failTemplateGeneration', input });
    },
  };
  return { activities, calls, called: (name: string) => calls.filter((c) => c.name === name) };
}

const fast = (generationId = randomUUID()): TemplateGenerationInput => ({ generationId, attempts: 3, retryInitialMs: 100, attemptTimeoutMs: 5000 });

describe('TemplateGenerationWorkflow paths', () => {
  it('generates: answers the stored PDF key, pages and role marks; the history carries the row id only', async () => {
    const f = fakes(async () => RESULT);
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const input = fast();
      const handle = await client.workflow.start(templateGenerationWorkflow, { taskQueue, workflowId: templateGenerationWorkflowId(input.generationId), args: [input] });
      expect(await handle.result()).toEqual({ status: 'done', ...RESULT });
      expect(f.calls).toEqual([{ name: 'generateFromTemplate', input: { generationId: input.generationId } }]);
      await recordHistory(handle, 'template-generation-done');
    });
  });

  it('a document or business error (keyword missing) is not retried: the row records it and the outcome carries its message and kind', async () => {
    const detail = { code: 'TEMPLATE_KEYWORD_MISSING', message: '角色「甲方」的定位关键字「甲方（盖章）：」在生成的文件中未找到', messageEn: 'Role "甲方": the keyword was not found', kind: 'rejected' };
    const f = fakes(async () => Promise.reject(ApplicationFailure.create({ type: detail.code, message: detail.message, nonRetryable: true, details: [detail] })));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const input = fast();
      const handle = await client.workflow.start(templateGenerationWorkflow, { taskQueue, workflowId: templateGenerationWorkflowId(input.generationId), args: [input] });
      expect(await handle.result()).toEqual({ status: 'failed', ...detail });
      expect(f.called('generateFromTemplate')).toHaveLength(1);
      expect(f.called('failTemplateGeneration').map((c) => c.input)).toEqual([{ generationId: input.generationId, ...detail }]);
      await recordHistory(handle, 'template-generation-rejected');
    });
  });

  it('LibreOffice failing every time: retried a bounded number of times, then UNAVAILABLE (503)', async () => {
    const f = fakes(async () => Promise.reject(new Error('soffice process died')));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const input = fast();
      const handle = await client.workflow.start(templateGenerationWorkflow, { taskQueue, workflowId: templateGenerationWorkflowId(input.generationId), args: [input] });
      expect(await handle.result()).toEqual({ status: 'failed', ...GENERATION_UNAVAILABLE });
      expect(f.called('generateFromTemplate')).toHaveLength(3);
      expect(f.called('failTemplateGeneration').map((c) => c.input)).toEqual([{ generationId: input.generationId, ...GENERATION_UNAVAILABLE }]);
      await recordHistory(handle, 'template-generation-unavailable');
    });
  });

  it('a transient failure (converter busy) is retried and the generation succeeds', async () => {
    const f = fakes(async (attempt) => (attempt === 1 ? Promise.reject(new Error('converter busy')) : RESULT));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const input = fast();
      const handle = await client.workflow.start(templateGenerationWorkflow, { taskQueue, workflowId: templateGenerationWorkflowId(input.generationId), args: [input] });
      expect(await handle.result()).toEqual({ status: 'done', ...RESULT });
      expect(f.called('generateFromTemplate')).toHaveLength(2);
      expect(f.called('failTemplateGeneration')).toHaveLength(0);
      await recordHistory(handle, 'template-generation-retried');
    });
  });

  it('the API stops waiting after waitMs with a 503 + Retry-After; the generation goes on and finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = fakes(async () => {
      await gate;
      return RESULT;
    });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const generationId = randomUUID();
      const t0 = Date.now();
      const err = await runTemplateGenerationWorkflow(client, taskQueue, generationId, { callTimeoutMs: 5000, waitMs: 800, input: { attempts: 1 } }).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(err).toBeInstanceOf(AppError);
      expect([(err as AppError).kind, (err as AppError).code, typeof (err as AppError).details?.retryAfterSeconds]).toEqual(['unavailable', 'TEMPLATE_GENERATION_PENDING', 'number']);
      release();
      expect(await client.workflow.getHandle(templateGenerationWorkflowId(generationId)).result()).toEqual({ status: 'done', ...RESULT });
    });
  });

  it('Temporal unreachable: starting gives up after callTimeoutMs with a 503', async () => {
    const f = fakes(async () => RESULT);
    await withWorkflowWorker({ activities: f.activities }, async ({ client }) => {
      // A task queue nobody polls still starts; an expired deadline does not: simulate the unreachable server by a zero budget.
      const err = await runTemplateGenerationWorkflow(client, 'nobody', randomUUID(), { callTimeoutMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect([(err as AppError).kind, (err as AppError).code]).toEqual(['unavailable', 'TEMPLATE_GENERATION_UNAVAILABLE']);
    });
  });

  it('search attributes: TemplateId, InitiatorId (the requester) and ProcessStatus running from the start, then done or failed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const f = fakes(async (attempt) => (attempt === 1 ? (await held, RESULT) : Promise.reject(ApplicationFailure.create({ type: 'TEMPLATE_CHANGED', message: 'changed', nonRetryable: true }))));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const run = (generationId: string) => runTemplateGenerationWorkflow(client, taskQueue, generationId, { callTimeoutMs: 5000, input: { attempts: 3, retryInitialMs: 100, attemptTimeoutMs: 5000 }, keys: { templateId: 'template-1', requestedBy: 'user-1' } });
      const attributes = async (generationId: string) => {
        const sa = (await client.workflow.getHandle(templateGenerationWorkflowId(generationId)).describe()).typedSearchAttributes;
        return [sa.get(SA_TEMPLATE_ID), sa.get(SA_INITIATOR_ID), sa.get(SA_PROCESS_STATUS)];
      };
      const done = randomUUID();
      const running = run(done);
      await eventually(async () => f.called('generateFromTemplate').length === 1, 10_000, 'generation started');
      expect(await attributes(done)).toEqual(['template-1', 'user-1', 'running']);
      release();
      expect(await running).toMatchObject({ status: 'done' });
      expect(await attributes(done)).toEqual(['template-1', 'user-1', 'done']);
      await recordHistory(client.workflow.getHandle(templateGenerationWorkflowId(done)), 'template-generation-process-status');
      const failed = randomUUID();
      expect(await run(failed)).toMatchObject({ status: 'failed', code: 'TEMPLATE_CHANGED' });
      expect(await attributes(failed)).toEqual(['template-1', 'user-1', 'failed']);
    });
  });
});
