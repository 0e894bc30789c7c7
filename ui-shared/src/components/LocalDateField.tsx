import { useFieldValue, useLocaleState, type FieldProps } from 'react-admin';
import { Typography } from '@mui/material';
import { formatDateTime } from '../format';

/** Date-time field formatted for the UI locale (zh-CN: 2026/11/20 14:05). */
export const LocalDateField = (props: FieldProps) => {
  const value = useFieldValue(props) as string | null | undefined;
  const [locale] = useLocaleState();
  return (
    <Typography component="span" variant="body2" sx={{ whiteSpace: 'nowrap' }}>
      {formatDateTime(value, locale)}
    </Typography>
  );
};
