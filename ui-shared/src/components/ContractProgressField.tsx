import { Box, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Contract } from '../types';

/** "张三、某公司 · 1/3 已签": the parties to sign now (while in progress) and the signed count. */
export const ContractProgressField = () => {
  const translate = useTranslate();
  const record = useRecordContext<Contract>();
  if (!record) return null;
  const participants = record.participants ?? [];
  const signed = participants.filter((p) => p.status === 'signed').length;
  const pending = record.status === 'in_progress' ? participants.filter((p) => p.status === 'pending') : [];
  return (
    <Box component="span" data-testid="contract-progress" sx={{ whiteSpace: 'nowrap' }}>
      {pending.length > 0 && (
        <Typography component="span" variant="body2" sx={{ fontWeight: 500 }} data-testid="current-signer">
          {pending.map((p) => p.name).join('、')}
          {' · '}
        </Typography>
      )}
      <Typography component="span" variant="body2" color="text.secondary">
        {translate('sf.contract.progress_value', { signed, total: participants.length })}
      </Typography>
    </Box>
  );
};
