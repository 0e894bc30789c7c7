import path from 'node:path';
import type { AppConfig } from '../config';
import { createDbCaMaterialStore } from '../domain/certificates/ca-material-store';
import { watchConnectionPool } from '../domain/persistence/connection-pool';
import { setCodeHashKey } from '../domain/sms/code-rules';
import { migrate, openOrm, type Orm } from '../domain/persistence/orm';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import { createLocalCertificateAuthority } from '../integrations/ca/local-ca';
import { createOfficeConverter, type OfficeConverter } from '../integrations/office';
import { createFileDocumentStore, type DocumentStore } from '../integrations/storage/document-store';
import { checkDataDir, withDatabase } from './preflight';
import { reasonOf, StartupError } from './startup-error';

/** The dependencies the API and the worker share, built from configuration. */
export interface Services {
  config: AppConfig;
  orm: Orm;
  store: DocumentStore;
  ca: CertificateAuthority;
  /** Word → PDF (OFFICE_CONVERTER; LibreOffice starts on the first document). */
  office: OfficeConverter;
  close(): Promise<void>;
}

/**
 * Checks DATA_DIR, opens (and migrates) the database and loads the CA. On the very first start the
 * CA is set up (root and issuing CA created); afterwards only the issuing key is decrypted.
 */
export async function createServices(config: AppConfig, options: { migrate?: boolean } = {}): Promise<Services> {
  checkDataDir(config.dataDir);
  setCodeHashKey(config.masterKey);
  const orm = await withDatabase(config, async () => {
    const opened = await openOrm(config.database);
    watchConnectionPool(opened, { traceHolders: config.dbPoolTrace });
    try {
      if (options.migrate ?? true) await migrate(opened);
      return opened;
    } catch (err) {
      await opened.close().catch(() => undefined);
      throw err;
    }
  });
  try {
    const store = createFileDocumentStore(path.join(config.dataDir, 'documents'));
    const ca = await createCa(config, orm).catch((err: unknown) => {
      throw new StartupError(`cannot load the platform CA (${reasonOf(err)}); MASTER_KEY must be the key the platform was set up with`);
    });
    const office = createOfficeConverter(config.office);
    const close = async () => {
      try {
        await office.close(); // kills the LibreOffice processes it started
      } finally {
        await orm.close();
      }
    };
    return { config, orm, store, ca, office, close };
  } catch (err) {
    await orm.close().catch(() => undefined);
    throw err;
  }
}

async function createCa(config: AppConfig, orm: Orm): Promise<CertificateAuthority> {
  switch (config.caProvider) {
    case 'local':
      return createLocalCertificateAuthority({ name: config.caName, masterKey: config.masterKey, store: createDbCaMaterialStore(orm) });
  }
}
