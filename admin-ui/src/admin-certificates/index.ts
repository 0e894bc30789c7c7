import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import type { ConsoleResource } from '../resources';
import { AdminCertificateList } from './AdminCertificateList';
import { AdminCertificateOrderList } from './AdminCertificateOrderList';

/** CA 订单 (operators): /admin/admin-certificate-orders. */
export const adminCertificateOrdersResource: ConsoleResource = {
  name: 'admin-certificate-orders',
  apiPath: 'admin/certificate-orders',
  group: 'platform',
  access: 'operator',
  icon: ReceiptLongIcon,
  list: AdminCertificateOrderList,
};

/** 证书 (operators): /admin/admin-certificates. */
export const adminCertificatesResource: ConsoleResource = {
  name: 'admin-certificates',
  apiPath: 'admin/certificates',
  group: 'platform',
  access: 'operator',
  icon: VerifiedUserIcon,
  list: AdminCertificateList,
};
