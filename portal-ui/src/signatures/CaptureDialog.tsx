import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Link, Typography } from '@mui/material';
import QRCode from 'qrcode';
import { useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useCountdown } from '../../../ui-shared/src/hooks/useCountdown';
import type { CaptureView } from './types';

/**
 * Watches a capture session: server-sent events first; if the stream fails (proxy, old
 * browser), short polling every second. Calls `onChange` with every status.
 */
function watchCapture(id: string, onChange: (view: CaptureView) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const poll = () => {
    if (timer || stopped) return;
    timer = setInterval(() => {
      apiFetch<CaptureView>(`/api/me/signature-captures/${id}`)
        .then((v) => !stopped && onChange(v))
        .catch(() => undefined);
    }, 1000);
  };
  let source: EventSource | undefined;
  let last: CaptureView['status'] = 'waiting';
  if (typeof EventSource === 'function') {
    source = new EventSource(`/api/me/signature-captures/${id}/events`);
    source.addEventListener('status', (e) => {
      const view = JSON.parse((e as MessageEvent<string>).data) as CaptureView;
      last = view.status;
      if (!stopped) onChange(view);
    });
    // The server ends the stream once settled; an error while still waiting falls back to polling.
    source.onerror = () => {
      source?.close();
      if (last === 'waiting') poll();
    };
  } else poll();
  return () => {
    stopped = true;
    source?.close();
    if (timer) clearInterval(timer);
  };
}

/** 添加手写签名: QR code + link of a one-time capture; closes by itself when the phone submitted. */
export const CaptureDialog = ({ open, onClose, onCaptured }: { open: boolean; onClose: () => void; onCaptured: (signatureId: string) => void }) => {
  const translate = useTranslate();
  const [capture, setCapture] = useState<CaptureView | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const started = useRef<{ attempt: number; promise: Promise<CaptureView> } | null>(null);
  const captured = useRef(onCaptured);
  captured.current = onCaptured;
  const left = useCountdown(capture ? new Date(capture.expiresAt).getTime() : null);

  useEffect(() => {
    if (!open) {
      started.current = null;
      return;
    }
    let cancelled = false;
    let stop: (() => void) | undefined;
    setCapture(null);
    setQr(null);
    setError(null);
    // One capture per opening: React's StrictMode re-runs this effect, which must not start a second link.
    if (started.current?.attempt !== attempt) started.current = { attempt, promise: apiFetch<CaptureView>('/api/me/signature-captures', { method: 'POST', body: {} }) };
    started.current.promise
      .then(async (view0) => {
        if (cancelled) return;
        setCapture(view0);
        setQr(await QRCode.toDataURL(view0.url!, { errorCorrectionLevel: 'M', margin: 1, width: 240 }));
        if (cancelled) return;
        stop = watchCapture(view0.id, (view) => {
          setCapture((c) => (c ? { ...c, ...view } : c));
          if (view.status === 'submitted' && view.signatureId) captured.current(view.signatureId);
        });
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [open, attempt]);

  const expired = capture?.status === 'expired' || (capture?.status === 'waiting' && left === 0);
  return (
    <Dialog open={open} onClose={onClose} data-testid="capture-dialog" maxWidth="xs" fullWidth>
      <DialogTitle>{translate('portal.signatures.capture_title')}</DialogTitle>
      <DialogContent>
        <ApiErrorAlert error={error} />
        {!capture && !error ? <CircularProgress size={24} /> : null}
        {capture ? (
          <Box sx={{ textAlign: 'center' }}>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('portal.signatures.capture_hint')}
            </Typography>
            {qr ? <img src={qr} alt={translate('portal.signatures.qr_alt')} width={240} height={240} data-testid="capture-qr" /> : null}
            <Typography variant="caption" component="div" sx={{ wordBreak: 'break-all', mt: 1 }}>
              <Link href={capture.url} target="_blank" rel="noreferrer" data-testid="capture-link">
                {capture.url}
              </Link>
            </Typography>
            {capture.status === 'submitted' ? (
              <Alert severity="success" sx={{ mt: 2 }} data-testid="capture-done">
                {translate('portal.signatures.capture_done')}
              </Alert>
            ) : expired ? (
              <Alert severity="warning" sx={{ mt: 2 }} data-testid="capture-expired">
                {translate('portal.signatures.capture_expired')}
              </Alert>
            ) : (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }} data-testid="capture-countdown">
                {translate('portal.signatures.capture_countdown', { minutes: Math.floor(left / 60), seconds: String(left % 60).padStart(2, '0') })}
              </Typography>
            )}
          </Box>
        ) : null}
      </DialogContent>
      <DialogActions>
        {expired ? (
          <Button onClick={() => setAttempt((a) => a + 1)} data-testid="capture-renew">
            {translate('portal.signatures.capture_renew')}
          </Button>
        ) : null}
        <Button onClick={onClose} data-testid="capture-close">
          {translate('ra.action.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
