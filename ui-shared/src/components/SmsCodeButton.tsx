import { useEffect, useState } from 'react';
import { Button, type SxProps, type Theme } from '@mui/material';
import { useTranslate } from 'react-admin';
import { ApiError } from '../api/apiFetch';
import { useCountdown } from '../hooks/useCountdown';

/** The API's resend cooldown for SMS codes (its answers carry it as resendAfterSeconds). */
export const SMS_RESEND_SECONDS = 60;

/**
 * Seconds to wait from a refused request: the Retry-After header of a 429; a cooldown refused
 * inside a workflow (e.g. 管理员转让) arrives without it, as SMS_COOLDOWN whose message has them.
 */
export function smsWaitSeconds(e: unknown): number | undefined {
  if (!(e instanceof ApiError)) return undefined;
  if (e.retryAfterSeconds) return e.retryAfterSeconds;
  if (e.code !== 'SMS_COOLDOWN') return undefined;
  const error = (e.body as { error?: { messageEn?: string; message?: string } } | null)?.error;
  const seconds = Number(/\d+/.exec(error?.messageEn ?? error?.message ?? '')?.[0]);
  return seconds > 0 && seconds <= SMS_RESEND_SECONDS ? seconds : undefined;
}

/**
 * 获取验证码 with a countdown: after a send, from the API's resendAfterSeconds; after a 429,
 * from its Retry-After. `sentAt` (epoch ms) says a code was already sent without asking (e.g. by
 * a workflow when it became the user's turn): the button then starts as 重新获取 with the
 * countdown from that moment. Errors go to onError (the page shows them).
 */
export const SmsCodeButton = ({
  request,
  onSent,
  onError,
  disabled,
  testId,
  sentAt,
  sx,
}: {
  request: () => Promise<unknown>;
  onSent?: (result: unknown) => void;
  onError: (message: string | null) => void;
  disabled?: boolean;
  testId: string;
  sentAt?: number | null;
  sx?: SxProps<Theme>;
}) => {
  const translate = useTranslate();
  // Never later than now: the moment may come from the server's clock.
  const resendAt = (at: number) => Math.min(at, Date.now()) + SMS_RESEND_SECONDS * 1000;
  const [until, setUntil] = useState<number | null>(sentAt ? resendAt(sentAt) : null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(!!sentAt);
  const left = useCountdown(until);

  useEffect(() => {
    if (!sentAt) return;
    setUntil((u) => Math.max(u ?? 0, resendAt(sentAt)));
    setSent(true);
  }, [sentAt]);

  const send = async () => {
    setBusy(true);
    onError(null);
    try {
      const result = await request();
      const seconds = Number((result as { resendAfterSeconds?: number } | null)?.resendAfterSeconds ?? SMS_RESEND_SECONDS);
      setUntil(Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : SMS_RESEND_SECONDS) * 1000);
      setSent(true);
      onSent?.(result);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
      const wait = smsWaitSeconds(e);
      if (wait) setUntil(Date.now() + wait * 1000);
    } finally {
      setBusy(false);
    }
  };

  const label = busy
    ? translate('sf.sms.sending')
    : left > 0
      ? translate('sf.sms.resend_in', { seconds: left })
      : sent
        ? translate('sf.sms.resend')
        : translate('sf.sms.send');

  return (
    <Button
      variant="outlined"
      onClick={send}
      disabled={disabled || busy || left > 0}
      data-testid={testId}
      data-countdown={left}
      data-sent={sent}
      sx={{ whiteSpace: 'nowrap', minWidth: 128, height: 40, flexShrink: 0, ...sx }}
    >
      {label}
    </Button>
  );
};
