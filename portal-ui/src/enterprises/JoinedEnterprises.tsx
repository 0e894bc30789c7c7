import { useState } from 'react';
import { Button, Chip, Stack, Typography } from '@mui/material';
import GroupAddIcon from '@mui/icons-material/GroupAdd';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { StatusChip, useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime } from '../../../ui-shared/src/format';
import { AdminApplyDialog } from './AdminApplyDialog';
import { EnterpriseTable, type EnterpriseColumn } from './EnterpriseTable';
import { JoinDialog } from './JoinDialog';
import type { JoinedEnterprise } from './types';

/** 我加入的企业: memberships and applications; 撤回申请, 申请成为管理员, 加入企业. */
export const JoinedEnterprises = ({ rows, onChanged }: { rows: JoinedEnterprise[]; onChanged: () => void }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const roleLabel = useRoleLabel();
  const [joining, setJoining] = useState(false);
  const [withdrawing, setWithdrawing] = useState<JoinedEnterprise | null>(null);
  const [applying, setApplying] = useState<JoinedEnterprise | null>(null);

  const withdraw = async () => {
    if (!withdrawing) return;
    await apiFetch(`/api/memberships/${encodeURIComponent(withdrawing.membershipId)}/withdraw`, { method: 'POST' });
    notify(translate('portal.joined.withdrawn'), { type: 'info' });
    setWithdrawing(null);
    onChanged();
  };

  const columns: EnterpriseColumn<JoinedEnterprise>[] = [
    { label: translate('portal.enterprises.name'), render: (m) => m.enterpriseName },
    { label: translate('portal.enterprises.uscc'), render: (m) => m.uscc, sx: { fontFamily: 'monospace' } },
    {
      label: translate('portal.joined.role'),
      render: (m) => (m.status === 'active' ? roleLabel(m.role, m.roleLabel, m.roleLabelEn) : '—'),
      cellProps: (m) => ({ 'data-testid': 'membership-role', 'data-role': m.role }),
    },
    {
      label: translate('portal.enterprises.status'),
      render: (m) => (
        <>
          <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
            <StatusChip kind="membership" status={m.status} label={m.statusLabel} labelEn={m.statusLabelEn} testId="membership-status" />
            {m.adminApplicationStatus && m.adminApplicationStatus !== 'approved' && m.status === 'active' && (
              <Chip
                size="small"
                variant="outlined"
                color={m.adminApplicationStatus === 'pending' ? 'warning' : 'default'}
                label={translate(`portal.joined.admin_application_${m.adminApplicationStatus}`, { _: m.adminApplicationStatus })}
                data-testid="admin-application-status"
                data-status={m.adminApplicationStatus}
              />
            )}
          </Stack>
          {m.status === 'rejected' && m.rejectReason && (
            <Typography variant="caption" color="error" component="div" data-testid="membership-reject-reason">
              {m.rejectReason}
            </Typography>
          )}
        </>
      ),
    },
    { label: translate('portal.joined.applied_at'), render: (m) => formatDateTime(m.appliedAt, locale), sx: { whiteSpace: 'nowrap' } },
  ];
  const canApplyAdmin = (m: JoinedEnterprise) => m.status === 'active' && m.role !== 'admin' && m.adminApplicationStatus !== 'pending';

  return (
    <EnterpriseTable
      intro={translate('portal.joined.intro')}
      action={
        <Button variant="contained" startIcon={<GroupAddIcon />} onClick={() => setJoining(true)} data-testid="join-open">
          {translate('portal.join.open')}
        </Button>
      }
      emptyText={translate('portal.joined.empty')}
      emptyTestId="memberships-empty"
      tableTestId="memberships-table"
      rows={rows}
      rowKey={(m) => m.membershipId}
      rowProps={(m) => ({ 'data-testid': 'membership-row', 'data-id': m.membershipId, 'data-enterprise-id': m.enterpriseId, 'data-status': m.status })}
      columns={columns}
      actions={(m) => (
        <>
          {m.status === 'pending' && (
            <Button size="small" color="error" onClick={() => setWithdrawing(m)} data-testid="membership-withdraw">
              {translate('portal.joined.withdraw')}
            </Button>
          )}
          {canApplyAdmin(m) && (
            <Button size="small" variant="outlined" onClick={() => setApplying(m)} data-testid="admin-apply-open">
              {translate('portal.admin_apply.open')}
            </Button>
          )}
        </>
      )}
    >
      {joining && (
        <JoinDialog
          onClose={() => setJoining(false)}
          onDone={() => {
            setJoining(false);
            onChanged();
          }}
        />
      )}
      {applying && (
        <AdminApplyDialog
          membership={applying}
          onClose={() => setApplying(null)}
          onDone={() => {
            setApplying(null);
            onChanged();
          }}
        />
      )}
      <ConfirmDialog
        open={!!withdrawing}
        title={translate('portal.joined.withdraw_title')}
        content={translate('portal.joined.withdraw_content', { name: withdrawing?.enterpriseName ?? '' })}
        confirmLabel={translate('portal.joined.withdraw')}
        confirmTestId="membership-withdraw-confirm"
        danger
        onClose={() => setWithdrawing(null)}
        onConfirm={withdraw}
      />
    </EnterpriseTable>
  );
};
