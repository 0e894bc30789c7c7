import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import { Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import type { RealNameStateView } from '../../../domain/identity/real-name';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { useReloadSession } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime } from '../../../ui-shared/src/format';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { isValidChineseIdNumber } from './passwordRules';

/** 实名认证: the status, and the form (姓名 + 身份证号) while unverified or rejected. */
export const RealNamePage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const reloadSession = useReloadSession();
  const { data, error: loadError, loading, reload } = useApiGet<RealNameStateView>('/api/me/real-name');
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ name?: string; idNumber?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canSubmit = data?.status === 'unverified' || data?.status === 'rejected';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof fieldErrors = {};
    if (name.trim().length < 2) found.name = translate('portal.realname.errors.name');
    if (!isValidChineseIdNumber(idNumber.trim())) found.idNumber = translate('portal.realname.errors.id');
    setFieldErrors(found);
    if (found.name || found.idNumber) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/me/real-name', { body: { name: name.trim(), idNumber: idNumber.trim().toUpperCase() } });
      notify(translate('portal.realname.submitted'), { type: 'success' });
      setIdNumber('');
      reload();
      reloadSession();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ maxWidth: 720, mt: 1 }}>
      <Title title={translate('portal.realname.title')} />
      <Card data-testid="realname-page">
        <CardContent>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 2 }}>
            <Typography variant="h6">{translate('portal.realname.status')}</Typography>
            {data && <StatusChip kind="realName" status={data.status} label={data.statusLabel} labelEn={data.statusLabelEn} testId="realname-status" size="medium" />}
            {loading && !data && <CircularProgress size={20} />}
          </Stack>
          <ApiErrorAlert error={loadError?.message} />
          {data?.status === 'verified' && (
            <Alert severity="success" data-testid="realname-verified">
              {data.name
                ? translate('portal.realname.verified_hint', { name: data.name, id: data.idNumberMasked ?? '' })
                : translate('portal.realname.verified_plain')}
            </Alert>
          )}
          {data?.status === 'pending' && (
            <Alert severity="info" data-testid="realname-pending">
              {translate('portal.realname.pending_hint', { name: data.name ?? '', time: formatDateTime(data.submittedAt, locale) })}
            </Alert>
          )}
          {data?.status === 'rejected' && (
            <Alert severity="error" data-testid="realname-reject-reason">
              {translate('portal.realname.rejected_hint', { reason: data.rejectReason ?? '—' })}
            </Alert>
          )}
          {canSubmit && (
            <Box component="form" onSubmit={submit} noValidate sx={{ mt: 2 }} data-testid="realname-form">
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                {translate('portal.realname.intro')}
              </Typography>
              <Stack spacing={2} sx={{ maxWidth: 420 }}>
                <TextField
                  label={translate('portal.realname.name')}
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                    setFieldErrors((f) => ({ ...f, name: undefined }));
                  }}
                  error={!!fieldErrors.name}
                  helperText={fieldErrors.name}
                  disabled={busy}
                  required
                  slotProps={{ htmlInput: { 'data-testid': 'realname-name', maxLength: 50 } }}
                />
                <TextField
                  label={translate('portal.realname.id_number')}
                  value={idNumber}
                  onChange={(e) => {
                    setIdNumber(e.target.value.replace(/\s/g, ''));
                    setFieldErrors((f) => ({ ...f, idNumber: undefined }));
                  }}
                  error={!!fieldErrors.idNumber}
                  helperText={fieldErrors.idNumber ?? translate('portal.realname.id_hint')}
                  disabled={busy}
                  required
                  slotProps={{ htmlInput: { 'data-testid': 'realname-id', maxLength: 18, autoComplete: 'off' } }}
                />
              </Stack>
              <ApiErrorAlert error={error} />
              <Button
                type="submit"
                variant="contained"
                sx={{ mt: 2 }}
                disabled={busy}
                data-testid="realname-submit"
                startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
              >
                {translate('portal.realname.submit')}
              </Button>
            </Box>
          )}
        </CardContent>
      </Card>
    </Box>
  );
};
