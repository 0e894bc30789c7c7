import { useState, type ReactNode } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useTranslate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from './ApiErrorAlert';

/**
 * A yes/no confirmation that runs an API call; an error keeps the dialog open and is shown in it.
 * data-testids: confirm-dialog, `confirmTestId` (default confirm-ok), confirm-cancel, error-message.
 */
export const ConfirmDialog = ({
  open,
  title,
  content,
  confirmLabel,
  confirmTestId = 'confirm-ok',
  danger,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  content?: ReactNode;
  confirmLabel?: string;
  confirmTestId?: string;
  danger?: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) => {
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    onClose();
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : close} maxWidth="xs" fullWidth data-testid="confirm-dialog">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {content && <DialogContentText component="div">{content}</DialogContentText>}
        <ApiErrorAlert error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy} data-testid="confirm-cancel">
          {translate('ra.action.cancel')}
        </Button>
        <Button
          onClick={confirm}
          variant="contained"
          color={danger ? 'error' : 'primary'}
          disabled={busy}
          data-testid={confirmTestId}
          startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
        >
          {confirmLabel ?? translate('ra.action.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
