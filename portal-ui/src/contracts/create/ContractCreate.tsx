import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Divider, Stack, TextField, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { Title, useNotify, useRedirect, useTranslate } from 'react-admin';
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import { DateTimeLocalInput } from '../../../../ui-shared/src/components/DateTimeLocalInput';
import { clearDraft, getDraft, setDraft } from '../../../../ui-shared/src/drafts';
import type { Contract } from '../../../../ui-shared/src/types';
import { initialValues, toFormData, validate, type ContractFormErrors, type ContractFormValues } from './contractForm';
import { PdfFileInput } from './PdfFileInput';
import { RealNameRequired } from '../../account/RealNameRequired';
import { SignerRowsInput } from './SignerRowsInput';

const NO_ERRORS: ContractFormErrors = { rows: {} };
const DRAFT_KEY = 'portal.contract-create';

/** 发起合同: upload a PDF, name it, set the deadline and the ordered signers; multipart POST. */
export const ContractCreate = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  // The draft survives the remount caused by switching the language.
  const [values, setValues] = useState<ContractFormValues>(() => getDraft<ContractFormValues>(DRAFT_KEY) ?? initialValues());
  const [errors, setErrors] = useState<ContractFormErrors>(NO_ERRORS);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => setDraft(DRAFT_KEY, values), [values]);
  const t = (code?: string) => (code ? translate(`portal.create.errors.${code}`) : undefined);
  const set = <K extends keyof ContractFormValues>(key: K, value: ContractFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const onFile = (file: File | null) =>
    setValues((v) => ({
      ...v,
      file,
      // Suggest the file name as the title when none was typed.
      title: v.title || !file ? v.title : file.name.replace(/\.pdf$/i, ''),
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found ?? NO_ERRORS);
    if (found) {
      setSubmitError(translate('portal.create.errors.form_invalid'));
      return;
    }
    setSubmitting(true);
    setSubmitError(null);
    try {
      const contract = await apiFetch<Contract>('/api/contracts', { body: toFormData(values) });
      clearDraft(DRAFT_KEY);
      notify(translate('portal.create.success'), { type: 'success' });
      redirect('show', 'contracts', contract.id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setSubmitError(message);
      notify(message, { type: 'error' });
      setSubmitting(false);
    }
  };

  return (
    <Box sx={{ maxWidth: 860, mt: 1 }}>
      <Title title={translate('portal.create.title')} />
      <RealNameRequired actionKey="portal.create.title" />
      <Card component="form" onSubmit={submit} noValidate data-testid="create-form">
        <CardContent>
          <Stack spacing={3}>
            <Box>
              <Typography variant="subtitle2" gutterBottom>
                {translate('portal.create.file')}
              </Typography>
              <PdfFileInput
                file={values.file}
                onChange={onFile}
                error={t(errors.file)}
                disabled={submitting}
                testId="create-file-input"
                chooseLabel={translate('portal.create.choose_file')}
              />
            </Box>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label={translate('portal.create.contract_title')}
                value={values.title}
                onChange={(e) => set('title', e.target.value)}
                error={!!errors.title}
                helperText={t(errors.title)}
                disabled={submitting}
                required
                sx={{ flex: 2 }}
                slotProps={{ htmlInput: { 'data-testid': 'create-title', maxLength: 200 } }}
              />
              <DateTimeLocalInput
                label={translate('portal.create.expires_at')}
                value={values.expiresAt}
                onChange={(v) => set('expiresAt', v)}
                error={!!errors.expiresAt}
                helperText={t(errors.expiresAt)}
                disabled={submitting}
                required
                testId="create-expires-at"
                sx={{ flex: 1, minWidth: 220 }}
              />
            </Stack>
            <Divider />
            <Box>
              <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                {translate('portal.create.signers')}
              </Typography>
              <Typography variant="body2" color="text.secondary" data-testid="create-sequential-note">
                {translate('portal.create.sequential')}
              </Typography>
              <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
                {translate('portal.create.coord_hint')}
              </Typography>
              {errors.signers && <Alert severity="error">{t(errors.signers)}</Alert>}
              <SignerRowsInput rows={values.signers} errors={errors.rows} onChange={(rows) => set('signers', rows)} disabled={submitting} />
            </Box>
            {submitError && (
              <Alert severity="error" data-testid="create-error" role="alert">
                {submitError}
              </Alert>
            )}
            <Box>
              <Button
                type="submit"
                variant="contained"
                size="large"
                disabled={submitting}
                data-testid="create-submit"
                startIcon={submitting ? <CircularProgress size={18} color="inherit" /> : <SendIcon />}
              >
                {submitting ? translate('portal.create.submitting') : translate('portal.create.submit')}
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
};
