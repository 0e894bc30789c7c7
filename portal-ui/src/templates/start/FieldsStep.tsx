import { InputAdornment, Stack, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { FieldErrors } from '../../contracts/create/wizardModel';
import { derivedText, type FieldValues } from './startModel';
import { isDerived, type FormField } from './types';

const MULTILINE_ROWS = 3;

/**
 * The template's fields as a form: 文本 / 多行文本 / 数字 / 日期 / 金额 / 金额大写. A 金额大写 that spells
 * out an amount field is not typed: it shows what the platform will write. `errors` are messages
 * (the server rule's own words); `onCheck` re-checks one field when it loses focus.
 */
export const FieldsStep = ({
  fields,
  values,
  errors,
  onChange,
  onCheck,
  disabled,
}: {
  fields: FormField[];
  values: FieldValues;
  errors: FieldErrors;
  onChange: (key: string, value: string) => void;
  onCheck: (key: string) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templateStart.${key}`, opts);
  if (fields.length === 0) {
    return (
      <Typography color="text.secondary" data-testid="fields-step" data-empty="true">
        {t('no_fields')}
      </Typography>
    );
  }
  return (
    <Stack spacing={2.5} data-testid="fields-step">
      {fields.map((f) => {
        const common = { 'data-testid': 'template-field', 'data-key': f.key, 'data-type': f.type };
        if (isDerived(f)) {
          const source = fields.find((s) => s.key === f.derivedFrom);
          return (
            <TextField
              key={f.key}
              label={f.label}
              value={derivedText(f, values)}
              placeholder={t('derived_placeholder')}
              helperText={t('derived_hint', { source: source?.label ?? f.derivedFrom ?? '' })}
              slotProps={{ htmlInput: { ...common, readOnly: true, 'data-derived': 'true' }, inputLabel: { shrink: true } }}
            />
          );
        }
        const error = errors[f.key];
        const hint = f.type === 'amount' ? t('amount_hint') : f.type === 'number' ? t('number_hint') : undefined;
        return (
          <TextField
            key={f.key}
            label={f.label}
            required={f.required}
            type={f.type === 'date' ? 'date' : 'text'}
            multiline={f.type === 'multiline'}
            minRows={f.type === 'multiline' ? MULTILINE_ROWS : undefined}
            value={values[f.key] ?? ''}
            onChange={(e) => onChange(f.key, e.target.value)}
            onBlur={() => onCheck(f.key)}
            error={!!error}
            helperText={error ?? hint}
            disabled={disabled}
            slotProps={{
              htmlInput: {
                ...common,
                ...(f.maxLength ? { maxLength: f.maxLength } : {}),
                ...(f.type === 'amount' || f.type === 'number' ? { inputMode: 'decimal' } : {}),
              },
              inputLabel: f.type === 'date' ? { shrink: true } : undefined,
              input: f.type === 'amount' ? { endAdornment: <InputAdornment position="end">{t('yuan')}</InputAdornment> } : undefined,
            }}
          />
        );
      })}
    </Stack>
  );
};
