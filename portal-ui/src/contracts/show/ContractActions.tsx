import { useEffect, useRef, useState } from 'react';
import { Alert, Button, CircularProgress, Stack } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import DownloadIcon from '@mui/icons-material/Download';
import DrawIcon from '@mui/icons-material/Draw';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import UndoIcon from '@mui/icons-material/Undo';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { ApiError, apiRequest } from '../../../../ui-shared/src/api/apiFetch';
import { errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { ReasonDialog } from '../../../../ui-shared/src/components/ReasonDialog';
import type { ContractView } from '../types';
import { contractUrls } from './contractUrls';
import { useSigningMode } from './SigningMode';
import { SignDialog } from './SignDialog';
import { UrgeDialog } from './UrgeDialog';

type Open = 'sign' | 'refuse' | 'revoke' | 'urge' | null;

/** How long the page keeps asking for the outcome of an accepted 拒签 / 撤销 still being carried out. */
const FOLLOW_BUDGET_MS = 120_000;
const DEFAULT_RETRY_AFTER_S = 5;

/** A fresh Idempotency-Key (one per opening of the 拒签 / 撤销 dialog). */
function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The API accepted the decision and is still carrying it out (503 UPDATE_STILL_RUNNING): not a failure. */
const stillRunning = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 503 && e.code === 'UPDATE_STILL_RUNNING';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * 签署 (via the contract page's signing mode) / 拒签 / 撤销 / 催办 as `me` allows, and 下载. Each action answers the new
 * view; the page refetches it. 拒签 and 撤销 carry one Idempotency-Key per opening of their dialog: a retry from the
 * dialog (after a 503) is the same request, not a second decision. Answered 503 UPDATE_STILL_RUNNING (accepted, still
 * being carried out), the dialog closes, the page says so (已受理，处理中) and asks again with the same key after
 * Retry-After, which gets the decision's outcome.
 */
export const ContractActions = ({ contract }: { contract: ContractView }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState<Open>(null);
  const decisionKey = useRef('');
  /** An accepted decision still being carried out (the server's message), and what a follow-up of one answered. */
  const [pending, setPending] = useState<{ message: string; following: boolean } | null>(null);
  const [followError, setFollowError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => void (alive.current = false);
  }, []);
  // A decision no longer followed (its budget ran out) that the page now shows landed: the notice has said its part.
  useEffect(() => {
    if (pending && !pending.following && contract.status !== 'in_progress') setPending(null);
  }, [pending, contract.status]);
  const signingMode = useSigningMode();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const { me } = contract;
  const actingFor = contract.participants.find((p) => p.id === me.actFor) ?? null;
  /** The contract page signs: free placement places the marks first, preset shows them stamped (一键盖章); then the SMS step. */
  const startSigning = () => {
    if (actingFor && signingMode) signingMode.start(actingFor.id);
    else setOpen('sign');
  };
  const succeeded = (messageKey: string) => {
    notify(t(messageKey), { type: 'success' });
    refresh(); // the view, the trail and the boxes' counts
  };
  const done = (messageKey: string) => {
    setOpen(null);
    succeeded(messageKey);
  };
  const openDecision = (which: 'refuse' | 'revoke') => {
    decisionKey.current = newIdempotencyKey();
    setFollowError(null);
    setOpen(which);
  };

  /** Asks again with the same key after each Retry-After until the decision's outcome comes (within FOLLOW_BUDGET_MS). */
  const follow = async (send: () => Promise<unknown>, first: ApiError, messageKey: string) => {
    let last = first;
    let waited = 0;
    for (;;) {
      const delay = (last.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S) * 1000;
      if (waited + delay > FOLLOW_BUDGET_MS) {
        // Still running: the notice stays (请稍后刷新查看), the page shows what is known.
        setPending((p) => ({ message: p?.message ?? last.message, following: false }));
        refresh();
        return;
      }
      await sleep(delay);
      waited += delay;
      if (!alive.current) return;
      try {
        await send();
      } catch (e) {
        if (!alive.current) return;
        // Still running, or the service unavailable for a moment: the same key asks again (never a second decision).
        if (stillRunning(e) || (e instanceof ApiError && e.status === 503 && e.retryAfterSeconds)) {
          last = e;
          if (stillRunning(e)) setPending({ message: e.message, following: true });
          continue;
        }
        setPending(null);
        setFollowError(errorMessage(e));
        refresh();
        return;
      }
      if (!alive.current) return;
      setPending(null);
      succeeded(messageKey);
      return;
    }
  };

  /** POST a 拒签 / 撤销 with this dialog's key; errors other than UPDATE_STILL_RUNNING stay in the dialog. */
  const decide = async (url: string, body: object, messageKey: string) => {
    const key = decisionKey.current;
    const send = () => apiRequest(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Idempotency-Key': key } });
    try {
      await send();
    } catch (e) {
      if (!stillRunning(e)) throw e;
      setOpen(null);
      setPending({ message: e.message, following: true });
      void follow(send, e, messageKey);
      return;
    }
    done(messageKey);
  };

  return (
    <>
      <Stack spacing={1} sx={{ flexShrink: 0, alignItems: { md: 'flex-end' } }}>
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, flexShrink: 0 }} data-testid="contract-actions">
          {me.canSign && actingFor && (
            <Button variant="contained" startIcon={<DrawIcon />} onClick={startSigning} data-testid="sign-button">
              {t('sign')}
            </Button>
          )}
          {me.canRefuse && actingFor && (
            <Button variant="outlined" color="error" startIcon={<BlockIcon />} onClick={() => openDecision('refuse')} disabled={pending?.following} data-testid="refuse-button">
              {t('refuse')}
            </Button>
          )}
          {me.canRevoke && (
            <Button variant="outlined" color="warning" startIcon={<UndoIcon />} onClick={() => openDecision('revoke')} disabled={pending?.following} data-testid="revoke-button">
              {t('revoke')}
            </Button>
          )}
          {me.canUrge && (
            <Button variant="outlined" startIcon={<NotificationsActiveIcon />} onClick={() => setOpen('urge')} data-testid="urge-button">
              {t('urge')}
            </Button>
          )}
          <Button variant="outlined" startIcon={<DownloadIcon />} href={contractUrls.download(contract.id)} data-testid="download-link">
            {t('download')}
          </Button>
        </Stack>
        {pending && (
          <Alert severity="info" icon={pending.following ? <CircularProgress size={18} /> : undefined} data-testid="decision-pending">
            {pending.message}
          </Alert>
        )}
        {followError && (
          <Alert severity="error" role="alert" onClose={() => setFollowError(null)} data-testid="decision-error">
            {followError}
          </Alert>
        )}
      </Stack>
      {open === 'sign' && actingFor && (
        <SignDialog
          contract={contract}
          participant={actingFor}
          onClose={() => setOpen(null)}
          onSigned={() => {
            setOpen(null);
            refresh();
          }}
        />
      )}
      <ReasonDialog
        open={open === 'refuse'}
        title={t('refuse_title')}
        subject={actingFor && actingFor.kind !== 'person' ? t('refuse_subject_for', { title: contract.title, name: actingFor.name }) : t('refuse_subject', { title: contract.title })}
        reasonLabel={t('refuse_reason')}
        confirmLabel={t('refuse_confirm')}
        onClose={() => setOpen(null)}
        onConfirm={(reason) => decide(contractUrls.refuse(contract.id), { participantId: me.actFor ?? undefined, reason }, 'refused')}
      />
      <ReasonDialog
        open={open === 'revoke'}
        title={t('revoke_title')}
        subject={t('revoke_subject', { title: contract.title })}
        reasonLabel={t('revoke_reason')}
        confirmLabel={t('revoke_confirm')}
        onClose={() => setOpen(null)}
        onConfirm={(reason) => decide(contractUrls.revoke(contract.id), { reason }, 'revoked')}
      />
      {open === 'urge' && <UrgeDialog contract={contract} onClose={() => setOpen(null)} onUrged={() => refresh()} />}
    </>
  );
};
