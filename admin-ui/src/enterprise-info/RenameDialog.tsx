import { useState, type FormEvent } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

/**
 * 变更企业名称: the intended new name. Explains before confirming that the enterprise is 待重新认证
 * (cannot sign or start contracts) from now on, that nothing is voided until 提交重新认证, and that
 * the change can be abandoned until then.
 * data-testids: enterprise-info-rename-dialog, enterprise-info-rename-name, enterprise-info-rename-confirm.
 */
export const RenameDialog = ({ currentName, onClose, onDone }: { currentName: string; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const newName = name.trim();
    if (!newName) return setError(translate('enterpriseInfo.rename.name_required'));
    if (newName === currentName) return setError(translate('enterpriseInfo.rename.name_same'));
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/console/enterprise-changes/rename', { body: { newName } });
      notify(translate('enterpriseInfo.rename.started'), { type: 'info' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="enterprise-info-rename-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('enterpriseInfo.rename.title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('enterpriseInfo.rename.current', { name: currentName })}
          </Typography>
          <TextField
            label={translate('enterpriseInfo.rename.new_name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={busy}
            fullWidth
            autoFocus
            required
            slotProps={{ htmlInput: { 'data-testid': 'enterprise-info-rename-name', maxLength: 100 } }}
          />
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="enterprise-info-rename-consequences">
            <Typography variant="body2" component="div">
              {translate('enterpriseInfo.rename.blocked_now')}
            </Typography>
            <Typography variant="body2" component="div" sx={{ mt: 0.5 }}>
              {translate('enterpriseInfo.rename.nothing_voided')}
            </Typography>
            <Typography variant="body2" component="div" sx={{ mt: 0.5 }}>
              {translate('enterpriseInfo.rename.can_abandon')}
            </Typography>
          </Alert>
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="enterprise-info-rename-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" color="warning" disabled={busy} data-testid="enterprise-info-rename-confirm" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('enterpriseInfo.rename.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
