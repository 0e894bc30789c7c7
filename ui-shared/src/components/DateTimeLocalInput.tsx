import { forwardRef, useState, type InputHTMLAttributes } from 'react';
import { Box, TextField, type SxProps, type Theme } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';

/**
 * Browsers draw <input type="datetime-local"> in their own UI language (Chromium ignores the
 * page's and the input's lang), so a zh-CN page in an English browser would show
 * "01/10/2027, 06:00 PM". Where the browser lets its date-time text be styled (WebKit/Blink), the
 * field shows the value in the app's locale while it is not being edited; the native control (its
 * picker, typing into it while focused, its value) is untouched.
 */
const CAN_OVERLAY = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('selector(::-webkit-datetime-edit)');

/** `yyyy-MM-ddTHH:mm` (local time) → Date, or null. */
function parseLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(date.getTime()) ? null : date;
}

type ElementProps = InputHTMLAttributes<HTMLInputElement> & { 'data-shown'?: string };

/**
 * The input plus, in the same grid cell and with the same classes (thus the same padding and
 * font), the value as the app formats it. CSS hides one or the other depending on focus.
 */
const OverlaidInput = forwardRef<HTMLInputElement, ElementProps>(function OverlaidInput({ 'data-shown': shown, className, ...props }, ref) {
  return (
    // width auto: stretched to the cell with their padding, as the plain input is in its flex row.
    <Box component="span" sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', flex: '1 1 auto', minWidth: 0 }}>
      <input {...props} ref={ref} className={className} style={{ gridArea: '1 / 1', width: 'auto', minWidth: 0 }} />
      <Box
        component="span"
        aria-hidden
        className={className}
        data-testid="datetime-shown"
        sx={{ gridArea: '1 / 1', width: 'auto !important', minWidth: 0, pointerEvents: 'none', whiteSpace: 'nowrap', overflow: 'hidden' }}
      >
        {shown}
      </Box>
    </Box>
  );
});

export const DateTimeLocalInput = ({
  label,
  value,
  onChange,
  error,
  helperText,
  disabled,
  required,
  testId,
  sx,
}: {
  label: string;
  /** `yyyy-MM-ddTHH:mm` in local time, as the native input has it. */
  value: string;
  onChange: (value: string) => void;
  error?: boolean;
  helperText?: string;
  disabled?: boolean;
  required?: boolean;
  testId: string;
  sx?: SxProps<Theme>;
}) => {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const [focused, setFocused] = useState(false);
  const date = parseLocal(value);
  const shown = date ? formatDateTime(date, locale) : translate('sf.common.datetime_placeholder');
  const overlay = CAN_OVERLAY && !focused;
  return (
    <TextField
      label={label}
      type="datetime-local"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      error={error}
      helperText={helperText}
      disabled={disabled}
      required={required}
      sx={[
        overlay && {
          // The browser's own text gives way to the app's while not editing; the picker icon stays.
          '& input::-webkit-datetime-edit': { opacity: 0 },
          '& [data-testid="datetime-shown"]': { opacity: date ? 1 : 0.6 },
        },
        !overlay && { '& [data-testid="datetime-shown"]': { display: 'none' } },
        ...(Array.isArray(sx) ? sx : [sx]),
      ]}
      slotProps={{
        inputLabel: { shrink: true },
        input: CAN_OVERLAY ? { inputComponent: OverlaidInput } : undefined,
        htmlInput: { 'data-testid': testId, lang: locale, ...(CAN_OVERLAY ? { 'data-shown': shown } : {}) },
      }}
    />
  );
};
