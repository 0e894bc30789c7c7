import { Checkbox, IconButton, Table, TableBody, TableCell, TableHead, TableRow, TextField, Tooltip, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useTranslate } from 'react-admin';
import { MAX_FONT, MAX_LABEL, MAX_TEXT_LENGTH, MIN_FONT, type RuleErrors } from './definitionRules';
import { ALIGNS, FIELD_TYPES, type Align, type FieldBox, type TemplateField, type TemplateFieldType, type TemplateKind } from './types';

const numberOrNull = (value: string): number | null => (value.trim() === '' ? null : Number(value));

/**
 * 正文字段: one row per field. Word: the tags found in the .docx (key fixed); Web: the fields of the
 * layout (key editable, removable; the box's font size, alignment and size). A field typed
 * 金额大写 may be spelled out from an 金额 field (then it is not asked in the fill form).
 */
export const FieldTable = ({
  kind,
  fields,
  errors,
  disabled,
  onChange,
  onRemove,
}: {
  kind: TemplateKind;
  fields: TemplateField[];
  errors: RuleErrors;
  disabled: boolean;
  onChange: (index: number, patch: Partial<TemplateField>) => void;
  onRemove?: (index: number) => void;
}) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templates.fields.${key}`, opts);
  const err = (i: number, name: string) => {
    const e = errors[`field.${i}.${name}`];
    return e ? translate(`portal.templates.errors.${e.code}`, e.params) : undefined;
  };
  const amounts = fields.filter((f) => f.type === 'amount');
  const setBox = (i: number, f: TemplateField, patch: Partial<FieldBox>) => f.box && onChange(i, { box: { ...f.box, ...patch } });

  if (fields.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid="fields-empty">
        {t(kind === 'word' ? 'none_word' : 'none_web')}
      </Typography>
    );
  }
  const input = (testId: string, extra: object = {}) => ({ htmlInput: { 'data-testid': testId, ...extra } });
  return (
    <Table size="small" data-testid="fields-table" sx={{ '& td': { verticalAlign: 'top' } }}>
      <TableHead>
        <TableRow>
          <TableCell>{t(kind === 'word' ? 'tag' : 'key')}</TableCell>
          <TableCell>{t('label')}</TableCell>
          <TableCell>{t('type')}</TableCell>
          <TableCell>{t('required')}</TableCell>
          <TableCell>{t('default')}</TableCell>
          <TableCell>{t('max_length')}</TableCell>
          <TableCell>{t('derived_from')}</TableCell>
          {kind === 'web' && (
            <>
              <TableCell>{t('box')}</TableCell>
              <TableCell />
            </>
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {fields.map((f, i) => {
          const textual = f.type === 'text' || f.type === 'multiline';
          return (
            <TableRow key={i} data-testid="field-row" data-key={f.key}>
              <TableCell sx={{ minWidth: 120 }}>
                {kind === 'word' ? (
                  <Typography variant="body2" sx={{ fontFamily: 'monospace', pt: 1 }}>{`{${f.key}}`}</Typography>
                ) : (
                  <TextField size="small" value={f.key} disabled={disabled} onChange={(e) => onChange(i, { key: e.target.value })} error={!!err(i, 'key')} helperText={err(i, 'key')} slotProps={input('field-key', { maxLength: 40 })} />
                )}
              </TableCell>
              <TableCell sx={{ minWidth: 140 }}>
                <TextField size="small" value={f.label} disabled={disabled} onChange={(e) => onChange(i, { label: e.target.value })} error={!!err(i, 'label')} helperText={err(i, 'label')} slotProps={input('field-label', { maxLength: MAX_LABEL })} />
              </TableCell>
              <TableCell sx={{ minWidth: 120 }}>
                <TextField
                  select
                  size="small"
                  value={f.type}
                  disabled={disabled}
                  onChange={(e) => {
                    const type = e.target.value as TemplateFieldType;
                    onChange(i, { type, ...(type === 'text' || type === 'multiline' ? {} : { maxLength: null }), ...(type === 'amount_capital' ? {} : { derivedFrom: null }) });
                  }}
                  slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'field-type' } }}
                >
                  {FIELD_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`types.${type}`)}
                    </option>
                  ))}
                </TextField>
              </TableCell>
              <TableCell>
                <Checkbox checked={f.required} disabled={disabled || !!f.derivedFrom} onChange={(e) => onChange(i, { required: e.target.checked })} slotProps={{ input: { 'data-testid': 'field-required' } as object }} />
              </TableCell>
              <TableCell sx={{ minWidth: 140 }}>
                <TextField
                  size="small"
                  value={f.defaultValue ?? ''}
                  disabled={disabled || !!f.derivedFrom}
                  multiline={f.type === 'multiline'}
                  placeholder={f.type === 'date' ? 'YYYY-MM-DD' : undefined}
                  onChange={(e) => onChange(i, { defaultValue: e.target.value === '' ? null : e.target.value })}
                  error={!!err(i, 'defaultValue')}
                  helperText={err(i, 'defaultValue')}
                  slotProps={input('field-default')}
                />
              </TableCell>
              <TableCell sx={{ width: 110 }}>
                <TextField
                  size="small"
                  type="number"
                  value={f.maxLength ?? ''}
                  disabled={disabled || !textual}
                  onChange={(e) => onChange(i, { maxLength: numberOrNull(e.target.value) })}
                  error={!!err(i, 'maxLength')}
                  helperText={err(i, 'maxLength')}
                  slotProps={input('field-max-length', { min: 1, max: MAX_TEXT_LENGTH })}
                />
              </TableCell>
              <TableCell sx={{ minWidth: 130 }}>
                {f.type === 'amount_capital' ? (
                  <TextField
                    select
                    size="small"
                    value={f.derivedFrom ?? ''}
                    disabled={disabled}
                    onChange={(e) => onChange(i, e.target.value ? { derivedFrom: e.target.value, required: false, defaultValue: null } : { derivedFrom: null })}
                    error={!!err(i, 'derivedFrom')}
                    helperText={err(i, 'derivedFrom') ?? (f.derivedFrom ? t('derived_hint') : undefined)}
                    slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'field-derived' } }}
                  >
                    <option value="">{t('typed_in')}</option>
                    {amounts.map((a) => (
                      <option key={a.key} value={a.key}>
                        {a.label || a.key}
                      </option>
                    ))}
                  </TextField>
                ) : (
                  <Typography variant="body2" color="text.secondary" sx={{ pt: 1 }}>
                    —
                  </Typography>
                )}
              </TableCell>
              {kind === 'web' && (
                <>
                  <TableCell sx={{ minWidth: 260 }}>
                    {f.box ? (
                      <>
                        <Typography variant="caption" color="text.secondary" component="div" data-testid="field-box-position">
                          {t('box_at', { page: f.box.page, x: f.box.x, y: f.box.y })}
                        </Typography>
                        <div style={{ display: 'flex', gap: 6, marginTop: 4 }}>
                          <TextField size="small" type="number" label={t('font_size')} value={f.box.fontSize} disabled={disabled} sx={{ width: 72 }} onChange={(e) => setBox(i, f, { fontSize: Number(e.target.value) })} slotProps={input('field-font-size', { min: MIN_FONT, max: MAX_FONT })} />
                          <TextField select size="small" label={t('align')} value={f.box.align} disabled={disabled} sx={{ width: 84 }} onChange={(e) => setBox(i, f, { align: e.target.value as Align })} slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'field-align' } }}>
                            {ALIGNS.map((a) => (
                              <option key={a} value={a}>
                                {t(`aligns.${a}`)}
                              </option>
                            ))}
                          </TextField>
                          <TextField size="small" type="number" label={t('width')} value={f.box.width} disabled={disabled} sx={{ width: 80 }} onChange={(e) => setBox(i, f, { width: Number(e.target.value) })} slotProps={input('field-width', { min: 1 })} />
                          <TextField size="small" type="number" label={t('height')} value={f.box.height} disabled={disabled} sx={{ width: 72 }} onChange={(e) => setBox(i, f, { height: Number(e.target.value) })} slotProps={input('field-height', { min: 1 })} />
                        </div>
                      </>
                    ) : (
                      <Typography variant="caption" color={err(i, 'box') ? 'error' : 'text.secondary'}>
                        {t('not_placed')}
                      </Typography>
                    )}
                    {f.box && err(i, 'box') && (
                      <Typography variant="caption" color="error" component="div" data-testid="field-box-error">
                        {err(i, 'box')}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {onRemove && (
                      <Tooltip title={t('remove')}>
                        <span>
                          <IconButton size="small" aria-label={t('remove')} disabled={disabled} onClick={() => onRemove(i)} data-testid="field-remove">
                            <DeleteIcon fontSize="small" />
                          </IconButton>
                        </span>
                      </Tooltip>
                    )}
                  </TableCell>
                </>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
