import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ParticipantStatus } from '../types';

const COLORS: Record<ParticipantStatus, ChipProps['color']> = {
  waiting: 'default',
  pending: 'warning',
  signed: 'success',
  refused: 'error',
};

export const SignerStatusChip = ({ status }: { status: ParticipantStatus }) => {
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
