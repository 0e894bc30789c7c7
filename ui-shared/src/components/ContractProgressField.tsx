import { Box, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Contract } from '../types';

/** "张三 · 1/2 已签": the pending signer (while in progress) and the signed count. */
export const ContractProgressField = () => {
  const translate = useTranslate();
  const record = useRecordContext<Contract>();
  if (!record) return null;
  const signers = record.signers ?? [];
  const signed = signers.filter((s) => s.status === 'signed').length;
  const pending = record.status === 'in_progress' ? signers.find((s) => s.status === 'pending') : undefined;
  return (
    <Box component="span" data-testid="contract-progress" sx={{ whiteSpace: 'nowrap' }}>
      {pending && (
        <Typography component="span" variant="body2" sx={{ fontWeight: 500 }} data-testid="current-signer">
          {pending.name}
          {' · '}
        </Typography>
      )}
      <Typography component="span" variant="body2" color="text.secondary">
        {translate('sf.contract.progress_value', { signed, total: signers.length })}
      </Typography>
    </Box>
  );
};
