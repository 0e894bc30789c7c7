import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { ApiError, apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { useMe } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { formatDateTime, maskMobile } from '../../../ui-shared/src/format';
import { useFirstSeen } from '../../../ui-shared/src/hooks/useFirstSeen';
import type { TransferConfirmationView } from '../../../domain/enterprises/admin-transfer';
import type { PendingTransfer } from './types';

/**
 * Read the transfers again this often (at most) while an accepted confirmation is still being carried out; then the
 * card is unlocked with 结果未知 (the code is checked by the workflow after the request was accepted: a wrong one leaves
 * the transfer at this step, and the user enters a new code).
 */
const PROCESSING_REFRESHES = 8;
const DEFAULT_RETRY_AFTER_S = 5;

/**
 * One 管理员转让 waiting for my code (as the current or as the new administrator). The system sent
 * that code when the step began (the transfer started / the administrator confirmed), so the
 * button offers a resend once the cooldown counted from then has passed, instead of a first send. A confirmation
 * answered 503 UPDATE_STILL_RUNNING was accepted (its code spent) and is still being carried out: the card says so
 * (已受理，处理中) instead of showing an error, and the transfers are read again after each Retry-After until the
 * transfer moves on (the card then changes or goes).
 */
const TransferCard = ({ transfer, enterpriseName, onChanged }: { transfer: PendingTransfer; enterpriseName: string; onChanged: () => void }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** An accepted confirmation still being carried out: the server's message and when to read the transfers again. */
  const [processing, setProcessing] = useState<{ message: string; delayMs: number; refreshes: number } | null>(null);
  const changedRef = useRef(onChanged);
  useEffect(() => {
    changedRef.current = onChanged;
  });
  useEffect(() => {
    if (!processing) return;
    if (processing.refreshes >= PROCESSING_REFRESHES) {
      setProcessing(null);
      setError(translate('portal.transfer.outcome_unknown'));
      return;
    }
    const timer = setTimeout(() => {
      changedRef.current();
      setProcessing((p) => p && { ...p, refreshes: p.refreshes + 1 });
    }, processing.delayMs);
    return () => clearTimeout(timer);
  }, [processing, translate]);
  const { me } = useMe();
  const base = `/api/admin-transfers/${encodeURIComponent(transfer.id)}`;
  // The API does not say when the code went out: the moment this step was first shown is close.
  const sentAt = useFirstSeen(`transfer:${transfer.id}:${transfer.status}`);
  const mobile = maskMobile(me?.user.mobile);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setError(translate('sf.sms.code_invalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { step } = await apiFetch<TransferConfirmationView>(`${base}/confirm`, { body: { code: code.trim() } });
      notify(translate(step === 'completed' ? 'portal.transfer.completed' : 'portal.transfer.confirmed'), { type: 'success' });
      setCode('');
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && e.status === 503 && e.code === 'UPDATE_STILL_RUNNING') {
        setCode('');
        setProcessing({ message: e.message, delayMs: (e.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S) * 1000, refreshes: 0 });
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card variant="outlined" sx={{ borderColor: 'warning.main' }} data-testid="transfer-card" data-id={transfer.id} data-role={transfer.role} data-status={transfer.status}>
      <CardContent component="form" onSubmit={confirm} noValidate>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <SwapHorizIcon color="warning" />
          <Typography variant="h6">{translate('portal.transfer.title')}</Typography>
        </Stack>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate(transfer.role === 'admin' ? 'portal.transfer.as_admin' : 'portal.transfer.as_target', { name: enterpriseName })}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
          {translate('portal.transfer.deadline', { time: formatDateTime(transfer.deadline, locale) })}
        </Typography>
        <Typography variant="body2" sx={{ mb: 1.5, fontWeight: 500 }} data-testid="transfer-code-sent">
          {translate(mobile ? 'portal.transfer.code_sent_to' : 'portal.transfer.code_sent', { mobile })}
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
          <TextField
            label={translate('sf.auth.sms_code')}
            size="small"
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            autoComplete="one-time-code"
            disabled={busy || !!processing}
            sx={{ width: { xs: '100%', sm: 200 } }}
            slotProps={{ htmlInput: { 'data-testid': 'transfer-confirm-code', inputMode: 'numeric', maxLength: 6 } }}
          />
          <SmsCodeButton request={() => apiFetch(`${base}/resend-code`, { method: 'POST' })} onError={setError} disabled={busy} sentAt={sentAt} testId="transfer-send-code" />
          <Button
            type="submit"
            variant="contained"
            disabled={busy || !!processing}
            data-testid="transfer-confirm-submit"
            sx={{ height: 40 }}
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {translate('ra.action.confirm')}
          </Button>
        </Stack>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
          {translate('portal.transfer.code_hint')}
        </Typography>
        {processing && (
          <Alert severity="info" icon={<CircularProgress size={18} />} sx={{ mt: 2 }} data-testid="transfer-processing">
            {processing.message}
          </Alert>
        )}
        <ApiErrorAlert error={error} />
      </CardContent>
    </Card>
  );
};

/** 管理员转让待确认: transfers where it is my turn; the others are shown as waiting. */
export const PendingTransfers = ({ transfers, nameOf, onChanged }: { transfers: PendingTransfer[]; nameOf: (enterpriseId: string) => string; onChanged: () => void }) => {
  const translate = useTranslate();
  if (transfers.length === 0) return null;
  return (
    <Stack spacing={2} sx={{ mb: 2 }} data-testid="pending-transfers">
      {transfers.map((t) =>
        t.myTurn ? (
          <TransferCard key={t.id} transfer={t} enterpriseName={nameOf(t.enterpriseId)} onChanged={onChanged} />
        ) : (
          <Alert key={t.id} severity="info" data-testid="transfer-waiting" data-id={t.id} data-status={t.status}>
            {translate(t.role === 'admin' ? 'portal.transfer.waiting_target' : 'portal.transfer.waiting_admin', { name: nameOf(t.enterpriseId) })}
          </Alert>
        ),
      )}
    </Stack>
  );
};
