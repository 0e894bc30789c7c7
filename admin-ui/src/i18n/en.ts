import type { adminZh } from './zh';

export const adminEn: typeof adminZh = {
  admin: {
    app_name: 'SealFlow Admin',
    menu: { platform: 'Platform' },
    contracts: {
      search: 'Search by title',
      temporal: 'Temporal',
      open_temporal: 'Open the workflow in Temporal',
      workflow_id: 'Workflow ID',
      id: 'Contract ID',
      all_statuses: 'All statuses',
      detail: 'Contract',
    },
    sms: {
      search_mobile: 'Filter by mobile',
      purpose_values: { contract_sign: 'Signing code', login: 'Login code', notify: 'Notification', reminder: 'Reminder' },
    },
    audit: {
      all_actions: 'All actions',
      target_id: 'Target ID',
      target_types: { contract: 'Contract', user: 'User', document: 'Document', certificate: 'Certificate' },
      view_for_contract: 'Audit log',
    },
  },
  resources: {
    contracts: {
      name: 'Contract |||| Contracts',
      fields: { title: 'Title', status: 'Status', q: 'Search' },
    },
    'sms-outbox': {
      name: 'SMS outbox',
      fields: { mobile: 'Mobile', purpose: 'Purpose', content: 'Content', createdAt: 'Time' },
    },
    'audit-events': {
      name: 'Audit log',
      fields: { at: 'Time', actorName: 'Actor', actionLabel: 'Action', target: 'Target', ip: 'IP', detail: 'Detail' },
    },
  },
};
