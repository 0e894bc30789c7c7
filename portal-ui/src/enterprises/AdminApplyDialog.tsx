import { useState, type FormEvent } from 'react';
import { Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { RealNameRequired } from '../account/RealNameRequired';
import { PdfFileInput } from '../contracts/create/PdfFileInput';
import { LETTER_ACCEPT, letterProblem, type JoinedEnterprise } from './types';

/** 申请成为管理员: reason + 授权书 (multipart POST /api/enterprises/:id/admin-applications). */
export const AdminApplyDialog = ({ membership, onClose, onDone }: { membership: JoinedEnterprise; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ reason?: string; file?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (reason.trim().length < 2) found.reason = translate('portal.admin_apply.reason_required');
    const letter = letterProblem(file, true);
    if (letter) found.file = translate(`portal.enterprises.errors.${letter}`);
    setErrors(found);
    if (found.reason || found.file) return;
    const body = new FormData();
    body.append('reason', reason.trim());
    if (file) body.append('file', file, file.name);
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/enterprises/${encodeURIComponent(membership.enterpriseId)}/admin-applications`, { body });
      notify(translate('portal.admin_apply.submitted'), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="admin-apply-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('portal.admin_apply.title', { name: membership.enterpriseName })}</DialogTitle>
        <DialogContent>
          <RealNameRequired actionKey="portal.admin_apply.action" />
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('portal.admin_apply.intro')}
          </Typography>
          <TextField
            label={translate('portal.admin_apply.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={!!errors.reason}
            helperText={errors.reason}
            multiline
            minRows={3}
            fullWidth
            required
            disabled={busy}
            slotProps={{ htmlInput: { 'data-testid': 'admin-apply-reason', maxLength: 500 } }}
          />
          <Box sx={{ mt: 2 }}>
            <Typography variant="subtitle2" gutterBottom>
              {translate('portal.enterprises.letter')}
            </Typography>
            <PdfFileInput
              file={file}
              onChange={setFile}
              error={errors.file}
              disabled={busy}
              testId="admin-apply-file"
              chooseLabel={translate('portal.enterprises.choose_letter')}
              accept={LETTER_ACCEPT}
            />
          </Box>
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="admin-apply-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('portal.admin_apply.submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
