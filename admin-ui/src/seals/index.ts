import VerifiedIcon from '@mui/icons-material/Verified';
import type { ConsoleResource } from '../resources';
import { SealList } from './SealList';

/** 印章管理 (M12): the acting enterprise's seals; changes by its 管理员. /admin/seals. */
export const sealsResource: ConsoleResource = {
  name: 'seals',
  apiPath: 'console/seals',
  group: 'enterprise',
  access: 'console',
  icon: VerifiedIcon,
  list: SealList,
  recordRepresentation: 'name',
};
