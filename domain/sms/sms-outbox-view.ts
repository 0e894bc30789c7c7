/**
 * A message of the SMS outbox as GET /api/admin/sms-outbox sends it to operators (admin-ui imports the type).
 * `visible`: contents and numbers in clear only with the embedded outbox as provider (`outboxContentVisible`);
 * otherwise an operator could read signing codes, so digits are masked and numbers masked as everywhere else.
 */
import { maskSmsContent } from '../../integrations/sms/outbox-sms-sender';
import { maskMobile } from '../identity/masking';
import type { SmsOutboxMessage } from './sms.entities';

export const presentSmsOutboxMessage = (m: SmsOutboxMessage, visible: boolean) => ({
  ...m,
  mobile: visible ? m.mobile : maskMobile(m.mobile),
  content: visible ? m.content : maskSmsContent(m.content),
  contentMasked: !visible,
  createdAt: m.createdAt.toISOString(),
});
export type SmsOutboxView = ReturnType<typeof presentSmsOutboxMessage>;
