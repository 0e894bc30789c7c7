import { Chip, type ChipProps } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { apiLabel } from '../types';

export type StatusKind = 'realName' | 'enterprise' | 'membership' | 'application' | 'transfer';

const COLORS: Record<string, ChipProps['color']> = {
  verified: 'success',
  certified: 'success',
  active: 'success',
  approved: 'success',
  completed: 'success',
  pending: 'warning',
  awaiting_admin_code: 'warning',
  awaiting_target_code: 'warning',
  rejected: 'error',
  failed: 'error',
  expired: 'default',
  cancelled: 'default',
  withdrawn: 'default',
  removed: 'default',
  unverified: 'default',
};

/**
 * A status chip: the label is translated from the status code (sf.status.<kind>.<status>),
 * falling back to the API's label. data-status carries the code.
 */
export const StatusChip = ({
  kind,
  status,
  label,
  labelEn,
  testId = 'status-chip',
  size = 'small',
}: {
  kind: StatusKind;
  status: string | null | undefined;
  label?: string | null;
  labelEn?: string | null;
  testId?: string;
  size?: ChipProps['size'];
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!status) return null;
  const text = translate(`sf.status.${kind}.${status}`, { _: apiLabel(label, labelEn, locale) || status });
  const color = COLORS[status] ?? 'default';
  return (
    <Chip
      size={size}
      color={color}
      variant={color === 'default' ? 'outlined' : 'filled'}
      label={text}
      data-testid={testId}
      data-status={status}
    />
  );
};

/** 管理员 / 印章管理员 / 普通成员 in the UI locale. */
export const useRoleLabel = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (role: string | null | undefined, label?: string | null, labelEn?: string | null) =>
    role ? translate(`sf.roles.${role}`, { _: apiLabel(label, labelEn, locale) || role }) : '';
};
