import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from './ApiErrorAlert';

/**
 * 驳回 with a reason (required, ≤ 500). The dialog stays open with the text on an API error.
 * data-testids: reject-dialog, reject-reason, reject-confirm (both can be renamed), reject-cancel, error-message.
 */
export const ReasonDialog = ({
  open,
  title,
  subject,
  onClose,
  onConfirm,
  confirmLabel,
  reasonLabel,
  reasonTestId = 'reject-reason',
  confirmTestId = 'reject-confirm',
}: {
  open: boolean;
  title: string;
  /** What is being rejected (shown under the title). */
  subject?: string;
  onClose: () => void;
  onConfirm: (reason: string) => Promise<void>;
  confirmLabel?: string;
  /** Label of the reason field (default 驳回原因). */
  reasonLabel?: string;
  /** data-testids of the reason field and the confirm button (defaults above). */
  reasonTestId?: string;
  confirmTestId?: string;
}) => {
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError(translate('sf.review.reason_required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setReason('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="reject-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>
          {subject && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {subject}
            </Typography>
          )}
          <TextField
            label={reasonLabel ?? translate('sf.review.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={3}
            fullWidth
            autoFocus
            required
            margin="dense"
            slotProps={{ htmlInput: { 'data-testid': reasonTestId, maxLength: 500 } }}
          />
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="reject-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="error"
            disabled={busy}
            data-testid={confirmTestId}
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {confirmLabel ?? translate('sf.review.reject')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
