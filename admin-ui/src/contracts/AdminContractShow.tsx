import { Box, Button, Card, CardContent, CardHeader, Stack } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import { Link as RouterLink } from 'react-router-dom';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { ContractStatusChip } from '../../../ui-shared/src/components/ContractStatusChip';
import { ParticipantsTable } from '../../../ui-shared/src/components/ParticipantsTable';
import { formatDateTime } from '../../../ui-shared/src/format';
import type { Contract } from '../../../ui-shared/src/types';
import { DetailField, type DetailFieldProps } from '../detail/DetailField';
import { DetailHeading } from '../detail/DetailHeading';
import { RecordShow } from '../detail/RecordShow';
import { TemporalLink } from './TemporalLink';

const Item = (props: DetailFieldProps) => <DetailField sx={{ minWidth: 160 }} variant="body2" breakAll {...props} />;

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
          <DetailHeading title={record.title} titleTestId="contract-title">
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
          </DetailHeading>
          <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 2 }}>
            <Item label={translate('admin.contracts.id')}>{String(record.id)}</Item>
            <Item label={translate('sf.contract.initiator')}>{record.initiatorName}</Item>
            <Item label={translate('sf.contract.created_at')}>{fmt(record.createdAt)}</Item>
            <Item label={translate('sf.contract.expires_at')}>{fmt(record.expiresAt)}</Item>
            {record.completedAt && <Item label={translate('sf.contract.completed_at')}>{fmt(record.completedAt)}</Item>}
            {record.voidedAt && <Item label={translate('sf.contract.voided_at')}>{fmt(record.voidedAt)}</Item>}
            {record.voidNote && <Item label={translate('sf.contract.void_note')}>{record.voidNote}</Item>}
            {record.contractNo && <Item label={translate('sf.contract.contract_no')}>{record.contractNo}</Item>}
            <Item label={translate('sf.contract.page_count')}>{record.pageCount ?? '—'}</Item>
            {record.workflowId && <Item label={translate('admin.contracts.workflow_id')}>{record.workflowId}</Item>}
          </Stack>
        </CardContent>
      </Card>
      <Card>
        <CardHeader title={translate('sf.contract.signers')} slotProps={{ title: { variant: 'h6' } }} />
        <CardContent sx={{ pt: 0 }}>
          <ParticipantsTable participants={record.participants} />
        </CardContent>
      </Card>
    </Stack>
  );
};

export const AdminContractShow = () => (
  <RecordShow titleField="title" titleFallbackKey="admin.contracts.detail" shrinkable>
    <ContractDetail />
  </RecordShow>
);
