import BusinessIcon from '@mui/icons-material/Business';
import type { ConsoleResource } from '../resources';
import { EnterpriseList } from './EnterpriseList';
import { EnterpriseShow } from './EnterpriseShow';

export const enterprisesResource: ConsoleResource = {
  name: 'enterprises',
  apiPath: 'admin/enterprises',
  group: 'platform',
  access: 'operator',
  icon: BusinessIcon,
  list: EnterpriseList,
  show: EnterpriseShow,
  recordRepresentation: 'name',
};
