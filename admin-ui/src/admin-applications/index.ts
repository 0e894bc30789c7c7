import ManageAccountsIcon from '@mui/icons-material/ManageAccounts';
import type { ConsoleResource } from '../resources';
import { AdminApplicationList } from './AdminApplicationList';

export const adminApplicationsResource: ConsoleResource = {
  name: 'admin-applications',
  apiPath: 'admin/admin-applications',
  group: 'platform',
  access: 'operator',
  icon: ManageAccountsIcon,
  list: AdminApplicationList,
};
