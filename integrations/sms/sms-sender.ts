/** Sends text messages. The embedded default writes to an outbox table; a gateway adapter implements the same. */
export interface SmsMessage {
  mobile: string;
  purpose: string;
  content: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
