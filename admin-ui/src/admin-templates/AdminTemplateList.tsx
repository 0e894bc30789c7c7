import { useMediaQuery, type Theme } from '@mui/material';
import { DataTable, FunctionField, List, SearchInput, SelectInput, SimpleList, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { TemplateOwner, TemplateStateChips } from './TemplateChips';
import type { AdminTemplate } from './types';

const Body = createTestIdTableBody('admin-template-row');

const useFilters = () => {
  const translate = useTranslate();
  const t = (key: string) => translate(`adminTemplates.${key}`);
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={t('search')} data-testid="admin-template-search" />,
    <SelectInput key="status" source="status" alwaysOn emptyText={t('all_statuses')} choices={(['draft', 'published'] as const).map((id) => ({ id, name: t(`status.${id}`) }))} data-testid="admin-template-status-filter" />,
    <SelectInput key="kind" source="kind" alwaysOn emptyText={t('all_kinds')} choices={(['word', 'web'] as const).map((id) => ({ id, name: t(`kind.${id}`) }))} />,
    <SelectInput
      key="enabled"
      source="enabled"
      alwaysOn
      emptyText={t('all_states')}
      choices={[
        { id: 'true', name: t('state.enabled') },
        { id: 'false', name: t('state.disabled') },
      ]}
    />,
    <SelectInput key="ownerType" source="ownerType" emptyText={t('all_owners')} choices={(['enterprise', 'user'] as const).map((id) => ({ id, name: t(`owner_type.${id}`) }))} />,
  ];
};

/** 模板 (operators): every template of the platform, any owner, last changed first; open one for its detail. */
export const AdminTemplateList = () => {
  const translate = useTranslate();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const f = (name: string) => translate(`resources.admin-templates.fields.${name}`);
  return (
    <List filters={useFilters()} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25} exporter={false} actions={false}>
      {isSmall ? (
        <SimpleList<AdminTemplate> linkType="show" primaryText={(r) => r.name} secondaryText={(r) => r.owner.name} tertiaryText={() => <TemplateStateChips />} />
      ) : (
        <DataTable<AdminTemplate> rowClick="show" bulkActionButtons={false} body={Body} data-testid="admin-template-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
          <DataTable.Col source="name" label={f('name')} />
          <DataTable.Col label={f('owner')} disableSort>
            <TemplateOwner />
          </DataTable.Col>
          <DataTable.Col label={f('kind')} disableSort>
            <FunctionField<AdminTemplate> render={(r) => translate(`adminTemplates.kind.${r.kind}`)} />
          </DataTable.Col>
          <DataTable.Col label={f('status')} disableSort>
            <TemplateStateChips />
          </DataTable.Col>
          <DataTable.Col source="sharesCount" label={f('sharesCount')} disableSort />
          <DataTable.Col source="createdAt" label={f('createdAt')}>
            <LocalDateField source="createdAt" />
          </DataTable.Col>
          <DataTable.Col source="updatedAt" label={f('updatedAt')}>
            <LocalDateField source="updatedAt" />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
};
