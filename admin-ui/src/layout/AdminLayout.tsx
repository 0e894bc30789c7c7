import { createAppLayout } from '../../../ui-shared/src/components/AppLayout';
import { NotificationBell } from '../../../ui-shared/src/components/NotificationBell';
import { ActingIdentity } from './ActingIdentity';
import { AdminMenu } from './AdminMenu';

/** App-bar items: the 站内消息 bell, then the identity. */
const Toolbar = () => (
  <>
    <NotificationBell />
    <ActingIdentity />
  </>
);

export const AdminLayout = createAppLayout('admin.app_name', AdminMenu, { toolbar: Toolbar });
