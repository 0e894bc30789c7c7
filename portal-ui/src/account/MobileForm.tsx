import { useState, type FormEvent } from 'react';
import { Alert, Button, CircularProgress, Stack, TextField } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { useReloadSession } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { isSmsCode, isValidMobile } from './passwordRules';

/** 更换手机号: POST /api/me/mobile/codes (codes to both numbers), then PUT /api/me/mobile. */
export const MobileForm = ({ current }: { current: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const reloadSession = useReloadSession();
  const [newMobile, setNewMobile] = useState('');
  const [oldCode, setOldCode] = useState('');
  const [newCode, setNewCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const requestCodes = () => {
    if (!isValidMobile(newMobile.trim())) return Promise.reject(new Error(translate('portal.register.errors.mobile')));
    return apiFetch('/api/me/mobile/codes', { body: { newMobile: newMobile.trim() } });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isValidMobile(newMobile.trim())) return setError(translate('portal.register.errors.mobile'));
    if (!isSmsCode(oldCode) || !isSmsCode(newCode)) return setError(translate('portal.profile.errors.codes'));
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/me/mobile', { method: 'PUT', body: { newMobile: newMobile.trim(), oldCode: oldCode.trim(), newCode: newCode.trim() } });
      notify(translate('portal.profile.mobile_saved'), { type: 'success' });
      setNewMobile('');
      setOldCode('');
      setNewCode('');
      setSent(false);
      reloadSession();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const codeField = (label: string, value: string, onChange: (v: string) => void, testId: string) => (
    <TextField
      label={label}
      size="small"
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      disabled={busy}
      autoComplete="one-time-code"
      sx={{ width: 200 }}
      slotProps={{ htmlInput: { 'data-testid': testId, inputMode: 'numeric', maxLength: 6 } }}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack spacing={2}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ alignItems: { sm: 'flex-start' } }}>
          <TextField
            label={translate('portal.profile.new_mobile')}
            size="small"
            value={newMobile}
            onChange={(e) => setNewMobile(e.target.value.trim())}
            disabled={busy}
            sx={{ width: 220 }}
            slotProps={{ htmlInput: { 'data-testid': 'mobile-new', inputMode: 'tel', maxLength: 11 } }}
          />
          <SmsCodeButton request={requestCodes} onSent={() => setSent(true)} onError={setError} disabled={busy} testId="mobile-send-code" />
        </Stack>
        {sent && (
          <Alert severity="info" data-testid="mobile-codes-sent">
            {translate('portal.profile.codes_sent', { old: current, new: newMobile })}
          </Alert>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5}>
          {codeField(translate('portal.profile.old_code'), oldCode, setOldCode, 'mobile-old-code')}
          {codeField(translate('portal.profile.new_code'), newCode, setNewCode, 'mobile-new-code')}
        </Stack>
        <div>
          <Button type="submit" variant="contained" disabled={busy} data-testid="mobile-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('portal.profile.change_mobile_submit')}
          </Button>
        </div>
      </Stack>
      <ApiErrorAlert error={error} />
    </form>
  );
};
