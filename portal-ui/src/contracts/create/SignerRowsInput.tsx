import { Box, Button, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/PersonAdd';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useTranslate } from 'react-admin';
import { MAX_SIGNERS, newSignerRow, type ContractFormErrors, type SignerRow } from './contractForm';

type Field = 'mobile' | 'page' | 'x' | 'y';

/** Editable signer rows (手机号, 盖章页码, X, Y) in signing order. */
export const SignerRowsInput = ({
  rows,
  errors,
  onChange,
  disabled,
}: {
  rows: SignerRow[];
  errors: ContractFormErrors['rows'];
  onChange: (rows: SignerRow[]) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const err = (key: number, field: Field) => {
    const code = errors[key]?.[field];
    return code ? translate(`portal.create.errors.${code}`) : undefined;
  };
  const update = (key: number, field: Field, value: string) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const add = () => onChange([...rows, newSignerRow(rows.length)]);

  const numberField = (row: SignerRow, index: number, field: Exclude<Field, 'mobile'>, label: string) => (
    <TextField
      label={label}
      value={row[field]}
      onChange={(e) => update(row.key, field, e.target.value)}
      error={!!err(row.key, field)}
      helperText={err(row.key, field)}
      size="small"
      type="number"
      disabled={disabled}
      sx={{ width: { xs: 'calc((100% - 104px) / 3)', sm: 100 }, ml: { xs: field === 'page' ? '36px' : 0, sm: 0 } }}
      slotProps={{ htmlInput: { 'data-testid': `signer-${field}-${index}`, min: field === 'page' ? 1 : 0, step: field === 'page' ? 1 : 'any' } }}
    />
  );

  return (
    <Box data-testid="signer-rows">
      {rows.map((row, index) => (
        <Stack
          key={row.key}
          direction="row"
          data-testid="signer-input-row"
          sx={{ alignItems: 'flex-start', flexWrap: 'wrap', gap: 1, py: 1, borderBottom: 1, borderColor: 'divider' }}
        >
          <Typography sx={{ width: 28, pt: 1, fontWeight: 600 }} color="text.secondary">
            {index + 1}
          </Typography>
          <TextField
            label={translate('portal.create.mobile')}
            value={row.mobile}
            onChange={(e) => update(row.key, 'mobile', e.target.value.trim())}
            error={!!err(row.key, 'mobile')}
            helperText={err(row.key, 'mobile')}
            size="small"
            disabled={disabled}
            sx={{ width: { xs: 'calc(100% - 36px)', sm: 180 } }}
            slotProps={{ htmlInput: { 'data-testid': `signer-mobile-${index}`, inputMode: 'tel', maxLength: 11 } }}
          />
          {numberField(row, index, 'page', translate('portal.create.page'))}
          {numberField(row, index, 'x', translate('portal.create.x'))}
          {numberField(row, index, 'y', translate('portal.create.y'))}
          <Tooltip title={translate('portal.create.remove_signer')}>
            <span>
              <IconButton
                onClick={() => remove(row.key)}
                disabled={disabled || rows.length <= 1}
                aria-label={translate('portal.create.remove_signer')}
                data-testid={`signer-remove-${index}`}
              >
                <DeleteIcon />
              </IconButton>
            </span>
          </Tooltip>
        </Stack>
      ))}
      <Button
        startIcon={<AddIcon />}
        onClick={add}
        disabled={disabled || rows.length >= MAX_SIGNERS}
        sx={{ mt: 1 }}
        data-testid="signer-add"
      >
        {translate('portal.create.add_signer')}
      </Button>
    </Box>
  );
};
