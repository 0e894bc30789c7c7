import { Link, useMediaQuery, type Theme } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { DataTable, List, SelectInput, SimpleList, TextInput, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { AuditEventView } from '../../../domain/audit/audit-event-view';
import { actionLabelFor, actorNameFor } from '../../../ui-shared/src/types';
import { auditActionChoices } from './auditActions';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { formatDateTime } from '../../../ui-shared/src/format';
import { AuditDetailCell, AuditDetailPanel } from './AuditDetail';

/** A row of GET /api/admin/audit-events and /api/console/audit-events: the server's own view (domain/audit/audit-event-view.ts). */
export type AuditEvent = AuditEventView;

const AuditBody = createTestIdTableBody('audit-event-row');

type Translate = ReturnType<typeof useTranslate>;

const targetText = (r: AuditEvent, translate: Translate) => {
  if (!r.targetType) return '—';
  const type = translate(`admin.audit.target_types.${r.targetType}`, { _: r.targetType });
  return r.targetId != null ? `${type} #${r.targetId}` : type;
};

const ActorField = () => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  return record ? <>{actorNameFor(record, translate)}</> : null;
};

const ActionField = () => {
  const record = useRecordContext<AuditEvent>();
  const [locale] = useLocaleState();
  return record ? <>{actionLabelFor(record, locale)}</> : null;
};

type Scope = 'platform' | 'enterprise';

const useFilters = (scope: Scope) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const action = (
    <SelectInput
      key="action"
      source="action"
      alwaysOn
      label={translate('resources.audit-events.fields.actionLabel')}
      emptyText={translate('admin.audit.all_actions')}
      choices={auditActionChoices(scope).map((a) => ({ id: a.id, name: locale === 'en' ? a.en : a.zh }))}
      data-testid="audit-action-filter"
    />
  );
  // The enterprise log (GET /api/console/audit-events) filters by action only.
  return scope === 'platform'
    ? [action, <TextInput key="targetId" source="targetId" alwaysOn label={translate('admin.audit.target_id')} />]
    : [action];
};

const shortId = (id: string | number) => (String(id).length > 12 ? `${String(id).slice(0, 8)}…` : String(id));

/** "合同 #2e948e29…": contracts link to their page in the console; full id on hover. */
const TargetField = ({ scope }: { scope: Scope }) => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.targetType || record.targetId == null) return <>{targetText(record, translate)}</>;
  const text = `${translate(`admin.audit.target_types.${record.targetType}`, { _: record.targetType })} #${shortId(record.targetId)}`;
  return record.targetType === 'contract' && scope === 'platform' ? (
    <Link
      component={RouterLink}
      to={`/contracts/${encodeURIComponent(String(record.targetId))}/show`}
      title={String(record.targetId)}
      onClick={(e: React.MouseEvent) => e.stopPropagation()}
      sx={{ whiteSpace: 'nowrap' }}
      data-testid="audit-target-link"
    >
      {text}
    </Link>
  ) : (
    <span title={String(record.targetId)} style={{ whiteSpace: 'nowrap' }}>
      {text}
    </span>
  );
};

/** An audit log (newest first); expand a row for the full detail. */
const AuditEventList = ({ scope }: { scope: Scope }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const label = (field: string) => translate(`resources.audit-events.fields.${field}`);
  return (
    <List filters={useFilters(scope)} actions={false} sort={{ field: 'at', order: 'DESC' }} perPage={50} exporter={false}>
      {isSmall ? (
        <SimpleList<AuditEvent>
          linkType={false}
          primaryText={(r) => `${actionLabelFor(r, locale)} · ${actorNameFor(r, translate)}`}
          secondaryText={(r) => `${formatDateTime(r.at, locale)} · ${targetText(r, translate)}`}
          tertiaryText={(r) => r.ip ?? ''}
        />
      ) : (
        <DataTable<AuditEvent>
          rowClick={(_id, _resource, record) => (record.detail != null ? 'expand' : false)}
          expand={<AuditDetailPanel />}
          isRowExpandable={(record) => record.detail != null}
          bulkActionButtons={false}
          body={AuditBody}
          data-testid="audit-events-table"
          sx={{ '& th': { whiteSpace: 'nowrap' } }}
        >
          <DataTable.Col source="at" label={label('at')}>
            <LocalDateField source="at" />
          </DataTable.Col>
          <DataTable.Col source="actorName" label={label('actorName')} disableSort>
            <ActorField />
          </DataTable.Col>
          <DataTable.Col label={label('actionLabel')} disableSort>
            <ActionField />
          </DataTable.Col>
          <DataTable.Col label={label('target')} disableSort>
            <TargetField scope={scope} />
          </DataTable.Col>
          <DataTable.Col source="ip" label={label('ip')} disableSort />
          <DataTable.Col label={label('detail')} disableSort>
            <AuditDetailCell />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
};

/** 审计日志: every event of the platform (operators). */
export const PlatformAuditEventList = () => <AuditEventList scope="platform" />;

/** 企业日志: the acting enterprise's events (its 管理员). */
export const EnterpriseAuditEventList = () => <AuditEventList scope="enterprise" />;
