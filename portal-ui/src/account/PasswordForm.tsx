import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import type { PasswordCodeView } from '../../../domain/identity/profile';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { passwordError } from './passwordRules';

/**
 * PUT /api/me/password {oldPassword | code, newPassword}; the API ends the user's other sessions. A forgotten password
 * (after an SMS login) is replaced with a code sent to the account's own number (POST /api/me/password/code), whose
 * 获取验证码 counts down the resend wait (and a 429's Retry-After) like every other code button.
 */
export const PasswordForm = ({ mobile }: { mobile?: string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [oldPassword, setOldPassword] = useState('');
  const [byCode, setByCode] = useState(false);
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [newPassword2, setNewPassword2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (byCode ? !/^\d{6}$/.test(code.trim()) : !oldPassword) return setError(translate(byCode ? 'portal.profile.errors.password_code' : 'portal.profile.errors.old_password'));
    const problem = passwordError(newPassword, locale, mobile);
    if (problem) return setError(problem);
    if (newPassword !== newPassword2) return setError(translate('portal.register.errors.password_mismatch'));
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/me/password', { method: 'PUT', body: byCode ? { code: code.trim(), newPassword } : { oldPassword, newPassword } });
      notify(translate('portal.profile.password_saved'), { type: 'success' });
      setOldPassword('');
      setCode('');
      setSentTo(null);
      setNewPassword('');
      setNewPassword2('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (label: string, value: string, onChange: (v: string) => void, testId: string, autoComplete: string) => (
    <TextField
      label={label}
      type="password"
      size="small"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={busy}
      autoComplete={autoComplete}
      sx={{ maxWidth: 360 }}
      slotProps={{ htmlInput: { 'data-testid': testId, maxLength: 64 } }}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack spacing={2}>
        {byCode ? (
          <Stack direction="row" spacing={1} alignItems="center">
            <TextField
              label={translate('portal.profile.password_code')}
              size="small"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              disabled={busy}
              autoComplete="one-time-code"
              sx={{ maxWidth: 200 }}
              slotProps={{ htmlInput: { 'data-testid': 'password-code', inputMode: 'numeric', maxLength: 6 } }}
            />
            <SmsCodeButton
              request={() => apiFetch<PasswordCodeView>('/api/me/password/code', { method: 'POST' })}
              onSent={(sent) => setSentTo((sent as PasswordCodeView).sentTo)}
              onError={setError}
              disabled={busy}
              testId="password-code-send"
            />
          </Stack>
        ) : (
          field(translate('portal.profile.old_password'), oldPassword, setOldPassword, 'password-old', 'current-password')
        )}
        {byCode && sentTo ? (
          <Typography variant="caption" color="text.secondary" sx={{ mt: '4px !important' }}>
            {translate('portal.profile.password_code_sent', { mobile: sentTo })}
          </Typography>
        ) : null}
        <div>
          <Button size="small" onClick={() => {
              setByCode(!byCode);
              setError(null);
            }} disabled={busy} data-testid="password-mode">
            {translate(byCode ? 'portal.profile.use_old_password' : 'portal.profile.forgot_password')}
          </Button>
        </div>
        {field(translate('portal.profile.new_password'), newPassword, setNewPassword, 'password-new', 'new-password')}
        <Typography variant="caption" color="text.secondary" sx={{ mt: '4px !important' }}>
          {translate('portal.register.password_rule')}
        </Typography>
        {field(translate('portal.register.password2'), newPassword2, setNewPassword2, 'password-new2', 'new-password')}
        <div>
          <Button type="submit" variant="contained" disabled={busy} data-testid="password-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('portal.profile.change_password_submit')}
          </Button>
        </div>
      </Stack>
      <ApiErrorAlert error={error} />
    </form>
  );
};
