import type { Services } from '../../bootstrap/services';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';

/**
 * The code in the newest verification-code SMS to a mobile. Unlike `latestSmsCode` it skips other
 * messages (v2: the 待签署 / 催办 notices the workflow sends asynchronously, which may reach the outbox
 * after the code was requested).
 */
export async function latestVerificationCode(services: Services, mobile: string): Promise<string> {
  const messages = await services.orm.em.fork().find(SmsOutboxMessageSchema, { mobile }, { orderBy: { createdAt: 'desc' }, limit: 20 });
  for (const m of messages) {
    const code = m.content.match(/验证码\s*(\d{6})(?!\d)/)?.[1];
    if (code) return code;
  }
  throw new Error(`no verification code in the outbox for ${mobile}`);
}
