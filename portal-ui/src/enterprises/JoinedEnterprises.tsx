import { useState } from 'react';
import { Box, Button, Chip, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import GroupAddIcon from '@mui/icons-material/GroupAdd';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { stackedOnPhoneSx } from '../../../ui-shared/src/components/stackedTable';
import { StatusChip, useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime } from '../../../ui-shared/src/format';
import { AdminApplyDialog } from './AdminApplyDialog';
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

  return (
    <Box>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 1, gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary">
          {translate('portal.joined.intro')}
        </Typography>
        <Button variant="contained" startIcon={<GroupAddIcon />} onClick={() => setJoining(true)} data-testid="join-open">
          {translate('portal.join.open')}
        </Button>
      </Stack>
      {rows.length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }} data-testid="memberships-empty">
          {translate('portal.joined.empty')}
        </Typography>
      ) : (
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="memberships-table" sx={[{ '& th': { whiteSpace: 'nowrap' } }, stackedOnPhoneSx]}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('portal.enterprises.name')}</TableCell>
                <TableCell>{translate('portal.enterprises.uscc')}</TableCell>
                <TableCell>{translate('portal.joined.role')}</TableCell>
                <TableCell>{translate('portal.enterprises.status')}</TableCell>
                <TableCell>{translate('portal.joined.applied_at')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((m) => {
                const adminPending = m.adminApplicationStatus === 'pending';
                const canApplyAdmin = m.status === 'active' && m.role !== 'admin' && !adminPending;
                return (
                  <TableRow key={m.membershipId} data-testid="membership-row" data-id={m.membershipId} data-enterprise-id={m.enterpriseId} data-status={m.status}>
                    <TableCell data-label={translate('portal.enterprises.name')}>{m.enterpriseName}</TableCell>
                    <TableCell data-label={translate('portal.enterprises.uscc')} sx={{ fontFamily: 'monospace' }}>
                      {m.uscc}
                    </TableCell>
                    <TableCell data-label={translate('portal.joined.role')} data-testid="membership-role" data-role={m.role}>
                      {m.status === 'active' ? roleLabel(m.role, m.roleLabel, m.roleLabelEn) : '—'}
                    </TableCell>
                    <TableCell data-label={translate('portal.enterprises.status')}>
                      <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
                        <StatusChip kind="membership" status={m.status} label={m.statusLabel} labelEn={m.statusLabelEn} testId="membership-status" />
                        {m.adminApplicationStatus && m.adminApplicationStatus !== 'approved' && m.status === 'active' && (
                          <Chip
                            size="small"
                            variant="outlined"
                            color={adminPending ? 'warning' : 'default'}
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
                    </TableCell>
                    <TableCell data-label={translate('portal.joined.applied_at')} sx={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(m.appliedAt, locale)}
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      {m.status === 'pending' && (
                        <Button size="small" color="error" onClick={() => setWithdrawing(m)} data-testid="membership-withdraw">
                          {translate('portal.joined.withdraw')}
                        </Button>
                      )}
                      {canApplyAdmin && (
                        <Button size="small" variant="outlined" onClick={() => setApplying(m)} data-testid="admin-apply-open">
                          {translate('portal.admin_apply.open')}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
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
    </Box>
  );
};
