import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import type { ConsolePage } from '../resources';
import { AdminTransferPage } from './AdminTransferPage';

/** /admin/admin-transfer: 转让管理员 (the 管理员 only). */
export const adminTransferPage: ConsolePage = {
  name: 'admin-transfer',
  group: 'enterprise',
  access: 'enterprise_admin',
  icon: SwapHorizIcon,
  element: AdminTransferPage,
  keepRoute: true,
};
