import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ChangeStatus, EnterpriseStanding } from './types';

const COLORS: Record<ChangeStatus, ChipProps['color']> = {
  drafting: 'warning',
  awaiting_submission: 'warning',
  under_review: 'info',
  rejected: 'error',
  approved: 'success',
  completed: 'success',
  abandoned: 'default',
  lapsed: 'default',
};

/** A change's status (草稿 / 待提交 / 审核中 / 已驳回 / 已通过 / 已放弃 / 已失效 / 已完成); data-status carries the code. */
export const ChangeStatusChip = ({ status, testId = 'recertification-status', size = 'small' }: { status: ChangeStatus; testId?: string; size?: ChipProps['size'] }) => {
  const translate = useTranslate();
  const color = COLORS[status] ?? 'default';
  return (
    <Chip
      size={size}
      color={color}
      variant={color === 'default' ? 'outlined' : 'filled'}
      label={translate(`recertifications.status.${status}`, { _: status })}
      data-testid={testId}
      data-status={status}
    />
  );
};

/** 正常 / 待重新认证. */
export const StandingChip = ({ standing, size = 'small' }: { standing: EnterpriseStanding; size?: ChipProps['size'] }) => {
  const translate = useTranslate();
  return (
    <Chip
      size={size}
      color={standing === 'recertifying' ? 'warning' : 'success'}
      variant={standing === 'recertifying' ? 'filled' : 'outlined'}
      label={translate(`enterpriseInfo.standing.${standing}`, { _: standing })}
      data-testid="enterprise-standing"
      data-standing={standing}
      data-status={standing}
    />
  );
};
