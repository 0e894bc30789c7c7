import { useState, type MouseEvent } from 'react';
import { Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ReasonDialog } from '../../../ui-shared/src/components/ReasonDialog';

const stop = (e: MouseEvent) => e.stopPropagation();

export interface ReviewTestIds {
  approve: string;
  reject: string;
  reason: string;
  confirm: string;
}

const DEFAULT_TEST_IDS: ReviewTestIds = { approve: 'review-approve', reject: 'review-reject', reason: 'reject-reason', confirm: 'reject-confirm' };

/**
 * 通过 / 驳回 of one pending application: POST /api/<apiPath>/<id>/approve, or …/reject {reason}
 * from the reason dialog. Refreshes the page's data afterwards.
 */
export const ReviewButtons = ({
  apiPath,
  id,
  subject,
  size = 'small',
  onDone,
  testIds = DEFAULT_TEST_IDS,
  decisionBody,
}: {
  apiPath: string;
  id: string | number;
  /** What is reviewed, shown in the reject dialog. */
  subject: string;
  size?: 'small' | 'medium';
  onDone?: () => void;
  /** data-testids of the buttons and the reject dialog's reason field and confirm button. */
  testIds?: ReviewTestIds;
  /** Sent with both decisions (重新认证审核: the `submissionId` decided). */
  decisionBody?: Record<string, unknown>;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/${apiPath}/${encodeURIComponent(String(id))}`;

  const done = (key: string) => {
    notify(translate(key), { type: 'success' });
    refresh();
    onDone?.();
  };

  const approve = async (e: MouseEvent) => {
    stop(e);
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`${base}/approve`, { body: { ...decisionBody } });
      done('sf.review.approved');
    } catch (err) {
      setError(errorMessage(err));
      notify(errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const reject = async (reason: string) => {
    await apiFetch(`${base}/reject`, { body: { ...decisionBody, reason } });
    setRejecting(false);
    done('sf.review.rejected');
  };

  return (
    <Box onClick={stop}>
      <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }}>
        <Button
          size={size}
          variant="contained"
          color="success"
          onClick={approve}
          disabled={busy}
          data-testid={testIds.approve}
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : <CheckIcon />}
        >
          {translate('sf.review.approve')}
        </Button>
        <Button
          size={size}
          variant="outlined"
          color="error"
          onClick={(e) => {
            stop(e);
            setRejecting(true);
          }}
          disabled={busy}
          data-testid={testIds.reject}
          startIcon={<CloseIcon />}
        >
          {translate('sf.review.reject')}
        </Button>
      </Stack>
      {error && (
        <Typography variant="caption" color="error" component="div" role="alert" data-testid="error-message" sx={{ mt: 0.5, maxWidth: 260, whiteSpace: 'normal' }}>
          {error}
        </Typography>
      )}
      <ReasonDialog
        open={rejecting}
        title={translate('admin.review.reject_title')}
        subject={subject}
        onClose={() => setRejecting(false)}
        onConfirm={reject}
        reasonTestId={testIds.reason}
        confirmTestId={testIds.confirm}
      />
    </Box>
  );
};
