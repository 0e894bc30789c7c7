/**
 * A transaction whose messages go out once it has committed. The embedded outbox (`transactional`)
 * writes its row inside the transaction, as before; a gateway is a network call, which never runs
 * inside a transaction: it would hold the transaction's locks (on SQLite the only connection, so the
 * whole platform) for as long as the gateway takes, a deadlock retry of the transaction would send the
 * same message again, and a refused message would roll back everything it came with. So a gateway's
 * messages are held and sent after the commit, each on its own: a failed delivery is logged and loses
 * that message only.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SmsMessage, SmsSender } from '../../integrations/sms';
import { maskMobile } from '../identity/masking';
import { retryOnDeadlock } from '../persistence/concurrency';

export async function transactionWithSms<T>(em: EntityManager, smsFor: (em: EntityManager) => SmsSender, work: (tx: EntityManager, sms: (em: EntityManager) => SmsSender) => Promise<T>): Promise<T> {
  let held: SmsMessage[] = [];
  const result = await retryOnDeadlock(() => {
    held = [];
    return em.fork().transactional((tx) =>
      work(tx, (inner) => {
        const sender = smsFor(inner);
        return sender.transactional ? sender : { send: async (message) => void held.push(message) };
      }),
    );
  });
  if (held.length === 0) return result;
  const gateway = smsFor(em);
  for (const message of held) {
    await gateway.send(message).catch((err: unknown) => console.warn(`[sms] ${message.purpose} to ${maskMobile(message.mobile)} not delivered: ${err instanceof Error ? err.message : String(err)}`));
  }
  return result;
}
