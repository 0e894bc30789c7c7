/** Contract rows written straight to the database, for tests of one layer (signing engine, trail, lists). */
import { randomUUID } from 'node:crypto';
import { NEW_PARTICIPANT_PROGRESS, type ContractSigner } from '../../domain/contracts/contract-signer.entity';

/**
 * A participant row (`contract_signers`): a person in step `order` unless `over` says otherwise;
 * not signed, not refused, never urged, no v1 position.
 */
export function participantRow(contractId: string, order: number, over: Partial<ContractSigner> & Pick<ContractSigner, 'name'>): ContractSigner {
  return {
    id: randomUUID(),
    contractId,
    order,
    step: order,
    kind: 'person',
    userId: null,
    enterpriseId: null,
    departmentName: null,
    mobile: '',
    status: 'waiting',
    canRefuse: false,
    placement: 'preset',
    note: null,
    ...NEW_PARTICIPANT_PROGRESS,
    fieldName: `签署方${order}`,
    ...over,
  };
}
