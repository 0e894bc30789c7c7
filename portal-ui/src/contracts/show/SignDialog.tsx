import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField,
  Typography,
  useMediaQuery,
  type Theme,
} from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { ApiError, apiFetch, apiRequest } from '../../../../ui-shared/src/api/apiFetch';
import { retryWhileUnavailable } from '../../../../ui-shared/src/api/retryWhileUnavailable';
import type { SigningCodeView } from '../../../../domain/contracts/confirm-willingness';
import type { PlacedMarkInput, SignProcessingView } from '../../../../domain/contracts/sign-request';
import type { ContractView, ParticipantView } from '../types';
import { RealNameRequired } from '../../account/RealNameRequired';
import { contractUrls } from './contractUrls';
import { useCountdown } from '../../../../ui-shared/src/hooks/useCountdown';

/** A mark the signer placed (free placement), as POST /contracts/:id/sign takes it: the input of the API's own schema (domain/contracts/sign-request.ts). */
export type PlacedMark = PlacedMarkInput;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const POLL_EVERY_MS = 2_000;
const POLL_FOR_MS = 120_000;
/**
 * A sign request answered 503 with Retry-After (the signing service briefly unreachable, or the
 * contract's workflow task being retried) is sent again, with the same code, for this long before
 * the error is shown: the same code attaches to the same signing request, so it never signs twice.
 */
const RESEND_FOR_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 获取验证码 → 验证码 → 确认签署, for the participant the viewer acts for (a person, or an
 * enterprise / department signed by this member). Errors stay in the dialog. `marks`: the ones
 * the signer placed (free placement), sent with the signature. `rounds`: free placement may sign
 * in rounds — 继续签署 signs these marks and keeps the participant open, 结束签署 signs and
 * finishes (with no marks: finishes after earlier rounds).
 */
export const SignDialog = ({
  contract,
  participant,
  marks,
  rounds = false,
  onClose,
  onSigned,
}: {
  contract: ContractView;
  participant: ParticipantView;
  marks?: PlacedMark[];
  rounds?: boolean;
  onClose: () => void;
  onSigned: (contract: ContractView, finished: boolean) => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const fullScreen = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'sms' | 'sign' | 'continue' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [processing, setProcessing] = useState(false);
  const secondsLeft = useCountdown(resendAt);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  /**
   * 正在处理: polls GET /contracts/:id until this signer is signed (继续签署: a new document version
   * exists), the contract has ended, or time runs out.
   */
  const waitForSignature = async (finish: boolean) => {
    setProcessing(true);
    const until = Date.now() + POLL_FOR_MS;
    while (alive.current && Date.now() < until) {
      await sleep(POLL_EVERY_MS);
      const latest = await apiFetch<ContractView>(contractUrls.view(contract.id)).catch(() => null);
      const me = latest?.participants.find((p) => p.id === participant.id);
      if (latest && (me?.status === 'signed' || (!finish && latest.documentVersion > contract.documentVersion))) {
        setProcessing(false);
        notify(translate(finish ? 'portal.sign.success' : 'portal.contracts.sign.round_signed'), { type: 'success' });
        onSigned(latest, finish);
        return;
      }
      if (latest && latest.status !== 'in_progress') {
        setProcessing(false);
        setError(latest.statusLabel ?? latest.status);
        setBusy(null);
        return;
      }
    }
    setProcessing(false);
    setError(translate('portal.sign.still_processing'));
    setBusy(null);
  };

  const sendCode = async () => {
    setBusy('sms');
    setError(null);
    try {
      const res = await apiFetch<SigningCodeView>(contractUrls.smsCode(contract.id), { method: 'POST', body: { participantId: participant.id } });
      setSentTo(res.sentTo);
      setResendAt(Date.now() + (res.resendAfterSeconds ?? 60) * 1000);
    } catch (e) {
      setError(errorText(e));
      // 429: count down to when the API accepts another request.
      if (e instanceof ApiError && e.retryAfterSeconds) setResendAt(Date.now() + e.retryAfterSeconds * 1000);
    } finally {
      setBusy(null);
    }
  };

  const submit = async (finish: boolean) => {
    if (!code.trim()) {
      setError(translate('portal.sign.code_required'));
      return;
    }
    setBusy(finish ? 'sign' : 'continue');
    setError(null);
    try {
      const body = JSON.stringify({ code: code.trim(), participantId: participant.id, ...(marks?.length ? { marks } : {}), ...(rounds ? { finish } : {}) });
      const res = await retryWhileUnavailable(() => apiRequest<ContractView | SignProcessingView<ContractView>>(contractUrls.sign(contract.id), { method: 'POST', body }), {
        budgetMs: RESEND_FOR_MS,
        onWait: () => setProcessing(true),
        alive: () => alive.current,
      });
      setProcessing(false);
      if (res.status === 202) {
        await waitForSignature(finish);
        return;
      }
      notify(translate(finish ? 'portal.sign.success' : 'portal.contracts.sign.round_signed'), { type: 'success' });
      onSigned(res.json as ContractView, finish);
    } catch (e) {
      setProcessing(false);
      setError(errorText(e));
      setBusy(null);
    }
  };
  const sign = (event: FormEvent) => {
    event.preventDefault();
    void submit(true);
  };

  const sendLabel =
    busy === 'sms'
      ? translate('portal.sign.sending')
      : secondsLeft > 0
        ? translate('portal.sign.resend', { seconds: secondsLeft })
        : sentTo
          ? translate('portal.sign.resend_now')
          : translate('portal.sign.send_code');

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullScreen={fullScreen} maxWidth="xs" fullWidth data-testid="sign-dialog">
      <form onSubmit={sign} noValidate>
        <DialogTitle>{translate('portal.sign.title')}</DialogTitle>
        <DialogContent>
          <RealNameRequired actionKey="portal.sign.title" />
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate(participant.kind === 'person' ? 'portal.contracts.show.sign_intro_person' : 'portal.contracts.show.sign_intro_for', {
              title: contract.title,
              name: participant.name,
            })}
          </Typography>
          {marks && marks.length > 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }} data-testid="sign-marks-count">
              {translate('portal.contracts.show.sign_marks_count', { count: marks.length })}
            </Typography>
          )}
          {rounds && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }} data-testid="sign-rounds-hint">
              {translate(marks && marks.length > 0 ? 'portal.contracts.sign.rounds_hint' : 'portal.contracts.sign.finish_only_hint')}
            </Typography>
          )}
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={translate('portal.sign.code')}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              autoComplete="one-time-code"
              size="small"
              sx={{ flex: 1 }}
              slotProps={{ htmlInput: { 'data-testid': 'sms-code-input', inputMode: 'numeric', maxLength: 6 } }}
            />
            <Button
              variant="outlined"
              onClick={sendCode}
              disabled={busy !== null || secondsLeft > 0}
              data-testid="sms-send"
              sx={{ whiteSpace: 'nowrap', minWidth: 120, height: 40 }}
            >
              {sendLabel}
            </Button>
          </Stack>
          {sentTo && (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="sms-sent-to">
              {translate('portal.sign.sent_to', { mobile: sentTo })}
            </Alert>
          )}
          {processing && (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="sign-processing" role="status" icon={<CircularProgress size={18} />}>
              {translate('portal.sign.processing')}
            </Alert>
          )}
          {error && (
            <Alert severity="error" sx={{ mt: 2 }} data-testid="sign-error" role="alert">
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions sx={{ flexWrap: 'wrap', rowGap: 1 }}>
          <Button onClick={onClose} disabled={busy !== null} data-testid="sign-cancel">
            {translate('ra.action.cancel')}
          </Button>
          {rounds && marks && marks.length > 0 && (
            <Button
              variant="outlined"
              onClick={() => void submit(false)}
              disabled={busy !== null || !code.trim()}
              data-testid="sign-continue"
              startIcon={busy === 'continue' ? <CircularProgress size={18} color="inherit" /> : undefined}
            >
              {translate('portal.contracts.sign.continue')}
            </Button>
          )}
          <Button
            type="submit"
            variant="contained"
            disabled={busy !== null || !code.trim()}
            data-testid="sign-confirm"
            startIcon={busy === 'sign' ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {busy === 'sign' ? translate('portal.sign.signing') : translate(rounds ? 'portal.contracts.sign.finish' : 'portal.sign.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
