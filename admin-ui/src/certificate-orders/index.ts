import ReceiptIcon from '@mui/icons-material/Receipt';
import type { ConsoleResource } from '../resources';
import { CertificateOrderList } from './CertificateOrderList';

/** 证书订单管理 (enterprise console): /admin/certificate-orders. */
export const certificateOrdersResource: ConsoleResource = {
  name: 'certificate-orders',
  apiPath: 'console/certificate-orders',
  group: 'enterprise',
  access: 'console',
  icon: ReceiptIcon,
  list: CertificateOrderList,
};
