import type { Identifier } from 'react-admin';

const base = (id: Identifier) => `/api/contracts/${encodeURIComponent(String(id))}`;

export const contractUrls = {
  view: (id: Identifier) => base(id),
  document: (id: Identifier) => `${base(id)}/document`,
  download: (id: Identifier) => `${base(id)}/document?download=1`,
  audit: (id: Identifier) => `${base(id)}/audit`,
  smsCode: (id: Identifier) => `${base(id)}/sms-code`,
  sign: (id: Identifier) => `${base(id)}/sign`,
  refuse: (id: Identifier) => `${base(id)}/refuse`,
  revoke: (id: Identifier) => `${base(id)}/revoke`,
  urge: (id: Identifier) => `${base(id)}/urge`,
};
