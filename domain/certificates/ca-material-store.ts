import { UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/core';
import { encryptSecret, needsReencryption, decryptSecret } from '../../integrations/ca/key-encryption';
import { openRootKey, type CaMaterialStore, type OnlineCaMaterial, type StoredCaMaterial } from '../../integrations/ca/local-ca';
import { CaMaterialSchema } from './certificate.entities';

const ROW_ID = 'platform';
const ONLINE_FIELDS = ['id', 'rootCertificatePem', 'issuingCertificatePem', 'issuingKeyEncrypted'] as const;

/**
 * Persists the embedded CA's keys and certificates (encrypted keys) in the app database.
 * `load` — what the API and the worker use — selects the online material only: the root key
 * column is never read by the running services.
 */
export function createDbCaMaterialStore(orm: MikroORM): CaMaterialStore {
  return {
    async load(): Promise<OnlineCaMaterial | null> {
      const row = await orm.em.fork().findOne(CaMaterialSchema, { id: ROW_ID }, { fields: [...ONLINE_FIELDS] });
      if (!row) return null;
      const { rootCertificatePem, issuingCertificatePem, issuingKeyEncrypted } = row;
      return { rootCertificatePem, issuingCertificatePem, issuingKeyEncrypted };
    },
    async save(material: StoredCaMaterial): Promise<void> {
      const em = orm.em.fork();
      em.create(CaMaterialSchema, { id: ROW_ID, ...material, createdAt: new Date() });
      try {
        await em.flush();
      } catch (err) {
        // Several replicas set up at once: the first write wins, the others load it.
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
      }
    },
  };
}

/**
 * Set-up path (seed, `npm run ca:setup`): re-encrypts CA keys stored in the legacy v1 format —
 * the root key under its own 'ca-root' key — so that the running services decrypt the issuing
 * key with the cached HKDF key. Returns what it changed.
 */
export async function upgradeCaMaterialEncryption(orm: MikroORM, masterKey: string): Promise<string[]> {
  const em = orm.em.fork();
  const row = await em.findOne(CaMaterialSchema, { id: ROW_ID });
  if (!row) return [];
  const changed: string[] = [];
  if (needsReencryption(row.rootKeyEncrypted)) {
    row.rootKeyEncrypted = encryptSecret(openRootKey(row, masterKey), masterKey, 'ca-root');
    changed.push('root key');
  }
  if (needsReencryption(row.issuingKeyEncrypted)) {
    row.issuingKeyEncrypted = encryptSecret(decryptSecret(row.issuingKeyEncrypted, masterKey), masterKey);
    changed.push('issuing key');
  }
  await em.flush();
  return changed;
}
