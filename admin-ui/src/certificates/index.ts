import AutorenewIcon from '@mui/icons-material/Autorenew';
import type { ConsoleResource } from '../resources';
import { CertificateRenewList } from './CertificateRenewList';

/** 企业证书更新 (enterprise console): /admin/certificates. */
export const certificatesResource: ConsoleResource = {
  name: 'certificates',
  apiPath: 'console/certificates',
  group: 'enterprise',
  access: 'console',
  icon: AutorenewIcon,
  list: CertificateRenewList,
};
