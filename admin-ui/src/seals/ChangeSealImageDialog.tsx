import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Radio, RadioGroup, Stack, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import type { SealView } from './types';

/**
 * 更换印章图片 (M12): draw the seal again from the enterprise's current data, or upload a new image (PNG/JPEG, white
 * background removed by the server). Sent with the seal's version: a change made meanwhile is a 409, shown here.
 * data-testids: seal-image-dialog, seal-image-mode-generated / -upload, seal-image-file, seal-image-submit.
 */
export const ChangeSealImageDialog = ({ seal, onClose, onDone }: { seal: SealView; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [mode, setMode] = useState<'generated' | 'upload'>('generated');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'upload' && !file) return setError(translate('admin.seals.file_required'));
    setBusy(true);
    setError(null);
    const url = `/api/console/seals/${encodeURIComponent(seal.id)}`;
    try {
      if (mode === 'upload') {
        const form = new FormData();
        form.append('version', String(seal.version));
        form.append('file', file!);
        await apiFetch(`${url}/image`, { method: 'PUT', body: form });
      } else {
        await apiFetch(`${url}/redraw`, { body: { version: seal.version } });
      }
      notify(translate('admin.seals.image_changed'), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="seal-image-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('admin.seals.change_image_title', { name: seal.name })}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <RadioGroup row value={mode} onChange={(e) => setMode(e.target.value as 'generated' | 'upload')}>
              <FormControlLabel value="generated" control={<Radio slotProps={{ input: { 'data-testid': 'seal-image-mode-generated' } as object }} />} label={translate('admin.seals.mode_redraw')} disabled={busy} />
              <FormControlLabel value="upload" control={<Radio slotProps={{ input: { 'data-testid': 'seal-image-mode-upload' } as object }} />} label={translate('admin.seals.mode_upload')} disabled={busy} />
            </RadioGroup>
            {mode === 'generated' ? (
              <Typography variant="body2" color="text.secondary">
                {translate('admin.seals.generated_hint')}
              </Typography>
            ) : (
              <Stack spacing={1}>
                <Button variant="outlined" component="label" disabled={busy}>
                  {file ? file.name : translate('admin.seals.choose_file')}
                  <input hidden type="file" accept="image/png,image/jpeg" data-testid="seal-image-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
                </Button>
                <Typography variant="body2" color="text.secondary">
                  {translate('admin.seals.upload_hint')}
                </Typography>
              </Stack>
            )}
            <Typography variant="body2" color="text.secondary">
              {translate('admin.seals.change_image_hint')}
            </Typography>
          </Stack>
          <ApiErrorAlert error={error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="seal-image-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('admin.seals.change_image_submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
