import { DataTable, useTranslate } from 'react-admin';
import { ApplicationStatusField } from '../reviews/ApplicationStatusField';
import type { RealNameApplicationView } from '../../../domain/platform/review-views';
import { ReviewList } from '../reviews/ReviewList';

/** A row of GET /api/admin/real-name-applications: the server's own view (domain/platform/review-views.ts). */
export type RealNameApplication = RealNameApplicationView;

/** 实名认证审核: 待审核 first (status filter), 通过 / 驳回 (with a reason) per row. */
export const RealNameApplicationList = () => {
  const translate = useTranslate();
  const fieldsKey = 'resources.real-name-applications.fields';
  const label = (f: string) => translate(`${fieldsKey}.${f}`);
  return (
    <ReviewList<RealNameApplication>
      fieldsKey={fieldsKey}
      tableTestId="real-name-applications-table"
      rowTestId="real-name-application-row"
      apiPath="admin/real-name-applications"
      subject={(r, t) => t('admin.real_name.subject', { name: r.name, id: r.idNumberMasked })}
    >
      <DataTable.Col source="accountName" label={label('accountName')} disableSort />
      <DataTable.Col source="name" label={label('name')} disableSort />
      <DataTable.Col source="idNumberMasked" label={label('idNumberMasked')} disableSort cellSx={() => ({ fontFamily: 'monospace' })} />
      <DataTable.Col source="mobileMasked" label={label('mobileMasked')} disableSort />
      <DataTable.Col label={label('status')} disableSort>
        <ApplicationStatusField />
      </DataTable.Col>
    </ReviewList>
  );
};
