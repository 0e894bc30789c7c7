import { Chip, type ChipProps } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Contract } from '../types';

const COLORS: Record<Contract['status'], ChipProps['color']> = {
  in_progress: 'primary',
  completed: 'success',
  voided: 'default',
};

/** 进行中 / 已完成 / 已作废 (· 已过期). Reads the record context unless `contract` is given. */
export const ContractStatusChip = ({ contract, size = 'small' }: { contract?: Contract; size?: ChipProps['size'] }) => {
  const translate = useTranslate();
  const record = useRecordContext<Contract>({ record: contract });
  if (!record) return null;
  let label = translate(`sf.contract.status_${record.status}`, { _: record.statusLabel ?? record.status });
  if (record.status === 'voided' && record.voidReason === 'expired') {
    label += ` · ${translate('sf.contract.void_expired')}`;
  }
  return (
    <Chip
      size={size}
      color={COLORS[record.status] ?? 'default'}
      variant={record.status === 'voided' ? 'outlined' : 'filled'}
      label={label}
      data-testid="contract-status"
      data-status={record.status}
      data-void-reason={record.voidReason ?? undefined}
    />
  );
};
