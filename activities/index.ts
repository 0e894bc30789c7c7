import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config';
import { createCaOrderGateway } from '../integrations/ca-orders/http-ca-order-gateway';
import { fillDocx, findKeywords, drawTextFields, inspectPdf } from '../documents';
import type { OfficeConverter } from '../integrations/office';
import { createSmsSender } from '../integrations/sms';
import { createAdminTransferActivities } from './admin-transfer-activities';
import { createBatchSignActivities } from './batch-sign-activities';
import { createCertificateOrderActivities } from './certificate-order-activities';
import { createContractActivities, type ContractActivityDeps } from './contract-activities';
import { createContractLifecycleActivities } from './contract-lifecycle-activities';
import { createRecertificationActivities } from './recertification-activities';
import { createReconcileActivities } from './reconcile-activities';
import { createReminderActivities } from './reminder-activities';
import { createRevocationActivities } from './revocation-activities';
import { createTemplateActivities } from './template-activities';

/** `office`: Word → PDF for template generation (services.office). */
export type ActivityDeps = ContractActivityDeps & { config: AppConfig; office: Pick<OfficeConverter, 'toPdf'> };

/** Every activity the worker registers, built from real dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  const sms = (em: EntityManager) => createSmsSender(deps.config, em);
  const caOrders = createCaOrderGateway(deps.config);
  return {
    ...createContractActivities(deps),
    ...createContractLifecycleActivities({ ...deps, sms }),
    ...createBatchSignActivities({ orm: deps.orm }),
    ...createReconcileActivities({ orm: deps.orm, store: deps.store, config: deps.config, sms, caOrders }),
    ...createAdminTransferActivities({ orm: deps.orm, sms }),
    ...createReminderActivities({ orm: deps.orm, sms }),
    ...createRecertificationActivities({ orm: deps.orm, store: deps.store }),
    ...createCertificateOrderActivities({ orm: deps.orm, gateway: caOrders, ca: deps.ca, masterKey: deps.masterKey }),
    ...createRevocationActivities({ orm: deps.orm, gateway: caOrders }),
    ...createTemplateActivities({
      orm: deps.orm,
      store: deps.store,
      limits: { maxBytes: deps.config.maxUploadBytes, maxPages: deps.config.maxPages },
      engine: { fillDocx: (docx, values) => fillDocx(docx, values), toPdf: (docx) => deps.office.toPdf(docx), findKeywords, drawTextFields, inspectPdf },
    }),
  };
}
