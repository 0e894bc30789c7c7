import { createAppLayout } from '../../../ui-shared/src/components/AppLayout';
import { IdentitySwitcher } from './IdentitySwitcher';
import { PortalMenu } from './PortalMenu';

export const PortalLayout = createAppLayout('portal.app_name', PortalMenu, { toolbar: IdentitySwitcher });
