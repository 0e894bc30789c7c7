import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import DrawIcon from '@mui/icons-material/Draw';
import { useLocaleState, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { ContractStatusChip } from '../../../../ui-shared/src/components/ContractStatusChip';
import { formatDateTime } from '../../../../ui-shared/src/format';
import type { Contract } from '../../../../ui-shared/src/types';
import { contractUrls } from './contractUrls';
import { SignDialog } from './SignDialog';

const InfoItem = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <Box sx={{ minWidth: 150 }}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="body2" data-testid={testId}>
      {value}
    </Typography>
  </Box>
);

/** Title, status, key dates, 下载 and (when it is my turn) 签署. */
export const ContractHeader = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<Contract>();
  const refresh = useRefresh();
  const [signing, setSigning] = useState(false);
  if (!record) return null;
  const fmt = (v: string | null) => formatDateTime(v, locale);

  return (
    <Card>
      <CardContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <Typography variant="h5" component="h1" data-testid="contract-title" sx={{ wordBreak: 'break-all' }}>
              {record.title}
            </Typography>
            <ContractStatusChip size="medium" />
          </Stack>
          <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
            {record.myTurn && (
              <Button variant="contained" color="primary" startIcon={<DrawIcon />} onClick={() => setSigning(true)} data-testid="sign-button">
                {translate('portal.show.sign')}
              </Button>
            )}
            <Button
              variant="outlined"
              startIcon={<DownloadIcon />}
              href={contractUrls.download(record.id)}
              data-testid="download-link"
            >
              {translate('portal.show.download')}
            </Button>
          </Stack>
        </Stack>
        {record.myTurn && (
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="my-turn-hint">
            {translate('portal.show.your_turn')}
          </Alert>
        )}
        <Stack direction="row" sx={{ mt: 2, flexWrap: 'wrap', gap: 2 }}>
          <InfoItem label={translate('sf.contract.initiator')} value={record.initiatorName ?? '—'} testId="contract-initiator" />
          <InfoItem label={translate('sf.contract.created_at')} value={fmt(record.createdAt)} />
          <InfoItem label={translate('sf.contract.expires_at')} value={fmt(record.expiresAt)} testId="contract-expires-at" />
          {record.completedAt && <InfoItem label={translate('sf.contract.completed_at')} value={fmt(record.completedAt)} />}
          {record.voidedAt && <InfoItem label={translate('sf.contract.voided_at')} value={fmt(record.voidedAt)} />}
          <InfoItem label={translate('sf.contract.page_count')} value={String(record.pageCount ?? '—')} />
        </Stack>
      </CardContent>
      {signing && (
        <SignDialog
          contract={record}
          onClose={() => setSigning(false)}
          onSigned={() => {
            setSigning(false);
            refresh(); // the record, and the 待我签署 count in the menu
          }}
        />
      )}
    </Card>
  );
};
