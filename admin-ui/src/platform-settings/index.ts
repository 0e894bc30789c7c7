import SettingsIcon from '@mui/icons-material/Settings';
import type { ConsolePage } from '../resources';
import { PlatformSettingsPage } from './PlatformSettingsPage';

/** /admin/platform-settings: 系统配置 (platform operators). */
export const platformSettingsPage: ConsolePage = {
  name: 'platform-settings',
  group: 'platform',
  access: 'operator',
  icon: SettingsIcon,
  element: PlatformSettingsPage,
};
