import { DataTable, List, SearchInput, SelectInput, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { ChangeStatusChip } from '../enterprise-info/ChangeStatusChip';
import { REVIEW_STATUSES, type AdminRecertification } from './types';

const Body = createTestIdTableBody('recertification-row');

const StatusField = () => {
  const r = useRecordContext<AdminRecertification>();
  return r ? <ChangeStatusChip status={r.status} /> : null;
};

const NamesField = () => {
  const r = useRecordContext<AdminRecertification>();
  return r ? (
    <span data-testid="recertification-names">
      {r.oldValue} → {r.newValue ?? '—'}
    </span>
  ) : null;
};

/** 重新认证审核: name changes of enterprises, 审核中 first; open a row to review it. */
export const RecertificationList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.recertifications.fields.${f}`);
  return (
    <List
      filters={[
        <SearchInput key="q" source="q" alwaysOn placeholder={translate('recertifications.search')} />,
        <SelectInput
          key="status"
          source="status"
          alwaysOn
          label={label('status')}
          emptyText={translate('recertifications.all_statuses')}
          choices={REVIEW_STATUSES.map((id) => ({ id, name: translate(`recertifications.status.${id}`) }))}
          data-testid="status-filter"
        />,
      ]}
      filterDefaultValues={{ status: 'under_review' }}
      sort={{ field: 'submittedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<AdminRecertification> rowClick="show" bulkActionButtons={false} body={Body} data-testid="recertifications-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="enterpriseName" label={label('enterpriseName')} disableSort />
        <DataTable.Col label={label('names')} disableSort>
          <NamesField />
        </DataTable.Col>
        <DataTable.Col source="uscc" label={label('uscc')} disableSort cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col label={label('status')} disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col source="submittedAt" label={label('submittedAt')}>
          <LocalDateField source="submittedAt" />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label={label('createdAt')}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
