import FactCheckIcon from '@mui/icons-material/FactCheck';
import type { ConsoleResource } from '../resources';
import { RecertificationList } from './RecertificationList';
import { RecertificationShow } from './RecertificationShow';

/** 重新认证审核 (platform operators): enterprises' name changes after 提交重新认证. /admin/recertifications. */
export const recertificationsResource: ConsoleResource = {
  name: 'recertifications',
  apiPath: 'admin/recertifications',
  group: 'platform',
  access: 'operator',
  icon: FactCheckIcon,
  list: RecertificationList,
  show: RecertificationShow,
  recordRepresentation: 'enterpriseName',
};
