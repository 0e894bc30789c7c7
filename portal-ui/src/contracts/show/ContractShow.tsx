import { Box, Card, CardContent, CardHeader, Grid } from '@mui/material';
import { ListButton, Show, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import { SignersTable } from '../../../../ui-shared/src/components/SignersTable';
import type { Contract } from '../../../../ui-shared/src/types';
import { AuditTrail } from './AuditTrail';
import { ContractHeader } from './ContractHeader';
import { DocumentPreview } from './DocumentPreview';

const ShowActions = () => <TopToolbar><ListButton /></TopToolbar>;

const ContractTitle = () => {
  const record = useRecordContext<Contract>();
  const translate = useTranslate();
  return <>{record ? record.title : translate('portal.show.title')}</>;
};

/** A version key that changes whenever signing progresses (refreshes preview and audit). */
export const contractVersion = (c: Contract) =>
  `${c.status}:${c.documentVersion ?? ''}:${c.signers.map((s) => `${s.id}=${s.status}`).join(',')}`;

const ContractDetail = () => {
  const translate = useTranslate();
  const record = useRecordContext<Contract>();
  if (!record) return null;
  const version = contractVersion(record);
  return (
    <Box data-testid="contract-show" data-contract-id={record.id} sx={{ mt: 1 }}>
      <ContractHeader />
      <Card sx={{ mt: 2 }}>
        <CardHeader title={translate('sf.contract.signers')} slotProps={{ title: { variant: 'h6' } }} />
        <CardContent sx={{ pt: 0 }}>
          <SignersTable signers={record.signers} />
        </CardContent>
      </Card>
      <Grid container spacing={2} sx={{ mt: 2 }}>
        <Grid size={{ xs: 12, lg: 7 }}>
          <DocumentPreview contractId={record.id} version={version} />
        </Grid>
        <Grid size={{ xs: 12, lg: 5 }}>
          <AuditTrail contractId={record.id} version={version} />
        </Grid>
      </Grid>
    </Box>
  );
};

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
