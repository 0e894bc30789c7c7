import { Box, Tooltip, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { AuditEvent } from './AuditEventList';

const toText = (detail: unknown): string => {
  if (detail === null || detail === undefined || detail === '') return '';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
};

/** One-line detail in the table (full text on hover). */
export const AuditDetailCell = () => {
  const record = useRecordContext<AuditEvent>();
  const text = toText(record?.detail);
  if (!text) return <>—</>;
  return (
    <Tooltip title={text}>
      <Typography variant="body2" noWrap sx={{ maxWidth: 320, fontFamily: 'monospace', fontSize: 12 }}>
        {text}
      </Typography>
    </Tooltip>
  );
};

/** Expanded row: the detail pretty-printed. */
export const AuditDetailPanel = () => {
  const record = useRecordContext<AuditEvent>();
  const detail = record?.detail;
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail ?? null, null, 2);
  return (
    <Box component="pre" sx={{ m: 0, p: 1, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="audit-detail">
      {text}
    </Box>
  );
};
