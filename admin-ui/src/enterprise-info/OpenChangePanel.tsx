import { useState } from 'react';
import { Alert, Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { formatDateTime } from '../../../ui-shared/src/format';
import { ChangeStatusChip } from './ChangeStatusChip';
import { SubmitRecertificationForm } from './SubmitRecertificationForm';
import { SUBMITTABLE, type EnterpriseChangeView, type EnterpriseInfo } from './types';

/**
 * The open 变更企业名称 (re-certification): status, old → new name, deadline, reject reason; for the
 * 管理员 the 提交重新认证 form, 放弃变更 (only before submission). Without an open change while the
 * enterprise is still 待重新认证 (the last one lapsed): 开始重新认证.
 * data-testids: recertification-panel, recertification-status, recertification-names,
 * recertification-deadline, recertification-reject-reason-shown, recertification-abandon,
 * recertification-abandon-confirm, recertification-restart, recertification-under-review.
 */
export const OpenChangePanel = ({ info, canEdit, onChanged }: { info: EnterpriseInfo; canEdit: boolean; onChanged: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [abandoning, setAbandoning] = useState(false);
  const [restarting, setRestarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change: EnterpriseChangeView | null = info.openChange;

  const abandon = async () => {
    if (!change) return;
    await apiFetch(`/api/console/enterprise-changes/${encodeURIComponent(change.id)}/abandon`, { method: 'POST' });
    setAbandoning(false);
    notify(translate('enterpriseInfo.change.abandoned'), { type: 'info' });
    onChanged();
  };

  const restart = async () => {
    setRestarting(true);
    setError(null);
    try {
      await apiFetch('/api/console/enterprise-changes/restart', { method: 'POST' });
      notify(translate('enterpriseInfo.change.restarted'), { type: 'info' });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRestarting(false);
    }
  };

  if (!change) {
    if (info.standing !== 'recertifying') return null;
    const last = info.history.find((h) => h.kind === 'rename');
    return (
      <Box data-testid="recertification-panel" data-status="none">
        <Alert severity="warning" data-testid="recertification-lapsed">
          {translate('enterpriseInfo.change.lapsed_hint')}
          {last?.endedAt ? ` ${translate('enterpriseInfo.change.ended_at', { time: formatDateTime(last.endedAt, locale) })}` : ''}
        </Alert>
        {canEdit && info.canRestart !== false && (
          <Button variant="contained" sx={{ mt: 2 }} onClick={restart} disabled={restarting} data-testid="recertification-restart" startIcon={restarting ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('enterpriseInfo.change.restart')}
          </Button>
        )}
        <ApiErrorAlert error={error} />
      </Box>
    );
  }

  const submittable = SUBMITTABLE.includes(change.status);
  return (
    <Box data-testid="recertification-panel" data-status={change.status} data-change-id={change.id}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 1 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate('enterpriseInfo.change.title', { seq: change.seq })}
        </Typography>
        <ChangeStatusChip status={change.status} />
      </Stack>
      <Typography variant="body2" data-testid="recertification-names">
        {translate('enterpriseInfo.change.names', { from: change.oldValue, to: change.newValue ?? '—' })}
      </Typography>
      {change.submittedAt && (
        <Typography variant="caption" color="text.secondary" component="p">
          {translate('enterpriseInfo.change.submitted_at', { time: formatDateTime(change.submittedAt, locale) })}
        </Typography>
      )}
      {change.deadlineAt && submittable && (
        <Typography variant="body2" color="warning.main" data-testid="recertification-deadline" sx={{ mt: 0.5 }}>
          {translate(change.status === 'drafting' ? 'enterpriseInfo.change.draft_deadline' : 'enterpriseInfo.change.submit_deadline', { time: formatDateTime(change.deadlineAt, locale) })}
        </Typography>
      )}
      <Alert severity={change.status === 'rejected' ? 'error' : 'info'} sx={{ mt: 1.5 }} data-testid={change.status === 'under_review' ? 'recertification-under-review' : 'recertification-hint'}>
        {translate(`enterpriseInfo.change.hint_${change.status}`, { _: '' })}
        {change.status === 'rejected' && change.rejectReason && (
          <Box component="span" data-testid="recertification-reject-reason-shown" sx={{ display: 'block', mt: 0.5 }}>
            {translate('enterpriseInfo.change.reject_reason', { reason: change.rejectReason })}
          </Box>
        )}
      </Alert>
      {canEdit && submittable && <SubmitRecertificationForm key={`${change.id}:${change.status}`} change={change} impact={info.impact} onDone={onChanged} />}
      {canEdit && change.status === 'drafting' && (
        <Box sx={{ mt: 2 }}>
          <Button color="error" variant="outlined" onClick={() => setAbandoning(true)} data-testid="recertification-abandon">
            {translate('enterpriseInfo.change.abandon')}
          </Button>
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.5 }}>
            {translate('enterpriseInfo.change.abandon_hint')}
          </Typography>
        </Box>
      )}
      <ConfirmDialog
        open={abandoning}
        title={translate('enterpriseInfo.change.abandon')}
        content={translate('enterpriseInfo.change.abandon_content', { name: change.oldValue })}
        confirmLabel={translate('enterpriseInfo.change.abandon')}
        confirmTestId="recertification-abandon-confirm"
        danger
        onClose={() => setAbandoning(false)}
        onConfirm={abandon}
      />
    </Box>
  );
};
