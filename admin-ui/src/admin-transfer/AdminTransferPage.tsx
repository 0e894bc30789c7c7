import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import { Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { ApiError, apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { identityMayHaveChanged } from '../../../ui-shared/src/auth/identityEvents';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { getDraft, setDraft } from '../../../ui-shared/src/drafts';
import { formatDateTime } from '../../../ui-shared/src/format';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { useFirstSeen } from '../../../ui-shared/src/hooks/useFirstSeen';
import type { AdminTransferView } from '../../../domain/enterprises/admin-transfer-view';
import type { Member } from '../members/types';

/** GET /api/console/admin-transfer's `transfer`: the server's own view (domain/enterprises/admin-transfer-view.ts). */
type Transfer = AdminTransferView;
type TransferStatus = Transfer['status'];

const RUNNING: TransferStatus[] = ['awaiting_admin_code', 'awaiting_target_code'];
const POLL_MS = 4000;
/** The last state seen survives a remount (language switch, the routes following the identity). */
const DRAFT_KEY = 'admin.transfer';

/** The transfer's state line: status chip, from → to, deadline. */
const TransferState = ({ t }: { t: Transfer }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap', rowGap: 1 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate(RUNNING.includes(t.status) ? 'admin.transfer.current' : 'admin.transfer.last')}
        </Typography>
        <StatusChip kind="transfer" status={t.status} testId="transfer-status" />
      </Stack>
      <Typography variant="body2" data-testid="transfer-parties">
        {translate('admin.transfer.parties', { from: t.fromName, to: t.toName, mobile: t.toMobileMasked })}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="p">
        {RUNNING.includes(t.status)
          ? translate('admin.transfer.deadline', { time: formatDateTime(t.deadline, locale) })
          : translate('admin.transfer.finished', { time: formatDateTime(t.finishedAt, locale) })}
      </Typography>
      {t.endReasonLabel && (
        <Typography variant="body2" color="error" data-testid="transfer-end-reason">
          {locale.startsWith('en') ? t.endReasonLabelEn : t.endReasonLabel}
        </Typography>
      )}
    </Box>
  );
};

/**
 * 转让管理员 (管理员 only): pick an active, real-name verified member → enter the code sent to
 * my phone → wait for the new administrator's confirmation (in their 我的企业). Cancel anytime.
 */
export const AdminTransferPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [version, setVersion] = useState(0);
  const state = useApiGet<{ transfer: Transfer | null }>('/api/console/admin-transfer', version);
  const members = useApiGet<Member[]>('/api/console/members');
  const [transfer, setTransferState] = useState<Transfer | null>(() => getDraft<Transfer | null>(DRAFT_KEY) ?? null);
  const setTransfer = (t: Transfer | null) => {
    setDraft(DRAFT_KEY, t);
    setTransferState(t);
  };
  const [memberId, setMemberId] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    if (state.data) {
      setDraft(DRAFT_KEY, state.data.transfer);
      setTransferState(state.data.transfer);
    }
  }, [state.data]);

  // While the transfer runs, follow its state (the other party confirms elsewhere).
  // After a completed transfer the former 管理员 has left the enterprise: the API answers 403.
  const lostAccess = state.error instanceof ApiError && (state.error.status === 403 || state.error.status === 401);
  const running = !!transfer && RUNNING.includes(transfer.status) && !lostAccess;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [running]);
  // Completed (or access lost while waiting for the new administrator): this user is no longer the
  // enterprise's 管理员, so the header, the menu and the routes must follow (useIdentitySync).
  const finished = transfer?.status === 'completed' || (lostAccess && transfer?.status === 'awaiting_target_code');
  useEffect(() => {
    if (finished) identityMayHaveChanged();
  }, [finished]);
  // The administrator's code went out when the transfer started (or, without createdAt, about
  // when this page first showed the step).
  const firstSeen = useFirstSeen(transfer?.status === 'awaiting_admin_code' ? `transfer:${transfer.id}:${transfer.status}` : null);
  const codeSentAt = firstSeen === null ? null : Math.min(firstSeen, Date.parse(transfer?.createdAt ?? '') || firstSeen);

  const candidates = (members.data ?? []).filter((m) => m.role !== 'admin');

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!memberId) {
      setError(translate('admin.transfer.pick_member'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await apiFetch<{ transfer: Transfer }>('/api/console/admin-transfer', { body: { memberId } });
      setTransfer(res.transfer);
      setCode('');
      notify(translate('admin.transfer.started'), { type: 'info' });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!transfer) return;
    if (!/^\d{6}$/.test(code.trim())) {
      setError(translate('sf.sms.code_invalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/admin-transfers/${encodeURIComponent(transfer.id)}/confirm`, { body: { code: code.trim() } });
      notify(translate('admin.transfer.confirmed'), { type: 'success' });
      setCode('');
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    const res = await apiFetch<{ transfer: Transfer | null }>('/api/console/admin-transfer/cancel', { method: 'POST' });
    setTransfer(res.transfer);
    setCancelling(false);
    notify(translate('admin.transfer.cancelled'), { type: 'info' });
  };

  return (
    <Box sx={{ maxWidth: 760, mt: 1 }} data-testid="admin-transfer-page">
      <Title title={translate('admin.transfer.title')} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
            <SwapHorizIcon />
            <Typography variant="h6">{translate('admin.transfer.title')}</Typography>
          </Stack>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('admin.transfer.intro')}
          </Typography>

          {state.loading && !state.data && !state.error && <CircularProgress size={24} />}
          {lostAccess && transfer?.status === 'awaiting_target_code' ? (
            <Alert
              severity="success"
              data-testid="transfer-completed"
              action={
                <Button color="inherit" size="small" href="/">
                  {translate('sf.common.portal')}
                </Button>
              }
            >
              {translate('admin.transfer.completed_left')}
            </Alert>
          ) : state.error && (
            <Alert
              severity={lostAccess ? 'warning' : 'error'}
              data-testid="error-message"
              role="alert"
              action={
                lostAccess ? (
                  <Button color="inherit" size="small" href="/">
                    {translate('sf.common.portal')}
                  </Button>
                ) : undefined
              }
            >
              {state.error.message}
            </Alert>
          )}

          {transfer && !lostAccess && <TransferState t={transfer} />}

          {running && transfer?.status === 'awaiting_admin_code' && (
            <Box component="form" onSubmit={confirm} noValidate sx={{ mt: 2 }}>
              <Typography variant="body2" sx={{ mb: 1 }}>
                {translate('admin.transfer.enter_code')}
              </Typography>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
                <TextField
                  label={translate('sf.sms.code')}
                  size="small"
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                  autoComplete="one-time-code"
                  disabled={busy}
                  sx={{ width: 180 }}
                  slotProps={{ htmlInput: { 'data-testid': 'transfer-code', inputMode: 'numeric', maxLength: 6 } }}
                />
                <SmsCodeButton
                  request={() => apiFetch(`/api/admin-transfers/${encodeURIComponent(transfer.id)}/resend-code`, { method: 'POST' })}
                  onError={setError}
                  disabled={busy}
                  sentAt={codeSentAt}
                  testId="transfer-resend"
                />
                <Button type="submit" variant="contained" disabled={busy} data-testid="transfer-submit" sx={{ height: 40, whiteSpace: 'nowrap', flexShrink: 0 }} startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
                  {translate('admin.transfer.confirm')}
                </Button>
              </Stack>
            </Box>
          )}

          {running && transfer?.status === 'awaiting_target_code' && (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="transfer-waiting">
              {translate('admin.transfer.waiting', { name: transfer.toName })}
            </Alert>
          )}

          {running && (
            <Button color="error" variant="outlined" sx={{ mt: 2 }} onClick={() => setCancelling(true)} disabled={busy} data-testid="transfer-cancel">
              {translate('admin.transfer.cancel')}
            </Button>
          )}

          {transfer?.status === 'completed' && (
            <Alert severity="success" sx={{ mt: 2 }} data-testid="transfer-completed">
              {translate('admin.transfer.completed_hint')}
            </Alert>
          )}

          {!running && state.data && !lostAccess && (
            <Box component="form" onSubmit={start} noValidate sx={{ mt: 3 }} data-testid="transfer-start-form">
              <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
                {translate('admin.transfer.start_title')}
              </Typography>
              {candidates.length === 0 && !members.loading ? (
                <Typography variant="body2" color="text.secondary" data-testid="transfer-no-candidates">
                  {translate('admin.transfer.no_candidates')}
                </Typography>
              ) : (
                <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
                  <TextField
                    select
                    label={translate('admin.transfer.member')}
                    value={memberId}
                    onChange={(e) => setMemberId(e.target.value)}
                    disabled={busy}
                    size="small"
                    sx={{ minWidth: 300 }}
                    helperText={translate('admin.transfer.member_hint')}
                    slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'transfer-member-select' }, inputLabel: { shrink: true } }}
                  >
                    <option value="">{translate('admin.transfer.choose')}</option>
                    {candidates.map((m) => (
                      <option key={m.id} value={m.id} disabled={m.realNameStatus !== 'verified'}>
                        {translate('admin.transfer.member_option', { name: m.name, mobile: m.mobileMasked })}
                        {m.realNameStatus !== 'verified' ? ` · ${translate('admin.transfer.not_verified')}` : ''}
                      </option>
                    ))}
                  </TextField>
                  <Button type="submit" variant="contained" disabled={busy} data-testid="transfer-start" sx={{ height: 40, whiteSpace: 'nowrap', flexShrink: 0 }} startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
                    {translate('admin.transfer.start')}
                  </Button>
                </Stack>
              )}
            </Box>
          )}
          <ApiErrorAlert error={error} />
        </CardContent>
      </Card>
      <ConfirmDialog
        open={cancelling}
        title={translate('admin.transfer.cancel')}
        content={translate('admin.transfer.cancel_content')}
        confirmLabel={translate('admin.transfer.cancel')}
        confirmTestId="transfer-cancel-confirm"
        danger
        onClose={() => setCancelling(false)}
        onConfirm={cancel}
      />
    </Box>
  );
};
