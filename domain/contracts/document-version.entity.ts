import { EntitySchema } from '@mikro-orm/core';

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
    contractId: { type: 'string', length: 36 },
    version: { type: 'integer' },
    storageKey: { type: 'string', length: 255 },
    sha256: { type: 'string', length: 64 },
    size: { type: 'integer' },
    signerId: { type: 'string', length: 36, nullable: true },
    createdAt: { type: 'datetime' },
  },
});
