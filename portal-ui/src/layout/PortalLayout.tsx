import { createAppLayout } from '../../../ui-shared/src/components/AppLayout';
import { NotificationBell } from '../../../ui-shared/src/components/NotificationBell';
import { IdentitySwitcher } from './IdentitySwitcher';
import { PortalMenu } from './PortalMenu';

/** App-bar items: the 站内消息 bell, then the identity. */
const Toolbar = () => (
  <>
    <NotificationBell />
    <IdentitySwitcher />
  </>
);

export const PortalLayout = createAppLayout('portal.app_name', PortalMenu, { toolbar: Toolbar });
