import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Stack, TextField } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { useReloadSession } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** PUT /api/me/email. */
export const EmailForm = ({ current }: { current: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const reloadSession = useReloadSession();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!EMAIL_RE.test(email.trim())) {
      setError(translate('portal.profile.errors.email'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/me/email', { method: 'PUT', body: { email: email.trim() } });
      notify(translate('portal.profile.email_saved'), { type: 'success' });
      setEmail('');
      reloadSession();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          label={translate('portal.profile.new_email')}
          placeholder={current || undefined}
          type="email"
          size="small"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          disabled={busy}
          sx={{ minWidth: 280 }}
          slotProps={{ htmlInput: { 'data-testid': 'email-input', maxLength: 200 } }}
        />
        <Button type="submit" variant="contained" disabled={busy} data-testid="email-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
          {translate('ra.action.save')}
        </Button>
      </Stack>
      <ApiErrorAlert error={error} />
    </form>
  );
};
