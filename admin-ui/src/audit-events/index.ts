import HistoryIcon from '@mui/icons-material/History';
import type { ConsoleResource } from '../resources';
import { AuditEventList } from './AuditEventList';

export const auditEventsResource: ConsoleResource = {
  name: 'audit-events',
  apiPath: 'admin/audit-events',
  group: 'platform',
  icon: HistoryIcon,
  list: AuditEventList,
};
