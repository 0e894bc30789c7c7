import { createAppLayout } from '../../../ui-shared/src/components/AppLayout';
import { AdminMenu } from './AdminMenu';

export const AdminLayout = createAppLayout('admin.app_name', AdminMenu);
