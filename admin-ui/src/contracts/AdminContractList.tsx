import { useMediaQuery, type Theme } from '@mui/material';
import { DataTable, List, SearchInput, SelectInput, SimpleList, useTranslate } from 'react-admin';
import { ContractProgressField } from '../../../ui-shared/src/components/ContractProgressField';
import { ContractStatusChip } from '../../../ui-shared/src/components/ContractStatusChip';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { Contract } from '../../../ui-shared/src/types';
import { TemporalLink } from './TemporalLink';

const ContractBody = createTestIdTableBody('contract-row');
const STATUSES = ['in_progress', 'completed', 'voided'] as const;

const useFilters = () => {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('admin.contracts.search')} data-testid="admin-contract-search" />,
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      emptyText={translate('admin.contracts.all_statuses')}
      choices={STATUSES.map((id) => ({ id, name: translate(`sf.contract.status_${id}`) }))}
      data-testid="admin-contract-status-filter"
    />,
  ];
};

/** All contracts of the platform (admin/contracts), newest first. */
export const AdminContractList = () => {
  const translate = useTranslate();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List filters={useFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      {isSmall ? (
        <SimpleList<Contract>
          linkType="show"
          primaryText={(r) => r.title}
          secondaryText={(r) => r.initiatorName}
          tertiaryText={() => <ContractStatusChip />}
        />
      ) : (
        <DataTable<Contract> rowClick="show" bulkActionButtons={false} body={ContractBody} data-testid="admin-contract-table">
          <DataTable.Col source="title" label={translate('sf.contract.title')} />
          <DataTable.Col source="initiatorName" label={translate('sf.contract.initiator')} disableSort />
          <DataTable.Col source="status" label={translate('sf.contract.status')} disableSort>
            <ContractStatusChip />
          </DataTable.Col>
          <DataTable.Col label={translate('sf.contract.progress')} disableSort>
            <ContractProgressField />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label={translate('sf.contract.created_at')}>
            <LocalDateField source="createdAt" />
          </DataTable.Col>
          <DataTable.Col source="expiresAt" label={translate('sf.contract.expires_at')}>
            <LocalDateField source="expiresAt" />
          </DataTable.Col>
          <DataTable.Col label={translate('admin.contracts.temporal')} disableSort>
            <TemporalLink />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
};
