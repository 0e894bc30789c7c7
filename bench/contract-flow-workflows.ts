// The bench worker's workflows: every real one, plus the no-op anchor of bench/contract-flow.ts.
export * from '../workflows/index';
export { noopContractWorkflow } from './noop-contract-workflow';
