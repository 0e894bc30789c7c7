import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/** Every state of a contract's PDF is kept: version 0 is the upload, each signature adds one. */
export interface DocumentVersion {
  id: string;
  contractId: string;
  version: number;
  storageKey: string;
  sha256: string;
  size: number;
  signerId: string | null;
  createdAt: Date;
}

export const DocumentVersionSchema = new EntitySchema<DocumentVersion>({
  name: 'DocumentVersion',
  tableName: 'document_versions',
  uniques: [{ properties: ['contractId', 'version'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id'),
    version: { type: 'integer' },
    storageKey: { type: 'string', length: 255 },
    sha256: { type: 'string', length: 64 },
    size: { type: 'integer' },
    signerId: references('ContractSigner', 'signer_id', { nullable: true }),
    createdAt: { type: 'datetime' },
  },
});
