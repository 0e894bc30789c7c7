import { createAppLayout } from '../../../ui-shared/src/components/AppLayout';
import { ActingIdentity } from './ActingIdentity';
import { AdminMenu } from './AdminMenu';

export const AdminLayout = createAppLayout('admin.app_name', AdminMenu, { toolbar: ActingIdentity });
