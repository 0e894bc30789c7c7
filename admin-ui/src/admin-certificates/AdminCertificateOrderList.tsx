import { useMediaQuery, type Theme } from '@mui/material';
import { DataTable, DateInput, List, SearchInput, SelectInput, SimpleList, useLocaleState, useTranslate } from 'react-admin';
import { CERTIFICATE_ORDER_STATUS_LABELS, CERTIFICATE_ORDER_STATUSES } from '../../../domain/certificates/certificate-order-status';
import type { AdminCertificateOrderView } from '../../../domain/platform/admin-certificate-order-view';
import { SEAL_TYPES } from '../../../domain/seals/seal-types';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { AmountField } from '../certificate-orders/AmountField';
import { TemporalLink } from '../contracts/TemporalLink';
import { EnterpriseCell, LocalizedLabel } from './labels';

/** A row of GET /api/admin/certificate-orders: the server's own view, the search row with its workflow links (domain/platform/admin-certificate-order-view.ts). */
export type AdminCertificateOrder = AdminCertificateOrderView;

const OrderBody = createTestIdTableBody('admin-order-row');

const useFilters = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const en = locale.startsWith('en');
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('admin.ca.search_enterprise')} data-testid="admin-order-search" />,
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      emptyText={translate('admin.ca.all_statuses')}
      choices={CERTIFICATE_ORDER_STATUSES.map((id) => ({ id, name: en ? CERTIFICATE_ORDER_STATUS_LABELS[id].en : CERTIFICATE_ORDER_STATUS_LABELS[id].zh }))}
      data-testid="admin-order-status-filter"
    />,
    <SelectInput
      key="sealType"
      source="sealType"
      emptyText={translate('admin.ca.all_seal_types')}
      choices={SEAL_TYPES.map((t) => ({ id: t.code, name: en ? t.nameEn : t.name }))}
    />,
    <DateInput key="from" source="from" label={translate('admin.ca.from')} />,
    <DateInput key="to" source="to" label={translate('admin.ca.to')} />,
  ];
};


/** CA 订单 (operators): every certificate order of the platform, with its workflow in Temporal UI. */
export const AdminCertificateOrderList = () => {
  const translate = useTranslate();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const f = (name: string) => translate(`resources.admin-certificate-orders.fields.${name}`);
  return (
    <List filters={useFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      {isSmall ? (
        <SimpleList<AdminCertificateOrder> linkType={false} primaryText={(r) => `${r.enterpriseName} · ${r.sealName}`} secondaryText={(r) => r.statusLabel} tertiaryText={() => <TemporalLink />} />
      ) : (
        <DataTable<AdminCertificateOrder> rowClick={false} bulkActionButtons={false} body={OrderBody} data-testid="admin-order-table">
          <DataTable.Col source="createdAt" label={f('createdAt')}>
            <LocalDateField source="createdAt" />
          </DataTable.Col>
          <DataTable.Col label={f('enterprise')} disableSort>
            <EnterpriseCell />
          </DataTable.Col>
          <DataTable.Col source="sealName" label={f('seal')} disableSort />
          <DataTable.Col label={f('sealType')} disableSort cellSx={() => ({ whiteSpace: 'nowrap' })}>
            <LocalizedLabel source="sealTypeName" />
          </DataTable.Col>
          <DataTable.Col source="status" label={f('status')} cellSx={() => ({ whiteSpace: 'nowrap' })}>
            <LocalizedLabel source="statusLabel" />
          </DataTable.Col>
          <DataTable.Col label={f('amount')} disableSort>
            <AmountField />
          </DataTable.Col>
          <DataTable.Col source="paidAt" label={f('paidAt')}>
            <LocalDateField source="paidAt" />
          </DataTable.Col>
          <DataTable.Col source="issuedAt" label={f('issuedAt')}>
            <LocalDateField source="issuedAt" />
          </DataTable.Col>
          <DataTable.Col label={translate('admin.contracts.temporal')} disableSort>
            <TemporalLink />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
};
