import { useMediaQuery, type Theme } from '@mui/material';
import { DataTable, DateInput, List, SearchInput, SelectInput, SimpleList, TextInput, useTranslate } from 'react-admin';
import type { CertificateSearchRow } from '../../../domain/platform/certificate-search';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { EnterpriseCell, LocalizedLabel } from './labels';

/** A row of GET /api/admin/certificates: the server's own view (domain/platform/certificate-search.ts). */
export type AdminCertificate = CertificateSearchRow;

const CertificateBody = createTestIdTableBody('admin-certificate-row');

const useFilters = () => {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('admin.ca.search_enterprise')} data-testid="admin-certificate-search" />,
    <TextInput key="serial" source="serial" alwaysOn label={translate('admin.ca.serial')} data-testid="admin-certificate-serial" />,
    <SelectInput
      key="ownerType"
      source="ownerType"
      alwaysOn
      emptyText={translate('admin.ca.all_owners')}
      choices={[
        { id: 'seal', name: translate('admin.ca.owner_seal') },
        { id: 'user', name: translate('admin.ca.owner_user') },
      ]}
    />,
    <SelectInput
      key="state"
      source="state"
      alwaysOn
      emptyText={translate('admin.ca.all_states')}
      choices={(['active', 'expired', 'revoked'] as const).map((id) => ({ id, name: translate(`admin.ca.state_${id}`) }))}
    />,
    <DateInput key="expiringBefore" source="expiringBefore" label={translate('admin.ca.expiring_before')} />,
  ];
};

/** 证书 (operators): every signing certificate (enterprise seals and persons), soonest expiry first. */
export const AdminCertificateList = () => {
  const translate = useTranslate();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const f = (name: string) => translate(`resources.admin-certificates.fields.${name}`);
  return (
    <List filters={useFilters()} sort={{ field: 'notAfter', order: 'ASC' }} perPage={25} exporter={false}>
      {isSmall ? (
        <SimpleList<AdminCertificate> linkType={false} primaryText={(r) => r.ownerName} secondaryText={(r) => r.serialNumber} tertiaryText={(r) => r.stateLabel} />
      ) : (
        <DataTable<AdminCertificate> rowClick={false} bulkActionButtons={false} body={CertificateBody} data-testid="admin-certificate-table">
          <DataTable.Col source="serialNumber" label={f('serialNumber')} disableSort cellSx={() => ({ fontFamily: 'monospace', wordBreak: 'break-all' })} />
          <DataTable.Col label={f('ownerType')} disableSort>
            <LocalizedLabel source="ownerTypeLabel" />
          </DataTable.Col>
          <DataTable.Col source="ownerName" label={f('owner')} disableSort />
          <DataTable.Col label={f('enterprise')} disableSort>
            <EnterpriseCell />
          </DataTable.Col>
          <DataTable.Col source="notAfter" label={f('notAfter')}>
            <LocalDateField source="notAfter" />
          </DataTable.Col>
          <DataTable.Col label={f('state')} disableSort>
            <LocalizedLabel source="stateLabel" />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label={f('createdAt')}>
            <LocalDateField source="createdAt" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
};
