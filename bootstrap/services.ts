import path from 'node:path';
import type { AppConfig } from '../config';
import { createDbCaMaterialStore } from '../domain/certificates/ca-material-store';
import { migrate, openOrm, type Orm } from '../domain/persistence/orm';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import { createLocalCertificateAuthority } from '../integrations/ca/local-ca';
import { createFileDocumentStore, type DocumentStore } from '../integrations/storage/document-store';

/** The dependencies the API and the worker share, built from configuration. */
export interface Services {
  config: AppConfig;
  orm: Orm;
  store: DocumentStore;
  ca: CertificateAuthority;
  close(): Promise<void>;
}

export async function createServices(config: AppConfig, options: { migrate?: boolean } = {}): Promise<Services> {
  const orm = await openOrm(config.database);
  if (options.migrate ?? true) await migrate(orm);
  const store = createFileDocumentStore(path.join(config.dataDir, 'documents'));
  const ca = await createCa(config, orm);
  return { config, orm, store, ca, close: () => orm.close() };
}

async function createCa(config: AppConfig, orm: Orm): Promise<CertificateAuthority> {
  switch (config.caProvider) {
    case 'local':
      return createLocalCertificateAuthority({ name: config.caName, masterKey: config.masterKey, store: createDbCaMaterialStore(orm) });
  }
}
