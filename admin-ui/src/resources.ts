// The console's resources. Each entry: react-admin resource name (also the URL under /admin/),
// its API path under /api, the menu group and the views. The enterprise console (members,
// seals, certificates, join reviews) adds entries here with group "enterprise".
import type { ComponentType } from 'react';
import type { ResourceProps } from 'react-admin';
import { contractsResource } from './contracts';
import { auditEventsResource } from './audit-events';
import { smsOutboxResource } from './sms-outbox';

export interface ConsoleResource {
  name: string;
  apiPath: string;
  group: 'platform';
  icon: ComponentType;
  list?: ComponentType;
  show?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  recordRepresentation?: ResourceProps['recordRepresentation'];
}

export const RESOURCES: ConsoleResource[] = [contractsResource, smsOutboxResource, auditEventsResource];
