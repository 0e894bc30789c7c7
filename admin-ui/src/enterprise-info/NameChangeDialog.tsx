import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

export interface NameChangeKind {
  /** i18n prefix under enterpriseInfo (title, current, new_name, name_required, name_same, confirm, done + consequence keys). */
  texts: 'rename' | 'legal_rep';
  /** data-testid prefix: <prefix>-dialog, -name, -consequences, -cancel, -confirm. */
  testId: string;
  endpoint: string;
  /** The request body's field for the new value. */
  field: string;
  maxLength: number;
  /** What happens once confirmed, one line each (keys under enterpriseInfo.<texts>). */
  consequences: string[];
  confirmColor: 'warning' | 'error';
}

/** 变更企业名称 (start the change: the enterprise is 待重新认证 until approved or abandoned). */
export const RENAME: NameChangeKind = {
  texts: 'rename',
  testId: 'enterprise-info-rename',
  endpoint: '/api/console/enterprise-changes/rename',
  field: 'newName',
  maxLength: 100,
  consequences: ['blocked_now', 'nothing_voided', 'can_abandon'],
  confirmColor: 'warning',
};

/** 变更法人 (at once: the 法定代表人章 voided, its authorisations removed, its certificate revoked). */
export const LEGAL_REPRESENTATIVE: NameChangeKind = {
  texts: 'legal_rep',
  testId: 'enterprise-info-legal-rep',
  endpoint: '/api/console/enterprise-changes/legal-representative',
  field: 'legalRepresentative',
  maxLength: 50,
  consequences: ['voids_seal', 'removes_authorizations', 'revokes_certificate', 'create_new'],
  confirmColor: 'error',
};

/**
 * A new name (the enterprise's, or its 法定代表人) with the consequences stated before confirming.
 * The server checks the name again and answers what it refuses; the dialog shows that message.
 */
export const NameChangeDialog = ({ kind, current, onClose, onDone }: { kind: NameChangeKind; current: string; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const text = (key: string, options?: Record<string, unknown>) => translate(`enterpriseInfo.${kind.texts}.${key}`, options);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value) return setError(text('name_required'));
    if (value === current) return setError(text('name_same'));
    setBusy(true);
    setError(null);
    try {
      await apiFetch(kind.endpoint, { body: { [kind.field]: value } });
      notify(text('done'), { type: 'info' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid={`${kind.testId}-dialog`}>
      <form onSubmit={submit} noValidate>
        <DialogTitle>{text('title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {text('current', { name: current })}
          </Typography>
          <TextField
            label={text('new_name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={busy}
            fullWidth
            autoFocus
            required
            slotProps={{ htmlInput: { 'data-testid': `${kind.testId}-name`, maxLength: kind.maxLength } }}
          />
          <Alert severity="warning" sx={{ mt: 2 }} data-testid={`${kind.testId}-consequences`}>
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {kind.consequences.map((key) => (
                <li key={key}>{text(key)}</li>
              ))}
            </Box>
          </Alert>
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid={`${kind.testId}-cancel`}>
            {translate('ra.action.cancel')}
          </Button>
          <Button type="submit" variant="contained" color={kind.confirmColor} disabled={busy} data-testid={`${kind.testId}-confirm`} startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {text('confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
