import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import type { ConsolePage } from '../resources';
import { EnterpriseInfoPage } from './EnterpriseInfoPage';

/** /admin/enterprise-info: 信息管理 (管理员 and 印章管理员 see it; changes by the 管理员). */
export const enterpriseInfoPage: ConsolePage = {
  name: 'enterprise-info',
  group: 'enterprise',
  access: 'console',
  icon: InfoOutlinedIcon,
  element: EnterpriseInfoPage,
};
