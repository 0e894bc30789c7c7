import { useRecordContext } from 'react-admin';

/** A certificate order's price at the CA in yuan (the API gives fen); both order lists show it. */
export const AmountField = () => {
  const r = useRecordContext<{ amountFen: number | null }>();
  return <>{r?.amountFen == null ? '—' : `¥${(r.amountFen / 100).toFixed(2)}`}</>;
};
