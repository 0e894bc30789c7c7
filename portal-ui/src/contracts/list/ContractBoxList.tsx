import { useMediaQuery, type Theme } from '@mui/material';
import {
  CreateButton,
  DataTable,
  List,
  SearchInput,
  SimpleList,
  TopToolbar,
  useTranslate,
} from 'react-admin';
import { ContractProgressField } from '../../../../ui-shared/src/components/ContractProgressField';
import { ContractStatusChip } from '../../../../ui-shared/src/components/ContractStatusChip';
import { LocalDateField } from '../../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../../ui-shared/src/components/TestIdTableBody';
import { formatDateTime } from '../../../../ui-shared/src/format';
import type { Contract } from '../../../../ui-shared/src/types';
import type { Box } from '../boxes';
import { BoxEmpty } from './BoxEmpty';
import { ContractTitleField } from './ContractTitleField';

const ListActions = () => {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <CreateButton label={translate('portal.list.create')} data-testid="list-create" />
    </TopToolbar>
  );
};

const ContractTable = () => {
  const translate = useTranslate();
  return (
    <DataTable<Contract> rowClick="show" bulkActionButtons={false} body={ContractTableBody} data-testid="contract-table">
      <DataTable.Col source="title" label={translate('sf.contract.title')}>
        <ContractTitleField />
      </DataTable.Col>
      <DataTable.Col source="initiatorName" label={translate('sf.contract.initiator')} disableSort />
      <DataTable.Col source="status" label={translate('sf.contract.status')} disableSort>
        <ContractStatusChip />
      </DataTable.Col>
      <DataTable.Col label={translate('sf.contract.current_signer')} disableSort>
        <ContractProgressField />
      </DataTable.Col>
      <DataTable.Col source="createdAt" label={translate('sf.contract.created_at')}>
        <LocalDateField source="createdAt" />
      </DataTable.Col>
      <DataTable.Col source="expiresAt" label={translate('sf.contract.expires_at')}>
        <LocalDateField source="expiresAt" />
      </DataTable.Col>
    </DataTable>
  );
};

const ContractTableBody = createTestIdTableBody('contract-row');

const ContractSimpleList = () => {
  const translate = useTranslate();
  return (
    <SimpleList<Contract>
      linkType="show"
      primaryText={() => <ContractTitleField />}
      secondaryText={(r) => (
        <>
          {r.initiatorName} · {translate('sf.contract.expires_at')} {formatDateTime(r.expiresAt)}
          <br />
          <ContractProgressField />
        </>
      )}
      tertiaryText={() => <ContractStatusChip />}
      rowSx={() => ({ borderBottom: 1, borderColor: 'divider' })}
      data-testid="contract-simple-list"
    />
  );
};

/** One box (待我签署 / 待他人签署 / 已完成签署 / 已作废) of the current user's contracts. */
export const ContractBoxList = ({ box }: { box: Box }) => {
  const translate = useTranslate();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List
      resource="contracts"
      filter={{ box }}
      storeKey={`contracts.${box}`}
      sort={{ field: 'createdAt', order: 'DESC' }}
      filters={[<SearchInput key="q" source="q" alwaysOn placeholder={translate('portal.list.search')} />]}
      actions={<ListActions />}
      empty={<BoxEmpty box={box} />}
      title={translate(`portal.menu.${box}`)}
      data-testid={`contract-list-${box}`}
    >
      {isSmall ? <ContractSimpleList /> : <ContractTable />}
    </List>
  );
};
