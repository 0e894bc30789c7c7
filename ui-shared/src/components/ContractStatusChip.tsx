import { Chip, type ChipProps } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { Contract } from '../types';

const COLORS: Record<Contract['status'], ChipProps['color']> = {
  /** 创建中: internal, operators only (was the `?? 'default'` fallback below). */
  starting: 'default',
  in_progress: 'primary',
  completed: 'success',
  voided: 'default',
};

/** 签署中 / 已完成 / 已作废（拒签 / 撤销 / 过期 / 平台撤销）. Reads the record context unless `contract` is given. */
export const ContractStatusChip = ({ contract, size = 'small' }: { contract?: Contract; size?: ChipProps['size'] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<Contract>({ record: contract });
  if (!record) return null;
  // The server's label names the void reason (已作废（拒签）); the status alone is the fallback.
  const serverLabel = locale === 'en' ? record.statusLabelEn : record.statusLabel;
  const label = serverLabel ?? translate(`sf.contract.status_${record.status}`, { _: record.status });
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
