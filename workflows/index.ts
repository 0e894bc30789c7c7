// Every workflow the worker runs. Bundled into the deterministic sandbox: no Node built-ins, no I/O.
export { contractSigningWorkflow } from './contract-signing';
export { contractLifecycleWorkflow } from './contract-lifecycle';
export { batchSignWorkflow } from './batch-sign';
export { contractReconcileWorkflow } from './contract-reconcile';
export { adminTransferWorkflow } from './admin-transfer';
export { certificateExpiryRemindersWorkflow } from './certificate-expiry-reminders';
export { certificateOrderWorkflow } from './certificate-order';
export { certificateRevocationSweepWorkflow } from './certificate-revocation-sweep';
export { enterpriseRecertificationWorkflow } from './enterprise-recertification';
export { templateGenerationWorkflow } from './template-generation';
