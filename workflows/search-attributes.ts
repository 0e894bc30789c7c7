import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, defined once. Business keys only, never personal data.
 * The worker registers them on start (see worker/search-attributes.ts).
 */
export const SA_CONTRACT_ID = defineSearchAttributeKey('ContractId', SearchAttributeType.KEYWORD);
export const SA_CONTRACT_STATUS = defineSearchAttributeKey('ContractStatus', SearchAttributeType.KEYWORD);
export const SA_INITIATOR_ID = defineSearchAttributeKey('InitiatorId', SearchAttributeType.KEYWORD);
export const SA_ENTERPRISE_ID = defineSearchAttributeKey('EnterpriseId', SearchAttributeType.KEYWORD);
/** Status of a certificate order (CertificateOrderWorkflow), e.g. pending_payment, issued. */
export const SA_ORDER_STATUS = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_INITIATOR_ID, SA_ENTERPRISE_ID, SA_ORDER_STATUS];

export const TASK_QUEUE_DEFAULT = 'sealflow';

export const contractWorkflowId = (contractId: string) => `contract:${contractId}`;

/** EnterpriseRecertificationWorkflow of the enterprise's change number `seq` (issue 9). */
export const recertificationWorkflowId = (enterpriseId: string, seq: number) => `recertification:${enterpriseId}:${seq}`;
