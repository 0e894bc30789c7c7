import { useMemo, useState } from 'react';
import { Autocomplete, Box, Button, Stack, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useLocaleState, useTranslate } from 'react-admin';
import { optionName, type NamedOption } from '../../../../ui-shared/src/types';
import { markSizeOf, type ContractOptions } from '../../contracts/create/contractOptions';
import { paletteFor } from '../../contracts/create/wizardModel';
import type { Size } from '../../pdf/geometry';
import { PlacementEditor } from '../../pdf/PlacementEditor';
import { participantColor, type EditorMark, type EditorParticipant, type PaletteItem, type SizeLimits } from '../../pdf/placement';
import type { LibraryField } from '../library/libraryApi';
import { keyFromLabel, MAX_LABEL } from './definitionRules';
import { FIELD_TYPES, newField, type RoleMarkKind, type TemplateDefinition, type TemplateField, type TemplateFieldType, type TemplateRoleMark } from './types';

/** The body fields' own row in the palette. */
const FIELDS_KEY = 'fields';
const FIELD_COLOR = '#455a64';
/** A new field box (PDF points): one line of 12 pt text. */
export const DEFAULT_FIELD_BOX = { width: 160, height: 22, fontSize: 12 } as const;
const FIELD_LIMITS: SizeLimits = { min: { width: 12, height: 8 }, max: { width: 2000, height: 2000 } };

/** Definition → editor boxes: a field's box, each role's placed marks. */
function toEditorMarks(def: TemplateDefinition): EditorMark[] {
  const fields: EditorMark[] = def.fields.flatMap((f) =>
    f.box ? [{ id: `field:${f.key}`, participantKey: FIELDS_KEY, kind: 'field' as const, ref: f.key, page: f.box.page, x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height }] : [],
  );
  const marks: EditorMark[] = def.roles.flatMap((r) =>
    r.marks.map((m, j) => ({ id: `${r.id}:${j}`, participantKey: r.id, kind: m.kind, sealType: m.sealType, page: m.page, x: m.x, y: m.y, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule: m.ridingRule, width: m.width, height: m.height })),
  );
  return [...fields, ...marks];
}

/** Editor boxes → definition (fields keep their font and alignment; role marks their order of placing). */
function fromEditorMarks(def: TemplateDefinition, marks: EditorMark[]): TemplateDefinition {
  const fields = def.fields.map((f): TemplateField => {
    const m = marks.find((b) => b.kind === 'field' && b.ref === f.key);
    if (!m || m.page == null || m.x == null || m.y == null) return { ...f, box: null };
    return {
      ...f,
      box: {
        page: m.page,
        x: m.x,
        y: m.y,
        width: m.width ?? f.box?.width ?? DEFAULT_FIELD_BOX.width,
        height: m.height ?? f.box?.height ?? DEFAULT_FIELD_BOX.height,
        fontSize: f.box?.fontSize ?? DEFAULT_FIELD_BOX.fontSize,
        align: f.box?.align ?? 'left',
      },
    };
  });
  const roles = def.roles.map((r) => ({
    ...r,
    marks: marks
      .filter((m) => m.participantKey === r.id)
      .map(
        (m): TemplateRoleMark => ({
          kind: m.kind as RoleMarkKind,
          sealType: m.sealType ?? null,
          page: m.kind === 'riding' ? null : (m.page ?? null),
          x: m.kind === 'riding' ? null : (m.x ?? null),
          y: m.y ?? null,
          width: m.width ?? null,
          height: m.height ?? null,
          pageFrom: m.kind === 'riding' ? (m.pageFrom ?? null) : null,
          pageTo: m.kind === 'riding' ? (m.pageTo ?? null) : null,
          ridingRule: m.kind === 'riding' ? (m.ridingRule ?? null) : null,
          keyword: null,
          occurrence: null,
          offsetX: null,
          offsetY: null,
        }),
      ),
  }));
  return { fields, roles };
}

/**
 * Web template layout: the source PDF's pages (pdf.js, the shared PlacementEditor) with a palette
 * row 正文字段 (one chip per field; drag it onto a page, move it, resize it by its corner) and one row
 * per role with the marks its kind allows. Fields come from 模板字段管理 (the library) or are new.
 */
export const WebLayoutEditor = ({
  source,
  definition,
  options,
  library,
  disabled,
  onChange,
  onPagesLoaded,
}: {
  source: string;
  definition: TemplateDefinition;
  options: ContractOptions;
  library: LibraryField[];
  disabled: boolean;
  onChange: (def: TemplateDefinition) => void;
  onPagesLoaded?: (pages: Size[]) => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.templates.web.${key}`, opts);
  const [picked, setPicked] = useState<LibraryField | null>(null);
  const [newLabel, setNewLabel] = useState('');
  const [newType, setNewType] = useState<TemplateFieldType>('text');

  const marks = useMemo(() => toEditorMarks(definition), [definition]);
  const participants: EditorParticipant[] = useMemo(() => {
    const placed = new Set(definition.fields.filter((f) => f.box).map((f) => f.key));
    const fieldItems: PaletteItem[] = definition.fields.map((f) => ({ kind: 'field', ref: f.key, label: f.label || f.key, disabledReason: placed.has(f.key) ? t('field_placed') : null }));
    const label = (item: Omit<PaletteItem, 'label'>, sealType?: NamedOption) => {
      const sealName = sealType ? optionName(sealType, locale) : (item.sealType ?? '');
      if (item.kind === 'seal') return sealName;
      if (item.kind === 'riding') return translate('portal.contracts.create.marks.riding_of', { seal: sealName });
      return translate(`portal.contracts.create.marks.${item.kind}`);
    };
    return [
      { key: FIELDS_KEY, label: t('fields_row'), color: FIELD_COLOR, palette: fieldItems },
      ...definition.roles.map((r, i) => ({ key: r.id, label: r.name || translate('portal.templates.roles.unnamed', { id: r.id }), color: participantColor(i), palette: paletteFor(r, options.sealTypes, label) })),
    ];
  }, [definition, options.sealTypes, locale, translate]);

  const taken = definition.fields.map((f) => f.key);
  const addField = (field: TemplateField) => onChange({ ...definition, fields: [...definition.fields, field] });
  const addFromLibrary = () => {
    if (!picked) return;
    addField({ ...newField(keyFromLabel(picked.name, taken), picked.name.slice(0, MAX_LABEL), picked.type), required: picked.required, maxLength: picked.maxLength, defaultValue: picked.defaultValue, libraryFieldId: picked.id });
    setPicked(null);
  };
  const addNew = () => {
    const label = newLabel.trim();
    if (!label) return;
    addField(newField(keyFromLabel(label, taken), label.slice(0, MAX_LABEL), newType));
    setNewLabel('');
  };

  return (
    <Box data-testid="web-layout-editor">
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
        <Autocomplete
          size="small"
          sx={{ width: 260 }}
          options={library.filter((l) => !definition.fields.some((f) => f.libraryFieldId === l.id))}
          value={picked}
          onChange={(_e, v) => setPicked(v)}
          getOptionLabel={(o) => `${o.name}（${translate(`portal.templates.fields.types.${o.type}`)}）`}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          disabled={disabled}
          noOptionsText={t('library_empty')}
          renderOption={(props, o) => (
            <li {...props} key={o.id} data-testid="library-field-option">
              {o.name}（{translate(`portal.templates.fields.types.${o.type}`)}）
            </li>
          )}
          renderInput={(params) => <TextField {...params} label={t('from_library')} slotProps={{ htmlInput: { ...params.inputProps, 'data-testid': 'library-field-pick' } }} />}
        />
        <Button size="small" startIcon={<AddIcon />} disabled={disabled || !picked} onClick={addFromLibrary} data-testid="library-field-add">
          {t('add_from_library')}
        </Button>
        <Box sx={{ width: 16 }} />
        <TextField fullWidth={false} size="small" label={t('new_field')} value={newLabel} disabled={disabled} onChange={(e) => setNewLabel(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'new-field-label', maxLength: MAX_LABEL } }} />
        <TextField fullWidth={false} select size="small" label={translate('portal.templates.fields.type')} value={newType} disabled={disabled} onChange={(e) => setNewType(e.target.value as TemplateFieldType)} slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'new-field-type' } }}>
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {translate(`portal.templates.fields.types.${type}`)}
            </option>
          ))}
        </TextField>
        <Button size="small" startIcon={<AddIcon />} disabled={disabled || !newLabel.trim()} onClick={addNew} data-testid="new-field-add">
          {t('add_new')}
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t('hint')}
      </Typography>
      <PlacementEditor
        source={source}
        participants={participants}
        marks={marks}
        onChange={(next) => onChange(fromEditorMarks(definition, next))}
        sizeOf={(kind, sealType) => (kind === 'field' ? { width: DEFAULT_FIELD_BOX.width, height: DEFAULT_FIELD_BOX.height } : markSizeOf(options, kind, sealType))}
        limitsOf={(mark) => (mark.kind === 'field' ? FIELD_LIMITS : null)}
        onPagesLoaded={onPagesLoaded}
        disabled={disabled}
        viewer
      />
    </Box>
  );
};
