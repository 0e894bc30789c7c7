import { DataTable, List, SearchInput, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { joinNames } from '../../../ui-shared/src/format';
import { useOptionNames } from '../../../ui-shared/src/hooks/useOptionNames';
import { statusFilter } from '../reviews/StatusFilter';
import type { AdminEnterprise } from './types';

const STATUSES = ['pending', 'certified', 'rejected', 'cancelled'] as const;
const Body = createTestIdTableBody('enterprise-row');

const StatusField = () => {
  const r = useRecordContext<AdminEnterprise>();
  return r ? <StatusChip kind="enterprise" status={r.status} label={r.statusLabel} labelEn={r.statusLabelEn} /> : null;
};

const SealTypesField = () => {
  const r = useRecordContext<AdminEnterprise>();
  const [locale] = useLocaleState();
  const sealTypeNames = useOptionNames('/api/config/seal-types');
  return r ? <>{joinNames(sealTypeNames(r.sealTypes, r.sealTypeNames), locale)}</> : null;
};

/** 企业认证审核: 认证中 first (status filter); open a row to review it. */
export const EnterpriseList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.enterprises.fields.${f}`);
  return (
    <List
      filters={[
        <SearchInput key="q" source="q" alwaysOn placeholder={translate('admin.enterprises.search')} />,
        statusFilter(translate, 'enterprise', STATUSES),
      ]}
      filterDefaultValues={{ status: 'pending' }}
      sort={{ field: 'submittedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<AdminEnterprise> rowClick="show" bulkActionButtons={false} body={Body} data-testid="enterprises-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" label={label('name')} />
        <DataTable.Col source="uscc" label={label('uscc')} disableSort cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col source="legalRepresentative" label={label('legalRepresentative')} disableSort />
        <DataTable.Col source="certifierName" label={label('certifierName')} disableSort />
        <DataTable.Col label={label('sealTypes')} disableSort>
          <SealTypesField />
        </DataTable.Col>
        <DataTable.Col label={label('status')} disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col source="submittedAt" label={label('submittedAt')}>
          <LocalDateField source="submittedAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
