/**
 * The anchor of bench/contract-flow.ts: a workflow that does nothing but what Temporal itself costs a
 * contract — started with the contract's search attributes, `ContractStatus` upserted on activation
 * and at the end, and two `sign` Updates answered — so the contract's figure is read against the
 * same dev server in the same run. Bundled with the real workflows (bench/contract-flow-workflows.ts).
 */
import { allHandlersFinished, condition, defineUpdate, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SA_CONTRACT_STATUS } from '../workflows/search-attributes';

export const noopSignUpdate = defineUpdate<{ participantId: string; signed: number }, [{ participantId: string }]>('sign');

export async function noopContractWorkflow(input: { signers: number }): Promise<number> {
  let signed = 0;
  upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: 'in_progress' }]);
  setHandler(noopSignUpdate, (request) => ({ participantId: request.participantId, signed: ++signed }));
  await condition(() => signed >= input.signers);
  upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: 'completed' }]);
  await condition(allHandlersFinished);
  return signed;
}
