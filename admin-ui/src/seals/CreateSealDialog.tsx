import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { SealImageSource, type SealImageMode } from './SealImageSource';
import type { SealTypeOption } from './types';

/**
 * 创建印章: a type the platform enables, drawn from the enterprise's data or uploaded (PNG/JPEG,
 * white background removed by the server). data-testids: seal-create-dialog, seal-create-type,
 * seal-create-department, seal-create-mode-generated / -upload, seal-create-file, seal-create-submit.
 */
export const CreateSealDialog = ({ onClose, onDone }: { onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const types = useApiGet<SealTypeOption[]>('/api/console/seal-types');
  const [type, setType] = useState('');
  const [department, setDepartment] = useState('');
  const [mode, setMode] = useState<SealImageMode>('generated');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selected = types.data?.find((t) => t.code === type);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return setError(translate('admin.seals.type_required'));
    if (selected.needsDepartment && !department.trim()) return setError(translate('admin.seals.department_required'));
    if (mode === 'upload' && !file) return setError(translate('admin.seals.file_required'));
    setBusy(true);
    setError(null);
    try {
      if (mode === 'upload') {
        const form = new FormData();
        form.append('type', type);
        if (selected.needsDepartment) form.append('departmentName', department.trim());
        form.append('file', file!);
        await apiFetch('/api/console/seals/upload', { body: form });
      } else {
        await apiFetch('/api/console/seals', { body: { type, ...(selected.needsDepartment ? { departmentName: department.trim() } : {}) } });
      }
      notify(translate('admin.seals.created'), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="seal-create-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('admin.seals.create_title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField select label={translate('admin.seals.type')} value={type} onChange={(e) => setType(e.target.value)} disabled={busy} slotProps={{ htmlInput: { 'data-testid': 'seal-create-type' } }}>
              {(types.data ?? []).map((t) => (
                <MenuItem key={t.code} value={t.code} data-testid={`seal-type-${t.code}`}>
                  {locale === 'en' ? t.nameEn : t.name}（{t.shape === 'round' ? `Φ${t.widthMm} mm` : `${t.widthMm}×${t.heightMm} mm`}）
                </MenuItem>
              ))}
            </TextField>
            {selected?.needsDepartment && (
              <TextField
                label={translate('admin.seals.department')}
                value={department}
                onChange={(e) => setDepartment(e.target.value)}
                disabled={busy}
                helperText={translate('admin.seals.department_hint')}
                slotProps={{ htmlInput: { 'data-testid': 'seal-create-department', maxLength: 30 } }}
              />
            )}
            <SealImageSource mode={mode} onMode={setMode} file={file} onFile={setFile} busy={busy} generatedLabel={translate('admin.seals.mode_generated')} testIdPrefix="seal-create" />
          </Stack>
          <ApiErrorAlert error={error ?? (types.error ? errorMessage(types.error) : null)} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="seal-create-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('admin.seals.create')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
