import SmsIcon from '@mui/icons-material/Sms';
import type { ConsoleResource } from '../resources';
import { SmsOutboxList } from './SmsOutboxList';

export const smsOutboxResource: ConsoleResource = {
  name: 'sms-outbox',
  apiPath: 'admin/sms-outbox',
  group: 'platform',
  access: 'operator',
  icon: SmsIcon,
  list: SmsOutboxList,
};
