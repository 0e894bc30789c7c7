import { Alert, useMediaQuery, type Theme } from '@mui/material';
import { DataTable, List, SearchInput, SimpleList, useListContext, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { formatDateTime } from '../../../ui-shared/src/format';
import type { SmsOutboxView } from '../../../domain/sms/sms-outbox-view';

/** A row of GET /api/admin/sms-outbox: the server's own view (domain/sms/sms-outbox-view.ts); `contentMasked` is true when a real SMS gateway is configured (digits hidden so operators cannot read codes). */
export type SmsMessage = SmsOutboxView;

const SmsBody = createTestIdTableBody('sms-row');

const PurposeField = () => {
  const translate = useTranslate();
  const record = useRecordContext<SmsMessage>();
  if (!record) return null;
  return <>{translate(`admin.sms.purpose_values.${record.purpose}`, { _: record.purpose })}</>;
};

/** Shown above the list when the server hides message contents (a real SMS gateway is configured). */
const MaskedNotice = () => {
  const translate = useTranslate();
  const { data } = useListContext<SmsMessage>();
  if (!data?.some((m) => m.contentMasked)) return null;
  return (
    <Alert severity="info" sx={{ mb: 1 }} data-testid="sms-content-masked">
      {translate('admin.sms.content_masked')}
    </Alert>
  );
};

/** Messages the embedded SMS gateway would have sent (newest first). */
export const SmsOutboxList = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List
      filters={[<SearchInput key="mobile" source="mobile" alwaysOn placeholder={translate('admin.sms.search_mobile')} />]}
      actions={false}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <MaskedNotice />
      {isSmall ? (
        <SimpleList<SmsMessage>
          linkType={false}
          primaryText={(r) => r.content}
          secondaryText={(r) => `${r.mobile} · ${formatDateTime(r.createdAt, locale)}`}
          tertiaryText={() => <PurposeField />}
        />
      ) : (
        <DataTable<SmsMessage> rowClick={false} bulkActionButtons={false} body={SmsBody} data-testid="sms-outbox-table">
          <DataTable.Col source="createdAt" label={translate('resources.sms-outbox.fields.createdAt')}>
            <LocalDateField source="createdAt" />
          </DataTable.Col>
          <DataTable.Col source="mobile" label={translate('resources.sms-outbox.fields.mobile')} cellSx={() => ({ whiteSpace: 'nowrap' })} />
          <DataTable.Col source="purpose" label={translate('resources.sms-outbox.fields.purpose')} disableSort>
            <PurposeField />
          </DataTable.Col>
          <DataTable.Col source="content" label={translate('resources.sms-outbox.fields.content')} disableSort />
        </DataTable>
      )}
    </List>
  );
};
