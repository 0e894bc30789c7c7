import HistoryIcon from '@mui/icons-material/History';
import ManageHistoryIcon from '@mui/icons-material/ManageHistory';
import type { ConsoleResource } from '../resources';
import { EnterpriseAuditEventList, PlatformAuditEventList } from './AuditEventList';

/** 审计日志 of the whole platform (operators). */
export const auditEventsResource: ConsoleResource = {
  name: 'audit-events',
  apiPath: 'admin/audit-events',
  group: 'platform',
  access: 'operator',
  icon: HistoryIcon,
  list: PlatformAuditEventList,
};

/** 企业日志: the acting enterprise's events (its 管理员 only). */
export const enterpriseAuditEventsResource: ConsoleResource = {
  name: 'enterprise-audit-events',
  apiPath: 'console/audit-events',
  group: 'enterprise',
  access: 'enterprise_admin',
  icon: ManageHistoryIcon,
  list: EnterpriseAuditEventList,
};
