import type { MikroORM } from '@mikro-orm/core';
import type { CaMaterialStore, StoredCaMaterial } from '../../integrations/ca/local-ca';
import { CaMaterialSchema } from './certificate.entities';

const ROW_ID = 'platform';

/** Persists the embedded CA's keys and certificates (encrypted keys) in the app database. */
export function createDbCaMaterialStore(orm: MikroORM): CaMaterialStore {
  return {
    async load(): Promise<StoredCaMaterial | null> {
      const row = await orm.em.fork().findOne(CaMaterialSchema, { id: ROW_ID });
      if (!row) return null;
      const { rootCertificatePem, rootKeyEncrypted, issuingCertificatePem, issuingKeyEncrypted } = row;
      return { rootCertificatePem, rootKeyEncrypted, issuingCertificatePem, issuingKeyEncrypted };
    },
    async save(material: StoredCaMaterial): Promise<void> {
      const em = orm.em.fork();
      em.create(CaMaterialSchema, { id: ROW_ID, ...material, createdAt: new Date() });
      await em.flush();
    },
  };
}
