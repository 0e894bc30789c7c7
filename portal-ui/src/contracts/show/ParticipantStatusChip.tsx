import { Chip, type ChipProps } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { apiLabel } from '../../../../ui-shared/src/types';
import type { ParticipantView, ParticipantStatus } from '../types';

const COLORS: Record<ParticipantStatus, ChipProps['color']> = {
  waiting: 'default',
  pending: 'warning',
  signed: 'success',
  refused: 'error',
};

/** 等待中 / 待签署 / 已签署 / 已拒签 (the API's label when it sends one). */
export const ParticipantStatusChip = ({ participant }: { participant: ParticipantView }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const label =
    apiLabel(participant.statusLabel, participant.statusLabelEn, locale) ||
    translate(`portal.contracts.show.participant_${participant.status}`, { _: participant.status });
  return (
    <Chip
      size="small"
      variant={participant.status === 'waiting' ? 'outlined' : 'filled'}
      color={COLORS[participant.status] ?? 'default'}
      label={label}
      data-testid="participant-status"
      data-status={participant.status}
    />
  );
};
