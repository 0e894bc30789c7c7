import { useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { Title, useNotify, useTranslate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../../ui-shared/src/components/ConfirmDialog';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { MAX_LABEL, MAX_TEXT_LENGTH, valueProblem, type RuleErrors } from '../manage/definitionRules';
import { FIELD_TYPES, type TemplateFieldType } from '../manage/types';
import { createLibraryField, deleteLibraryField, LIBRARY_URL, updateLibraryField, type LibraryField, type LibraryFieldInput } from './libraryApi';

/** The library's rules (as W's domain checks them): name 1–40 characters, maxLength 1–2000 for text only, a default value of the type. */
export function checkLibraryField(v: LibraryFieldInput): RuleErrors {
  const errors: RuleErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = { code: 'label_required' };
  else if ([...name].length > MAX_LABEL) errors.name = { code: 'too_long', params: { max: MAX_LABEL } };
  if (v.maxLength != null) {
    if (v.type !== 'text' && v.type !== 'multiline') errors.maxLength = { code: 'max_length_text_only' };
    else if (!Number.isInteger(v.maxLength) || v.maxLength < 1 || v.maxLength > MAX_TEXT_LENGTH) errors.maxLength = { code: 'max_length_range', params: { max: MAX_TEXT_LENGTH } };
  }
  if (v.defaultValue != null) {
    const problem = valueProblem(v, v.defaultValue);
    if (problem) errors.defaultValue = problem;
  }
  return errors;
}

const EMPTY: LibraryFieldInput = { name: '', type: 'text', required: false, maxLength: null, defaultValue: null };

const FieldDialog = ({ field, onClose, onSaved }: { field: LibraryField | null; onClose: () => void; onSaved: () => void }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templateFields.${key}`, opts);
  const [value, setValue] = useState<LibraryFieldInput>(field ? { name: field.name, type: field.type, required: field.required, maxLength: field.maxLength, defaultValue: field.defaultValue } : EMPTY);
  const [errors, setErrors] = useState<RuleErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorText = (key: string) => (errors[key] ? translate(`portal.templates.errors.${errors[key].code}`, errors[key].params) : undefined);
  const textual = value.type === 'text' || value.type === 'multiline';

  const submit = async () => {
    const body = { ...value, name: value.name.trim() };
    const found = checkLibraryField(body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setServerError(null);
    try {
      await (field ? updateLibraryField(field.id, body) : createLibraryField(body));
      onSaved();
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="xs" fullWidth data-testid="library-field-dialog">
      <DialogTitle>{field ? t('edit_title') : t('create_title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField label={t('name')} required value={value.name} onChange={(e) => setValue({ ...value, name: e.target.value })} error={!!errors.name} helperText={errorText('name')} slotProps={{ htmlInput: { 'data-testid': 'library-field-name', maxLength: MAX_LABEL } }} />
          <TextField
            select
            label={t('type')}
            value={value.type}
            onChange={(e) => {
              const type = e.target.value as TemplateFieldType;
              setValue({ ...value, type, ...(type === 'text' || type === 'multiline' ? {} : { maxLength: null }) });
            }}
            slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'library-field-type' } }}
          >
            {FIELD_TYPES.map((type) => (
              <option key={type} value={type}>
                {translate(`portal.templates.fields.types.${type}`)}
              </option>
            ))}
          </TextField>
          <FormControlLabel control={<Checkbox checked={value.required} onChange={(e) => setValue({ ...value, required: e.target.checked })} slotProps={{ input: { 'data-testid': 'library-field-required' } as object }} />} label={t('required')} />
          <TextField
            type="number"
            label={t('max_length')}
            value={value.maxLength ?? ''}
            disabled={!textual}
            onChange={(e) => setValue({ ...value, maxLength: e.target.value === '' ? null : Number(e.target.value) })}
            error={!!errors.maxLength}
            helperText={errorText('maxLength') ?? t('max_length_hint', { max: MAX_TEXT_LENGTH })}
            slotProps={{ htmlInput: { 'data-testid': 'library-field-max-length', min: 1, max: MAX_TEXT_LENGTH } }}
          />
          <TextField
            label={t('default')}
            value={value.defaultValue ?? ''}
            placeholder={value.type === 'date' ? 'YYYY-MM-DD' : undefined}
            onChange={(e) => setValue({ ...value, defaultValue: e.target.value === '' ? null : e.target.value })}
            error={!!errors.defaultValue}
            helperText={errorText('defaultValue')}
            slotProps={{ htmlInput: { 'data-testid': 'library-field-default' } }}
          />
        </Stack>
        <ApiErrorAlert error={serverError} testId="library-field-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('ra.action.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy} startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined} data-testid="library-field-save">
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

/** 模板字段管理 (M20): body fields (name, type, required, max length, default) reused by Web templates. */
export const TemplateFieldsPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const t = (key: string, opts?: object) => translate(`portal.templateFields.${key}`, opts);
  const [tick, setTick] = useState(0);
  const list = useApiGet<{ data: LibraryField[]; total: number }>(LIBRARY_URL, tick);
  const [editing, setEditing] = useState<LibraryField | 'new' | null>(null);
  const [deleting, setDeleting] = useState<LibraryField | null>(null);
  const reload = () => setTick((n) => n + 1);
  const rows = list.data?.data;

  return (
    <Box sx={{ mt: 2 }} data-testid="template-fields-page">
      <Title title={t('title')} />
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ alignItems: 'center', mb: 2, gap: 2 }}>
            <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
              {t('hint')}
            </Typography>
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')} data-testid="library-field-create">
              {t('create')}
            </Button>
          </Stack>
          {list.loading && <LinearProgress sx={{ mb: 1 }} />}
          <ApiErrorAlert error={list.error ? errorMessage(list.error) : null} />
          {rows && rows.length === 0 && (
            <Typography color="text.secondary" sx={{ py: 3, textAlign: 'center' }} data-testid="library-empty">
              {t('empty')}
            </Typography>
          )}
          {rows && rows.length > 0 && (
            <Table size="small" data-testid="library-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('name')}</TableCell>
                  <TableCell>{t('type')}</TableCell>
                  <TableCell>{t('required')}</TableCell>
                  <TableCell>{t('max_length')}</TableCell>
                  <TableCell>{t('default')}</TableCell>
                  <TableCell align="right">{translate('portal.templates.actions')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id} data-testid="library-row" data-id={row.id} data-name={row.name} hover>
                    <TableCell>{row.name}</TableCell>
                    <TableCell>{translate(`portal.templates.fields.types.${row.type}`)}</TableCell>
                    <TableCell>{row.required ? t('yes') : t('no')}</TableCell>
                    <TableCell>{row.maxLength ?? '—'}</TableCell>
                    <TableCell>{row.defaultValue ?? '—'}</TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      <IconButton size="small" aria-label={t('edit_title')} onClick={() => setEditing(row)} data-testid="library-row-edit">
                        <EditIcon fontSize="small" />
                      </IconButton>
                      <IconButton size="small" color="error" aria-label={translate('ra.action.delete')} onClick={() => setDeleting(row)} data-testid="library-row-delete">
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {editing && (
        <FieldDialog
          field={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notify(t('saved'), { type: 'success' });
            reload();
          }}
        />
      )}
      <ConfirmDialog
        open={!!deleting}
        title={t('delete_title')}
        content={deleting ? t('delete_confirm', { name: deleting.name }) : ''}
        confirmTestId="library-delete-confirm"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteLibraryField(deleting.id);
          setDeleting(null);
          reload();
        }}
      />
    </Box>
  );
};
