import { useEffect, useState, type FormEvent } from 'react';
import {
  Box,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { getDraft, setDraft, clearDraft } from '../../../ui-shared/src/drafts';
import { optionName, type NamedOption } from '../../../ui-shared/src/types';
import { isValidUscc } from '../../../domain/identity/validators';
import { RealNameRequired } from '../account/RealNameRequired';
import { PdfFileInput } from '../contracts/create/PdfFileInput';
import { LETTER_ACCEPT, letterProblem, type MyEnterprise } from './types';

interface Values {
  name: string;
  uscc: string;
  legalRepresentative: string;
  sealTypes: string[];
  file: File | null;
}

type Errors = Partial<Record<keyof Values, string>>;

const initial = (e?: MyEnterprise): Values => ({
  name: e?.name ?? '',
  uscc: e?.uscc ?? '',
  legalRepresentative: e?.legalRepresentative ?? '',
  sealTypes: e?.sealTypes ?? [],
  file: null,
});

/**
 * 认证企业 (POST /api/enterprises) or, given a cancelled/rejected `enterprise`, 继续认证
 * (POST /api/enterprises/:id/resume, prefilled; a new 授权书 is optional).
 */
export const CertifyDialog = ({
  enterprise,
  sealTypes,
  onClose,
  onDone,
}: {
  enterprise?: MyEnterprise;
  sealTypes: NamedOption[];
  onClose: () => void;
  onDone: () => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const resume = !!enterprise;
  const draftKey = `portal.certify.${enterprise?.id ?? 'new'}`;
  const [values, setValues] = useState<Values>(() => getDraft<Values>(draftKey) ?? initial(enterprise));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftKey, values), [draftKey, values]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };
  const t = (code?: string) => (code ? translate(`portal.enterprises.errors.${code}`) : undefined);

  const validate = (): Errors => {
    const found: Errors = {};
    if (values.name.trim().length < 2) found.name = 'name';
    if (!isValidUscc(values.uscc.trim().toUpperCase())) found.uscc = 'uscc';
    if (values.legalRepresentative.trim().length < 2) found.legalRepresentative = 'legal';
    if (values.sealTypes.length === 0) found.sealTypes = 'seal_types';
    const letter = letterProblem(values.file, !resume);
    if (letter) found.file = letter;
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) {
      setError(translate('portal.enterprises.errors.form'));
      return;
    }
    const body = new FormData();
    body.append('name', values.name.trim());
    body.append('uscc', values.uscc.trim().toUpperCase());
    body.append('legalRepresentative', values.legalRepresentative.trim());
    body.append('sealTypes', JSON.stringify(values.sealTypes));
    if (values.file) body.append('file', values.file, values.file.name);
    setBusy(true);
    setError(null);
    try {
      await apiFetch(resume ? `/api/enterprises/${encodeURIComponent(enterprise.id)}/resume` : '/api/enterprises', { body });
      clearDraft(draftKey);
      notify(translate(resume ? 'portal.enterprises.resumed' : 'portal.enterprises.submitted'), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const toggleSeal = (code: string, checked: boolean) =>
    set('sealTypes', checked ? [...new Set([...values.sealTypes, code])] : values.sealTypes.filter((c) => c !== code));

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="certify-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate(resume ? 'portal.enterprises.resume_title' : 'portal.enterprises.certify_title')}</DialogTitle>
        <DialogContent>
          <RealNameRequired actionKey="portal.enterprises.certify" />
          {resume && enterprise.rejectReason && (
            <Typography variant="body2" color="error" sx={{ mb: 1 }} data-testid="certify-reject-reason">
              {translate('portal.enterprises.reject_reason', { reason: enterprise.rejectReason })}
            </Typography>
          )}
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label={translate('portal.enterprises.name')}
              value={values.name}
              onChange={(e) => set('name', e.target.value)}
              error={!!errors.name}
              helperText={t(errors.name)}
              disabled={busy}
              required
              slotProps={{ htmlInput: { 'data-testid': 'certify-name', maxLength: 200 } }}
            />
            <TextField
              label={translate('portal.enterprises.uscc')}
              value={values.uscc}
              onChange={(e) => set('uscc', e.target.value.toUpperCase().replace(/\s/g, ''))}
              error={!!errors.uscc}
              helperText={t(errors.uscc) ?? translate('portal.enterprises.uscc_hint')}
              disabled={busy}
              required
              slotProps={{ htmlInput: { 'data-testid': 'certify-uscc', maxLength: 18 } }}
            />
            <TextField
              label={translate('portal.enterprises.legal_representative')}
              value={values.legalRepresentative}
              onChange={(e) => set('legalRepresentative', e.target.value)}
              error={!!errors.legalRepresentative}
              helperText={t(errors.legalRepresentative)}
              disabled={busy}
              required
              slotProps={{ htmlInput: { 'data-testid': 'certify-legal', maxLength: 50 } }}
            />
            <FormControl error={!!errors.sealTypes} component="fieldset" data-testid="certify-seal-types">
              <FormLabel component="legend">{translate('portal.enterprises.seal_types')}</FormLabel>
              <FormGroup row>
                {sealTypes.map((o) => (
                  <FormControlLabel
                    key={o.code}
                    label={optionName(o, locale)}
                    control={
                      <Checkbox
                        checked={values.sealTypes.includes(o.code)}
                        onChange={(e) => toggleSeal(o.code, e.target.checked)}
                        disabled={busy}
                        slotProps={{ input: { 'data-testid': `certify-seal-${o.code}` } as object }}
                      />
                    }
                  />
                ))}
              </FormGroup>
              {errors.sealTypes && <FormHelperText>{t(errors.sealTypes)}</FormHelperText>}
            </FormControl>
            <Box>
              <Typography variant="subtitle2" gutterBottom>
                {translate('portal.enterprises.letter')}
                {resume && (
                  <Typography component="span" variant="caption" color="text.secondary">
                    {' '}
                    {translate('portal.enterprises.letter_optional')}
                  </Typography>
                )}
              </Typography>
              <PdfFileInput
                file={values.file}
                onChange={(file) => set('file', file)}
                error={t(errors.file)}
                disabled={busy}
                testId="certify-file"
                chooseLabel={translate('portal.enterprises.choose_letter')}
                accept={LETTER_ACCEPT}
              />
              <Typography variant="caption" color="text.secondary">
                {translate('portal.enterprises.letter_hint')}
              </Typography>
            </Box>
          </Stack>
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="certify-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid="certify-submit"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {translate(resume ? 'portal.enterprises.resume_submit' : 'portal.enterprises.certify_submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
