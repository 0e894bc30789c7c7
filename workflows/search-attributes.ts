import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, defined once. Business keys only, never personal data.
 * The worker registers them on start (see worker/search-attributes.ts).
 */
export const SA_CONTRACT_ID = defineSearchAttributeKey('ContractId', SearchAttributeType.KEYWORD);
export const SA_CONTRACT_STATUS = defineSearchAttributeKey('ContractStatus', SearchAttributeType.KEYWORD);
/** The user who started the process: a contract's initiator, a batch's signer, a transfer's administrator, a generation's requester. */
export const SA_INITIATOR_ID = defineSearchAttributeKey('InitiatorId', SearchAttributeType.KEYWORD);
export const SA_ENTERPRISE_ID = defineSearchAttributeKey('EnterpriseId', SearchAttributeType.KEYWORD);
/** Status of a certificate order (CertificateOrderWorkflow), e.g. pending_payment, issued. */
export const SA_ORDER_STATUS = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);

/**
 * Status of the workflows that have no status key of their own, filtered together with WorkflowType:
 * AdminTransferWorkflow (its step: awaiting_admin_code … completed / expired / cancelled / failed),
 * EnterpriseRecertificationWorkflow (the change's status: drafting … approved / abandoned / lapsed),
 * BatchSignWorkflow (running, done, aborted) and TemplateGenerationWorkflow (running, done, failed).
 * One shared key rather than one per kind: SQL visibility stores (docker-compose's MySQL) allow few
 * custom Keyword attributes per namespace.
 */
export const SA_PROCESS_STATUS = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);
/** The template a TemplateGenerationWorkflow generates from. */
export const SA_TEMPLATE_ID = defineSearchAttributeKey('TemplateId', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_INITIATOR_ID, SA_ENTERPRISE_ID, SA_ORDER_STATUS, SA_PROCESS_STATUS, SA_TEMPLATE_ID];

export const TASK_QUEUE_DEFAULT = 'sealflow';

export const contractWorkflowId = (contractId: string) => `contract:${contractId}`;

/** EnterpriseRecertificationWorkflow of the enterprise's change number `seq` (issue 9). */
export const recertificationWorkflowId = (enterpriseId: string, seq: number) => `recertification:${enterpriseId}:${seq}`;
