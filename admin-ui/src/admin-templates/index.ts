import LibraryBooksIcon from '@mui/icons-material/LibraryBooks';
import type { ConsoleResource } from '../resources';
import { AdminTemplateList } from './AdminTemplateList';
import { AdminTemplateShow } from './AdminTemplateShow';

/** 模板 (operators): /admin/admin-templates, every template of the platform. */
export const adminTemplatesResource: ConsoleResource = {
  name: 'admin-templates',
  apiPath: 'admin/templates',
  group: 'platform',
  access: 'operator',
  icon: LibraryBooksIcon,
  list: AdminTemplateList,
  show: AdminTemplateShow,
  recordRepresentation: 'name',
};
