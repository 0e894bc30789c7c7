import { Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import type { ReviewRecord } from './ReviewList';

/** 状态 column of a review list: the application's status chip, and the 驳回 reason under it. */
export const ApplicationStatusField = () => {
  const r = useRecordContext<ReviewRecord>();
  if (!r) return null;
  return (
    <>
      <StatusChip kind="application" status={r.status} label={r.statusLabel} />
      {r.rejectReason && (
        <Typography variant="caption" color="error" component="div">
          {r.rejectReason}
        </Typography>
      )}
    </>
  );
};
