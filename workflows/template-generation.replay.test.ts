/**
 * Replays the recorded TemplateGenerationWorkflow histories (generated, refused, unavailable after
 * bounded retries, retried then generated, ProcessStatus upserted at the end) against the current workflow code: a change that breaks
 * determinism for running generations fails here. Re-record with RECORD_HISTORY=1 on
 * test/workflows/template-generation.paths.test.ts only after an intentional, versioned change.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^template-generation-.+\.history\.json$/.test(f)).sort();

describe('TemplateGenerationWorkflow replay', () => {
  it('has a fixture for every path', () => {
    expect(fixtures.map((f) => f.replace(/^template-generation-|\.history\.json$/g, ''))).toEqual(['done', 'process-status', 'rejected', 'retried', 'unavailable']);
  });

  it('replays every path deterministically', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'template-generation' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('field values never enter the history: the workflow input is the generation id (and test timings) only', () => {
    for (const file of fixtures) {
      const history = JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { input?: { payloads?: { data?: string }[] } } }[] };
      const started = history.events[0]!.workflowExecutionStartedEventAttributes!;
      const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!, 'base64').toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(input).sort()).toEqual(['attemptTimeoutMs', 'attempts', 'generationId', 'retryInitialMs']);
    }
  });
});
