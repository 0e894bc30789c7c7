import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  Stack,
  TextField,
  Typography,
  useMediaQuery,
  type Theme,
} from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { smsWaitSeconds } from '../../../../ui-shared/src/components/SmsCodeButton';
import { apiLabel } from '../../../../ui-shared/src/types';
import {
  batchWasSubmitted,
  checkBatch,
  fetchBatchProgress,
  mergeBatchProgress,
  POLL_MS,
  pollDelayAfter,
  sendBatchCode,
  submitBatch,
  type BatchCheckItem,
  type BatchCodeSent,
  type BatchItemState,
  type BatchProgress,
} from './batchApi';

const STATE_COLOR: Record<BatchItemState, 'default' | 'info' | 'success' | 'error'> = { queued: 'default', signing: 'info', signed: 'success', failed: 'error' };

/**
 * 批量签署: lists the selected contracts as eligible / not eligible (with the server's reason),
 * sends ONE code for the eligible ones, submits it, then shows each contract's progress until the
 * batch is done, failures listed with why. Full screen on a phone. Once the code is submitted the batch goes on
 * server-side: a failed poll is shown and polling goes on (Retry-After, else a bounded back-off), and the dialog
 * may be closed while such an error shows; a submission answered 503 (the start failed after the code was spent)
 * or 409 BATCH_ALREADY_SUBMITTED switches to the progress, whose polls start the batch.
 */
export const BatchSignDialog = ({ ids, titles, onClose }: { ids: string[]; titles: ReadonlyMap<string, string>; onClose: (changed: boolean) => void }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const fullScreen = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const t = (key: string, opts?: object) => translate(`portal.contracts.batch.${key}`, opts);
  const [items, setItems] = useState<BatchCheckItem[] | null>(null);
  /** The batch whose code was sent (the answer of the code send). */
  const [batch, setBatch] = useState<Pick<BatchCodeSent, 'batchId' | 'sentTo'> | null>(null);
  const [cooldown, setCooldown] = useState(0);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The code was accepted (spent): the batch runs server-side, the dialog shows its progress. */
  const [submitted, setSubmitted] = useState(false);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [stale, setStale] = useState(false);
  /** When the next poll goes, and how many failed in a row (a new object schedules the next poll). */
  const [poll, setPoll] = useState({ delayMs: POLL_MS, failures: 0 });

  useEffect(() => {
    const ctrl = { cancelled: false };
    checkBatch(ids).then(
      (r) => !ctrl.cancelled && setItems(r.items),
      (e: unknown) => !ctrl.cancelled && setError(errorMessage(e)),
    );
    return () => void (ctrl.cancelled = true);
  }, [ids]);

  useEffect(() => {
    if (cooldown <= 0) return;
    const timer = setTimeout(() => setCooldown((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [cooldown]);

  // Poll while the batch runs; stop when it is done or the dialog closes. A failed poll is shown and the next one
  // scheduled all the same (a poll is also what starts a confirmed batch whose start met Temporal unavailable).
  const batchId = batch?.batchId ?? null;
  const running = submitted && progress?.status !== 'done';
  useEffect(() => {
    if (!running || !batchId) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetchBatchProgress(batchId, stale || !progress ? null : progress.cursor, abort.signal).then(
        (next) => {
          if (abort.signal.aborted) return;
          const merged = mergeBatchProgress(progress, next);
          setStale(merged.stale);
          setProgress(merged.progress);
          setError(null);
          setPoll({ delayMs: POLL_MS, failures: 0 });
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          setError(errorMessage(e));
          setPoll((p) => ({ delayMs: pollDelayAfter(e, p.failures + 1), failures: p.failures + 1 }));
        },
      );
    }, poll.delayMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [running, batchId, progress, stale, poll]);

  const eligible = (items ?? []).filter((i) => i.eligible);
  const notEligible = (items ?? []).filter((i) => !i.eligible);
  const titleOf = (id: string, title?: string | null) => title || titles.get(id) || t('untitled');

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    run(async () => {
      try {
        const sent = await sendBatchCode(eligible.map((i) => i.id));
        setBatch({ batchId: sent.batchId, sentTo: sent.sentTo });
        setItems(sent.items);
        setCooldown(sent.resendAfterSeconds);
      } catch (e) {
        // A refused send (429: the resend wait or the number's budget) counts down its Retry-After instead of inviting clicks.
        const wait = smsWaitSeconds(e);
        if (wait) setCooldown(wait);
        throw e;
      }
    });
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const first = await submitBatch(batch!.batchId, code.trim());
      setProgress(first);
      setSubmitted(true);
    } catch (e) {
      // The code is spent and the batch confirmed: follow its progress (polling starts it) rather than ask for the code
      // again. A 503 says why it has not started yet; an earlier submission that won (409) needs no word.
      if (batchWasSubmitted(e)) {
        setSubmitted(true);
        setPoll({ delayMs: pollDelayAfter(e, 0), failures: 0 });
        if (e.status === 503) setError(errorMessage(e));
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const done = progress?.status === 'done';
  // While the batch runs the dialog stays (it follows the progress), unless an error shows: the batch goes on server-side.
  const closable = !busy && (!running || error !== null);
  const processed = progress ? progress.counts.signed + progress.counts.failed : 0;
  const failures = progress?.items.filter((i) => i.state === 'failed') ?? [];

  return (
    <Dialog open onClose={() => closable && onClose(submitted)} fullScreen={fullScreen} maxWidth="sm" fullWidth data-testid="batch-sign-dialog">
      <DialogTitle>{t('title')}</DialogTitle>
      <DialogContent dividers>
        {items === null && !error && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <CircularProgress size={18} />
            <Typography variant="body2">{t('checking')}</Typography>
          </Stack>
        )}
        {items !== null && !submitted && (
          <>
            {eligible.length > 0 ? (
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                {t('hint')}
              </Typography>
            ) : (
              <Alert severity="warning" data-testid="batch-none-eligible">
                {t('none_eligible')}
              </Alert>
            )}
            {eligible.length > 0 && (
              <>
                <Typography variant="subtitle2">{t('eligible', { smart_count: eligible.length })}</Typography>
                <List dense data-testid="batch-eligible">
                  {eligible.map((i) => (
                    <ListItem key={i.id} disableGutters data-testid="batch-eligible-item" data-id={i.id}>
                      <ListItemText primary={titleOf(i.id, i.title)} />
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            {notEligible.length > 0 && (
              <>
                <Typography variant="subtitle2" sx={{ mt: 1 }}>
                  {t('not_eligible', { smart_count: notEligible.length })}
                </Typography>
                <List dense data-testid="batch-not-eligible">
                  {notEligible.map((i) => (
                    <ListItem key={i.id} disableGutters data-testid="batch-not-eligible-item" data-id={i.id} data-reason={i.reason}>
                      <ListItemText primary={titleOf(i.id, i.title)} secondary={apiLabel(i.message ?? i.reason, i.messageEn, locale)} slotProps={{ secondary: { color: 'warning.main' } }} />
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            {eligible.length > 0 && (
              <Stack spacing={1.5} sx={{ mt: 1 }}>
                {batch && (
                  <Alert severity="info" data-testid="batch-code-sent">
                    {t('code_sent', { mobile: batch.sentTo })}
                  </Alert>
                )}
                <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
                  <TextField
                    label={t('code_label')}
                    value={code}
                    onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                    disabled={!batch || busy}
                    size="small"
                    slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'one-time-code', 'data-testid': 'batch-code-input' } }}
                    sx={{ flex: 1 }}
                  />
                  <Button variant="outlined" onClick={send} disabled={busy || cooldown > 0} data-testid="batch-send-code">
                    {cooldown > 0 ? t('resend_code', { seconds: cooldown }) : t('send_code')}
                  </Button>
                </Stack>
              </Stack>
            )}
          </>
        )}
        {submitted && !progress && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="batch-progress" data-status="submitted">
            <CircularProgress size={18} />
            <Typography variant="body2">{t('signing')}</Typography>
          </Stack>
        )}
        {progress && (
          <Stack spacing={1} data-testid="batch-progress" data-status={progress.status}>
            <Typography variant="body2" data-testid="batch-progress-count">
              {done ? t('finished', { signed: progress.counts.signed, failed: progress.counts.failed }) : t('progress', { done: processed, total: progress.items.length })}
            </Typography>
            <LinearProgress variant="determinate" value={progress.items.length ? (100 * processed) / progress.items.length : 100} />
            <List dense>
              {progress.items.map((i) => (
                <ListItem key={i.id} disableGutters data-testid="batch-progress-item" data-id={i.id} data-state={i.state} secondaryAction={<Chip size="small" color={STATE_COLOR[i.state]} label={t(`state.${i.state}`)} />}>
                  <ListItemText primary={titleOf(i.id, i.title)} secondary={i.state === 'failed' ? apiLabel(i.message ?? i.code, i.messageEn, locale) : undefined} sx={{ pr: 8 }} />
                </ListItem>
              ))}
            </List>
            {done && failures.length > 0 && (
              <Alert severity="error" data-testid="batch-failures">
                {t('failures')}: {failures.map((f) => titleOf(f.id, f.title)).join('、')}
              </Alert>
            )}
          </Stack>
        )}
        {error && (
          <Alert severity={running ? 'warning' : 'error'} role="alert" sx={{ mt: 1 }} data-testid="error-message">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {!submitted ? (
          <>
            <Button onClick={() => onClose(false)} disabled={busy} data-testid="batch-cancel">
              {t('cancel')}
            </Button>
            <Button variant="contained" onClick={confirm} disabled={busy || !batch || code.length !== 6 || eligible.length === 0} data-testid="batch-confirm">
              {busy ? t('signing') : t('confirm', { smart_count: eligible.length })}
            </Button>
          </>
        ) : (
          <Button variant="contained" onClick={() => onClose(true)} disabled={!closable} data-testid="batch-close">
            {t('close')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
