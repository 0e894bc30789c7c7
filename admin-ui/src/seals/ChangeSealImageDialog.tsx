import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { SealImageSource, type SealImageMode } from './SealImageSource';
import type { SealView } from './types';

/**
 * 更换印章图片 (M12): draw the seal again from the enterprise's current data, or upload a new image (PNG/JPEG, white
 * background removed by the server). Sent with the seal's version: a change made meanwhile is a 409, shown here.
 * data-testids: seal-image-dialog, seal-image-mode-generated / -upload, seal-image-file, seal-image-submit.
 */
export const ChangeSealImageDialog = ({ seal, onClose, onDone }: { seal: SealView; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [mode, setMode] = useState<SealImageMode>('generated');
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
            <SealImageSource mode={mode} onMode={setMode} file={file} onFile={setFile} busy={busy} generatedLabel={translate('admin.seals.mode_redraw')} testIdPrefix="seal-image" />
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
