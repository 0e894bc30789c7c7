import PeopleIcon from '@mui/icons-material/People';
import type { ConsoleResource } from '../resources';
import { UserList } from './UserList';

export const usersResource: ConsoleResource = {
  name: 'users',
  apiPath: 'admin/users',
  group: 'platform',
  access: 'operator',
  icon: PeopleIcon,
  list: UserList,
  recordRepresentation: 'name',
};
