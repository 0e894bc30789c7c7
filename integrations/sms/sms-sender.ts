/** Sends text messages. The embedded default writes to an outbox table; a gateway adapter implements the same. */
export interface SmsMessage {
  mobile: string;
  purpose: string;
  content: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
  /**
   * True when sending is a row written in the caller's transaction (the embedded outbox): a message
   * may then be sent inside the transaction that causes it and commits or rolls back with it. A
   * gateway (false, the default) is a network call: never inside a database transaction.
   */
  readonly transactional?: boolean;
}
