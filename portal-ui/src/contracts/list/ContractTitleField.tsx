import { useRecordContext } from 'react-admin';
import type { Contract } from '../../../../ui-shared/src/types';

/** The title cell: data-testid="contract-row-title" (desktop table and phone list alike). */
export const ContractTitleField = () => {
  const record = useRecordContext<Contract>();
  return (
    <span data-testid="contract-row-title" data-contract-id={record?.id}>
      {record?.title}
    </span>
  );
};
