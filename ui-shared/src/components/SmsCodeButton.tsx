import { useState } from 'react';
import { Button, type SxProps, type Theme } from '@mui/material';
import { useTranslate } from 'react-admin';
import { ApiError } from '../api/apiFetch';
import { useCountdown } from '../hooks/useCountdown';

/**
 * 获取验证码 with a countdown: after a send, from the API's resendAfterSeconds; after a 429,
 * from its Retry-After. Errors go to onError (the page shows them).
 */
export const SmsCodeButton = ({
  request,
  onSent,
  onError,
  disabled,
  testId,
  sx,
}: {
  request: () => Promise<unknown>;
  onSent?: (result: unknown) => void;
  onError: (message: string | null) => void;
  disabled?: boolean;
  testId: string;
  sx?: SxProps<Theme>;
}) => {
  const translate = useTranslate();
  const [until, setUntil] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const left = useCountdown(until);

  const send = async () => {
    setBusy(true);
    onError(null);
    try {
      const result = await request();
      const seconds = Number((result as { resendAfterSeconds?: number } | null)?.resendAfterSeconds ?? 60);
      setUntil(Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000);
      setSent(true);
      onSent?.(result);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
      if (e instanceof ApiError && e.retryAfterSeconds) setUntil(Date.now() + e.retryAfterSeconds * 1000);
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
      sx={{ whiteSpace: 'nowrap', minWidth: 128, height: 40, flexShrink: 0, ...sx }}
    >
      {label}
    </Button>
  );
};
