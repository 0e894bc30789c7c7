import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ContractStatusV2, VoidReasonV2 } from '../types';

// `starting` (never shown to users) has none: the default colour.
const COLORS: Partial<Record<ContractStatusV2, ChipProps['color']>> = {
  in_progress: 'primary',
  completed: 'success',
  voided: 'default',
};

/** The i18n key of a void reason's label: 过期 / 拒签 / 撤销 / 平台撤销. */
export const voidReasonKey = (reason: VoidReasonV2) => `portal.contracts.list.void_${reason}`;

/** 签署中 / 已完成 / 已作废（拒签）: status with the void reason, for lists and the contract page. */
export const ContractStateChip = ({
  status,
  voidReason,
  size = 'small',
}: {
  status: ContractStatusV2;
  voidReason: VoidReasonV2 | null;
  size?: ChipProps['size'];
}) => {
  const translate = useTranslate();
  let label = translate(`portal.contracts.list.status_${status}`, { _: status });
  if (status === 'voided' && voidReason) label = translate('portal.contracts.list.voided_with_reason', { reason: translate(voidReasonKey(voidReason), { _: voidReason }) });
  return (
    <Chip
      size={size}
      color={COLORS[status] ?? 'default'}
      variant={status === 'voided' ? 'outlined' : 'filled'}
      label={label}
      data-testid="contract-status"
      data-status={status}
      data-void-reason={voidReason ?? undefined}
    />
  );
};
