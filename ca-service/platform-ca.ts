import type { AppConfig } from '../config';
import { createDbCaMaterialStore } from '../domain/certificates/ca-material-store';
import { CaMaterialSchema } from '../domain/certificates/certificate.entities';
import { openOrm, type Orm } from '../domain/persistence/orm';
import { reasonOf } from '../bootstrap/startup-error';
import { createLocalCertificateAuthority, type LocalCertificateAuthority } from '../integrations/ca/local-ca';
import { CaServiceError } from './errors';

/**
 * The platform CA as the CA service uses it: built like the platform builds it (CA_NAME,
 * MASTER_KEY, the `ca_material` row of the platform database at DATABASE_URL), loaded at the first
 * issuance and kept. The service never sets the CA up (the platform does at its first start): until
 * the row exists, issuing answers 503 CA_NOT_READY and the next attempt tries again.
 */
export interface PlatformCa {
  get(): Promise<LocalCertificateAuthority>;
  close(): Promise<void>;
}

const notReady = (why: string) => {
  console.error(`[ca-service] platform CA not available: ${why}`);
  return new CaServiceError(503, 'CA_NOT_READY', '平台 CA 尚未就绪，请稍后重试', 'The platform CA is not available yet; try again later');
};

export function createPlatformCa(config: Pick<AppConfig, 'database' | 'masterKey' | 'caName'>): PlatformCa {
  let orm: Orm | null = null;
  let loaded: Promise<LocalCertificateAuthority> | null = null;

  async function load(): Promise<LocalCertificateAuthority> {
    // Only the CA material's table: the service reads nothing else of the platform database.
    orm ??= await openOrm(config.database, { entities: [CaMaterialSchema] });
    const platformStore = createDbCaMaterialStore(orm);
    if (!(await platformStore.load())) throw new Error('the platform has not set up its CA yet (it does at its first start)');
    return createLocalCertificateAuthority({
      name: config.caName,
      masterKey: config.masterKey,
      store: {
        load: () => platformStore.load(),
        save: () => Promise.reject(new Error('the CA service never sets up the platform CA')),
      },
    });
  }

  return {
    get() {
      loaded ??= load().catch((err: unknown) => {
        loaded = null;
        throw notReady(reasonOf(err));
      });
      return loaded;
    },
    async close() {
      await orm?.close().catch(() => undefined);
      orm = null;
    },
  };
}
