import DescriptionIcon from '@mui/icons-material/Description';
import type { ConsoleResource } from '../resources';
import { AdminContractList } from './AdminContractList';
import { AdminContractShow } from './AdminContractShow';

export const contractsResource: ConsoleResource = {
  name: 'contracts',
  apiPath: 'admin/contracts',
  group: 'platform',
  access: 'operator',
  icon: DescriptionIcon,
  list: AdminContractList,
  show: AdminContractShow,
  recordRepresentation: 'title',
};
