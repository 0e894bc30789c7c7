import { useState, type FormEvent } from 'react';
import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { LeaveGuard } from '../../../ui-shared/src/components/LeaveGuard';
import type { EnterpriseChangeView, RecertificationImpact } from './types';

const LETTER_ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg';
const LETTER_MAX_BYTES = 10 * 1024 * 1024;
/** 统一社会信用代码: 18 characters of GB 32100 (the API checks the check digit and that it is this enterprise's). */
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * 提交重新认证: new name, 统一社会信用代码 (must be the enterprise's), 授权书 (PDF/PNG/JPEG; may be
 * kept on a resubmission). Behind a confirmation that lists what the first submission voids — the
 * point of no return. Leaving with typed values or a chosen letter asks first (LeaveGuard). data-testids: recertification-submit-form, recertification-submit-name,
 * recertification-submit-uscc, recertification-submit-letter (file input), recertification-submit,
 * recertification-submit-confirm (in the confirm dialog), recertification-submit-impact.
 */
export const SubmitRecertificationForm = ({ change, impact, onDone }: { change: EnterpriseChangeView; impact: RecertificationImpact; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [name, setName] = useState(change.newValue ?? '');
  const [uscc, setUscc] = useState(change.uscc ?? '');
  const [letter, setLetter] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const resubmission = change.status === 'rejected';
  const letterKept = resubmission || !!change.hasLetter;
  const firstSubmission = change.status === 'drafting';

  const check = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!name.trim()) return setError(translate('enterpriseInfo.submit.name_required'));
    if (!USCC_PATTERN.test(uscc.trim().toUpperCase())) return setError(translate('enterpriseInfo.submit.uscc_invalid'));
    if (!letter && !letterKept) return setError(translate('enterpriseInfo.submit.letter_required'));
    if (letter && letter.size > LETTER_MAX_BYTES) return setError(translate('enterpriseInfo.submit.letter_size'));
    setConfirming(true);
  };

  const submit = async () => {
    const form = new FormData();
    form.append('name', name.trim());
    form.append('uscc', uscc.trim().toUpperCase());
    if (letter) form.append('file', letter);
    await apiFetch(`/api/console/enterprise-changes/${encodeURIComponent(change.id)}/submit`, { body: form });
    setConfirming(false);
    notify(translate('enterpriseInfo.submit.submitted'), { type: 'success' });
    onDone();
  };

  const total = impact.seals + impact.authorizations + impact.certificates;
  return (
    <Box component="form" onSubmit={check} noValidate data-testid="recertification-submit-form" sx={{ mt: 2 }}>
      <LeaveGuard when={name !== (change.newValue ?? '') || uscc !== (change.uscc ?? '') || letter !== null} />
      <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
        {translate(resubmission ? 'enterpriseInfo.submit.title_again' : 'enterpriseInfo.submit.title')}
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 560 }}>
        <TextField
          label={translate('enterpriseInfo.submit.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          size="small"
          required
          slotProps={{ htmlInput: { 'data-testid': 'recertification-submit-name', maxLength: 100 } }}
        />
        <TextField
          label={translate('enterpriseInfo.submit.uscc')}
          value={uscc}
          onChange={(e) => setUscc(e.target.value.toUpperCase())}
          size="small"
          required
          helperText={translate('enterpriseInfo.submit.uscc_hint')}
          slotProps={{ htmlInput: { 'data-testid': 'recertification-submit-uscc', maxLength: 18, style: { fontFamily: 'monospace' } } }}
        />
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
          <Button variant="outlined" component="label" startIcon={<UploadFileIcon />} data-testid="recertification-submit-letter-button">
            {letter ? letter.name : translate('enterpriseInfo.submit.choose_letter')}
            <input hidden type="file" accept={LETTER_ACCEPT} data-testid="recertification-submit-letter" onChange={(e) => setLetter(e.target.files?.[0] ?? null)} />
          </Button>
          <Typography variant="caption" color="text.secondary">
            {translate(letterKept ? 'enterpriseInfo.submit.letter_kept' : 'enterpriseInfo.submit.letter_hint')}
          </Typography>
        </Stack>
      </Stack>
      <ApiErrorAlert error={error} />
      <Button type="submit" variant="contained" sx={{ mt: 2 }} data-testid="recertification-submit">
        {translate(resubmission ? 'enterpriseInfo.submit.submit_again' : 'enterpriseInfo.submit.submit')}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={translate(resubmission ? 'enterpriseInfo.submit.submit_again' : 'enterpriseInfo.submit.confirm_title')}
        content={
          <Box data-testid="recertification-submit-impact" data-seals={impact.seals} data-authorizations={impact.authorizations} data-certificates={impact.certificates}>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('enterpriseInfo.submit.confirm_name', { name: name.trim() })}
            </Typography>
            {firstSubmission || total > 0 ? (
              <>
                <Typography variant="body2" sx={{ fontWeight: 600 }} color="error">
                  {translate('enterpriseInfo.submit.no_return')}
                </Typography>
                <Box component="ul" sx={{ mt: 0.5, mb: 1, pl: 2.5 }}>
                  <li>{translate('enterpriseInfo.submit.impact_seals', { smart_count: impact.seals })}</li>
                  <li>{translate('enterpriseInfo.submit.impact_authorizations', { smart_count: impact.authorizations })}</li>
                  <li>{translate('enterpriseInfo.submit.impact_certificates', { smart_count: impact.certificates })}</li>
                </Box>
                <Typography variant="body2">{translate('enterpriseInfo.submit.after_approval')}</Typography>
              </>
            ) : (
              <Typography variant="body2">{translate('enterpriseInfo.submit.nothing_more')}</Typography>
            )}
          </Box>
        }
        confirmLabel={translate(resubmission ? 'enterpriseInfo.submit.submit_again' : 'enterpriseInfo.submit.submit')}
        confirmTestId="recertification-submit-confirm"
        danger={firstSubmission}
        onClose={() => setConfirming(false)}
        onConfirm={submit}
      />
    </Box>
  );
};
