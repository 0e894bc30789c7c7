import PersonAddIcon from '@mui/icons-material/PersonAdd';
import type { ConsoleResource } from '../resources';
import { JoinApplicationList } from './JoinApplicationList';

export const joinApplicationsResource: ConsoleResource = {
  name: 'join-applications',
  apiPath: 'console/join-applications',
  group: 'enterprise',
  access: 'console',
  icon: PersonAddIcon,
  list: JoinApplicationList,
};
