import GroupsIcon from '@mui/icons-material/Groups';
import type { ConsoleResource } from '../resources';
import { MemberEdit } from './MemberEdit';
import { MemberList } from './MemberList';
import { MemberShow } from './MemberShow';

/** 人员管理: list and show for 管理员 and 印章管理员; edit (and 移除) for the 管理员. */
export const membersResource: ConsoleResource = {
  name: 'members',
  apiPath: 'console/members',
  group: 'enterprise',
  access: 'console',
  icon: GroupsIcon,
  list: MemberList,
  show: MemberShow,
  edit: MemberEdit,
  recordRepresentation: 'name',
};

