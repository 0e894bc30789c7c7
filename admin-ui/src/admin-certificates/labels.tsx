import { useLocaleState, useRecordContext } from 'react-admin';

/** A server-given label in the UI language: `<field>` (zh-CN) or `<field>En`. */
export const LocalizedLabel = ({ source }: { source: string }) => {
  const [locale] = useLocaleState();
  const record = useRecordContext<Record<string, unknown>>();
  if (!record) return null;
  const value = locale.startsWith('en') ? (record[`${source}En`] ?? record[source]) : record[source];
  return <>{typeof value === 'string' && value ? value : '—'}</>;
};

/** Enterprise name with its USCC underneath. */
export const EnterpriseCell = () => {
  const record = useRecordContext<{ enterpriseName: string | null; uscc: string | null }>();
  if (!record?.enterpriseName) return <>—</>;
  return (
    <>
      {record.enterpriseName}
      <br />
      <small style={{ opacity: 0.7 }}>{record.uscc}</small>
    </>
  );
};
