import type { ComponentType } from 'react';
import { DataTableBody, DataTableRow, useRecordContext, type DataTableBodyProps, type DataTableRowProps } from 'react-admin';

/**
 * A DataTable body whose rows carry test hooks: data-testid={testId}, data-id (record id) and
 * data-status (record.status when present). Use as <DataTable body={createTestIdTableBody('x-row')}>.
 */
export function createTestIdTableBody(testId: string): ComponentType<DataTableBodyProps> {
  const Row = (props: DataTableRowProps) => {
    const record = useRecordContext();
    return <DataTableRow {...props} data-testid={testId} data-id={record?.id} data-status={record?.status} />;
  };
  const Body = (props: DataTableBodyProps) => <DataTableBody {...props} row={Row} />;
  return Body;
}
