import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SignerStatus } from '../types';

const COLORS: Record<SignerStatus, ChipProps['color']> = {
  waiting: 'default',
  pending: 'warning',
  signed: 'success',
};

export const SignerStatusChip = ({ status }: { status: SignerStatus }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      variant={status === 'waiting' ? 'outlined' : 'filled'}
      color={COLORS[status] ?? 'default'}
      label={translate(`sf.signer.status_${status}`, { _: status })}
      data-testid="signer-status"
      data-status={status}
    />
  );
};
