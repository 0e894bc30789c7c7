import HowToRegIcon from '@mui/icons-material/HowToReg';
import type { ConsoleResource } from '../resources';
import { RealNameApplicationList } from './RealNameApplicationList';

export const realNameApplicationsResource: ConsoleResource = {
  name: 'real-name-applications',
  apiPath: 'admin/real-name-applications',
  group: 'platform',
  access: 'operator',
  icon: HowToRegIcon,
  list: RealNameApplicationList,
};
