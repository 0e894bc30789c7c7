import { Box, Button, Card, CardContent, CardHeader, Stack, Typography } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import { Link as RouterLink } from 'react-router-dom';
import { ListButton, Show, TopToolbar, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { ContractStatusChip } from '../../../ui-shared/src/components/ContractStatusChip';
import { SignersTable } from '../../../ui-shared/src/components/SignersTable';
import { formatDateTime } from '../../../ui-shared/src/format';
import type { Contract } from '../../../ui-shared/src/types';
import { TemporalLink } from './TemporalLink';

const Item = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Box sx={{ minWidth: 160 }}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="body2" component="div" sx={{ wordBreak: 'break-all' }}>
      {children}
    </Typography>
  </Box>
);

const ContractDetail = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<Contract>();
  if (!record) return null;
  const fmt = (v: string | null) => formatDateTime(v, locale);
  return (
    <Stack spacing={2} sx={{ mt: 1 }} data-testid="admin-contract-show">
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 2 }}>
            <Typography variant="h5" component="h1" data-testid="contract-title">
              {record.title}
            </Typography>
            <ContractStatusChip size="medium" />
            <Box sx={{ flex: 1 }} />
            <Button
              component={RouterLink}
              to={{ pathname: '/audit-events', search: `?filter=${encodeURIComponent(JSON.stringify({ targetId: String(record.id) }))}` }}
              variant="outlined"
              size="small"
              startIcon={<HistoryIcon />}
              data-testid="contract-audit-link"
            >
              {translate('admin.audit.view_for_contract')}
            </Button>
            <TemporalLink variant="button" />
          </Stack>
          <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 2 }}>
            <Item label={translate('admin.contracts.id')}>{String(record.id)}</Item>
            <Item label={translate('sf.contract.initiator')}>{record.initiatorName}</Item>
            <Item label={translate('sf.contract.created_at')}>{fmt(record.createdAt)}</Item>
            <Item label={translate('sf.contract.expires_at')}>{fmt(record.expiresAt)}</Item>
            {record.completedAt && <Item label={translate('sf.contract.completed_at')}>{fmt(record.completedAt)}</Item>}
            {record.voidedAt && <Item label={translate('sf.contract.voided_at')}>{fmt(record.voidedAt)}</Item>}
            <Item label={translate('sf.contract.page_count')}>{record.pageCount ?? '—'}</Item>
            {record.workflowId && <Item label={translate('admin.contracts.workflow_id')}>{record.workflowId}</Item>}
          </Stack>
        </CardContent>
      </Card>
      <Card>
        <CardHeader title={translate('sf.contract.signers')} slotProps={{ title: { variant: 'h6' } }} />
        <CardContent sx={{ pt: 0 }}>
          <SignersTable signers={record.signers} />
        </CardContent>
      </Card>
    </Stack>
  );
};

const Title = () => {
  const record = useRecordContext<Contract>();
  const translate = useTranslate();
  return <>{record?.title ?? translate('admin.contracts.detail')}</>;
};

export const AdminContractShow = () => (
  <Show
    title={<Title />}
    component="div"
    actions={
      <TopToolbar>
        <ListButton />
      </TopToolbar>
    }
    sx={{ '& .RaShow-card': { minWidth: 0 } }}
  >
    <ContractDetail />
  </Show>
);
