import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

/**
 * 变更法人: the new 法定代表人, with the consequences stated before confirming (the 法定代表人章
 * is voided, its authorisations removed and its certificate revoked; a new one is created in 印章管理).
 * data-testids: enterprise-info-legal-rep-dialog, enterprise-info-legal-rep-name, enterprise-info-legal-rep-confirm.
 */
export const LegalRepresentativeDialog = ({ current, onClose, onDone }: { current: string; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const legalRepresentative = name.trim();
    if (!legalRepresentative) return setError(translate('enterpriseInfo.legal_rep.name_required'));
    if (legalRepresentative === current) return setError(translate('enterpriseInfo.legal_rep.name_same'));
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/console/enterprise-changes/legal-representative', { body: { legalRepresentative } });
      notify(translate('enterpriseInfo.legal_rep.done'), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="enterprise-info-legal-rep-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('enterpriseInfo.legal_rep.title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('enterpriseInfo.legal_rep.current', { name: current })}
          </Typography>
          <TextField
            label={translate('enterpriseInfo.legal_rep.new_name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={busy}
            fullWidth
            autoFocus
            required
            slotProps={{ htmlInput: { 'data-testid': 'enterprise-info-legal-rep-name', maxLength: 50 } }}
          />
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="enterprise-info-legal-rep-consequences">
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              <li>{translate('enterpriseInfo.legal_rep.voids_seal')}</li>
              <li>{translate('enterpriseInfo.legal_rep.removes_authorizations')}</li>
              <li>{translate('enterpriseInfo.legal_rep.revokes_certificate')}</li>
              <li>{translate('enterpriseInfo.legal_rep.create_new')}</li>
            </Box>
          </Alert>
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="enterprise-info-legal-rep-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" color="error" disabled={busy} data-testid="enterprise-info-legal-rep-confirm" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('enterpriseInfo.legal_rep.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
