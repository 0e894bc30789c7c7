import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import SignaturePad from 'signature_pad';
import { useParams } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useCountdown } from '../../../ui-shared/src/hooks/useCountdown';
import type { CaptureLinkView } from '../../../domain/signatures/signature-views';

/** GET /api/signature-captures/:token: the server's own view (domain/signatures/signature-views.ts). */
type CaptureInfo = CaptureLinkView;

/** Sizes the canvas to its CSS box × devicePixelRatio so strokes are sharp on phones; keeps what was drawn. */
function fitCanvas(canvas: HTMLCanvasElement, pad: SignaturePad | null) {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  const data = pad?.toData();
  canvas.width = Math.round(canvas.offsetWidth * ratio);
  canvas.height = Math.round(canvas.offsetHeight * ratio);
  canvas.getContext('2d')?.scale(ratio, ratio);
  if (pad) {
    pad.clear();
    if (data?.length) pad.fromData(data);
  }
}

/**
 * The phone page of 手写签名 (opened from the QR code, no login, no portal layout): a full-width
 * canvas (signature_pad), 清除 and 提交. The one-time token in the URL is the credential.
 */
export const CapturePage = () => {
  const translate = useTranslate();
  const { token = '' } = useParams();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [info, setInfo] = useState<CaptureInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const left = useCountdown(info ? new Date(info.expiresAt).getTime() : null);

  useEffect(() => {
    apiFetch<CaptureInfo>(`/api/signature-captures/${encodeURIComponent(token)}`)
      .then(setInfo)
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [token]);

  const drawing = info?.status === 'waiting' && !submitted;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!drawing || !canvas) return;
    fitCanvas(canvas, null);
    const pad = new SignaturePad(canvas, { minWidth: 1.2, maxWidth: 3.2, penColor: '#111111' });
    padRef.current = pad;
    const changed = () => setEmpty(pad.isEmpty());
    pad.addEventListener('endStroke', changed);
    const onResize = () => fitCanvas(canvas, pad);
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      pad.removeEventListener('endStroke', changed);
      pad.off();
      padRef.current = null;
    };
  }, [drawing]);

  const clear = useCallback(() => {
    padRef.current?.clear();
    setEmpty(true);
    setError(null);
  }, []);

  const submit = async () => {
    const pad = padRef.current;
    if (!pad || pad.isEmpty()) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/signature-captures/${encodeURIComponent(token)}`, { method: 'POST', body: { image: pad.toDataURL('image/png') } });
      setSubmitted(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ p: 2, maxWidth: 720, mx: 'auto', minHeight: '100vh', boxSizing: 'border-box' }} data-testid="capture-page">
      <Typography variant="h6" sx={{ mb: 1 }}>
        {translate('portal.signatures.phone_title')}
      </Typography>
      {loadError ? <ApiErrorAlert error={loadError} testId="capture-load-error" /> : null}
      {!info && !loadError ? <CircularProgress size={24} /> : null}
      {submitted ? (
        <Alert severity="success" data-testid="capture-submitted">
          {translate('portal.signatures.phone_submitted')}
        </Alert>
      ) : info && info.status !== 'waiting' ? (
        <Alert severity="warning" data-testid="capture-unavailable">
          {translate(info.status === 'submitted' ? 'portal.signatures.phone_used' : 'portal.signatures.phone_expired')}
        </Alert>
      ) : null}
      {drawing ? (
        <Stack spacing={2}>
          <Typography variant="body2" color="text.secondary">
            {translate('portal.signatures.phone_hint', { name: info.maskedName })}
          </Typography>
          <Box
            component="canvas"
            ref={canvasRef}
            data-testid="capture-canvas"
            sx={{ width: '100%', height: 'min(55vh, 360px)', border: '1px dashed', borderColor: 'grey.400', borderRadius: 1, touchAction: 'none', bgcolor: '#fff', display: 'block' }}
          />
          <ApiErrorAlert error={error} />
          <Stack direction="row" spacing={2}>
            <Button variant="outlined" size="large" onClick={clear} disabled={busy} sx={{ flex: 1 }} data-testid="capture-clear">
              {translate('portal.signatures.clear')}
            </Button>
            <Button variant="contained" size="large" onClick={submit} disabled={busy || empty} sx={{ flex: 1 }} data-testid="capture-submit">
              {translate('portal.signatures.submit')}
            </Button>
          </Stack>
          <Typography variant="caption" color="text.secondary" data-testid="capture-expires">
            {translate('portal.signatures.capture_countdown', { minutes: Math.floor(left / 60), seconds: String(left % 60).padStart(2, '0') })}
          </Typography>
        </Stack>
      ) : null}
    </Box>
  );
};
