import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../ui-shared/src/format';
import { ChangeStatusChip } from './ChangeStatusChip';
import type { EnterpriseChangeView } from './types';

/** 变更记录: every name and legal-representative change, newest first. data-testid: enterprise-info-history, change-row. */
export const ChangeHistory = ({ rows }: { rows: EnterpriseChangeView[] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`enterpriseInfo.history.${key}`, opts);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid="enterprise-info-history-empty">
        {t('empty')}
      </Typography>
    );
  }
  return (
    <Table size="small" data-testid="enterprise-info-history">
      <TableHead>
        <TableRow>
          <TableCell>{t('seq')}</TableCell>
          <TableCell>{t('kind')}</TableCell>
          <TableCell>{t('change')}</TableCell>
          <TableCell>{t('status')}</TableCell>
          <TableCell>{t('started')}</TableCell>
          <TableCell>{t('ended')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((c) => (
          <TableRow key={c.id} data-testid="change-row" data-kind={c.kind} data-status={c.status}>
            <TableCell>{c.seq}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate(`enterpriseInfo.kind.${c.kind}`)}</TableCell>
            <TableCell sx={{ overflowWrap: 'anywhere' }}>
              {c.oldValue} → {c.newValue ?? '—'}
              {c.rejectReason && (
                <Typography variant="caption" color="error" component="div">
                  {translate('enterpriseInfo.change.reject_reason', { reason: c.rejectReason })}
                </Typography>
              )}
              {c.endReason && (
                <Typography variant="caption" color="text.secondary" component="div">
                  {translate(`enterpriseInfo.end_reason.${c.endReason}`, { _: c.endReason })}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <ChangeStatusChip status={c.status} testId="change-status" />
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.createdAt, locale)}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{c.endedAt ? formatDateTime(c.endedAt, locale) : '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
