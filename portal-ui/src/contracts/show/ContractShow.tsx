import { Box, Grid } from '@mui/material';
import { ListButton, Show, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { ContractView } from '../types';
import { ContractTrail } from './ContractTrail';
import { ContractHeader } from './ContractHeader';
import { DocumentPreview } from './DocumentPreview';
import { ParticipantsByStep } from './ParticipantsByStep';

const ShowActions = () => <TopToolbar><ListButton /></TopToolbar>;

const ContractTitle = () => {
  const record = useRecordContext<ContractView>();
  const translate = useTranslate();
  return <>{record ? record.title : translate('portal.contracts.show.title')}</>;
};

/** A version key that changes whenever the contract moves on (refreshes preview and trail). */
export const contractVersion = (c: ContractView) =>
  `${c.status}:${c.documentVersion ?? ''}:${c.participants.map((p) => `${p.id}=${p.status}:${p.lastUrgedAt ?? ''}`).join(',')}`;

const ContractDetail = () => {
  const record = useRecordContext<ContractView>();
  if (!record) return null;
  const version = contractVersion(record);
  return (
    <Box data-testid="contract-show" data-contract-id={record.id} data-status={record.status} sx={{ mt: 1 }}>
      <ContractHeader contract={record} />
      <Grid container spacing={2} sx={{ mt: 2 }}>
        <Grid size={{ xs: 12, lg: 5 }}>
          <ParticipantsByStep contract={record} />
          <Box sx={{ mt: 2 }}>
            <ContractTrail contractId={record.id} version={version} />
          </Box>
        </Grid>
        <Grid size={{ xs: 12, lg: 7 }}>
          <DocumentPreview contract={record} version={version} />
        </Grid>
      </Grid>
    </Box>
  );
};

/** 合同详情: header with actions, participants by step + CC, 签署轨迹, the document with its marks. */
export const ContractShow = () => (
  <Show
    title={<ContractTitle />}
    actions={<ShowActions />}
    component="div"
    queryOptions={{ refetchOnWindowFocus: true }}
    sx={{ '& .RaShow-card': { minWidth: 0 } }}
  >
    <ContractDetail />
  </Show>
);
