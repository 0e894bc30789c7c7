import { Alert, Box, Button, Checkbox, FormControlLabel, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useLocaleState, useTranslate } from 'react-admin';
import { optionName, type NamedOption } from '../../../../ui-shared/src/types';
import { RIDING_RULES } from '../../../../domain/contracts/riding-rule';
import { participantColor, type RidingRule } from '../../pdf/placement';
import { MAX_KEYWORD, MAX_ROLE_NAME, type RuleErrors } from './definitionRules';
import { emptyMark, OCCURRENCES, ROLE_KINDS, ROLE_MARKS, type Occurrence, type RoleKind, type RoleMarkKind, type TemplateKind, type TemplateRole, type TemplateRoleMark } from './types';

const numberOrNull = (value: string): number | null => (value.trim() === '' ? null : Number(value));

/** The next stable role id ('r1', 'r2'…): one more than the highest used. */
export function nextRoleId(roles: TemplateRole[]): string {
  const max = Math.max(0, ...roles.map((r) => Number(/^r(\d+)$/.exec(r.id)?.[1] ?? 0)));
  return `r${max + 1}`;
}

/** Keeps only the marks the role's kind allows (a department's seals are its 部门章). */
function marksFor(kind: RoleKind, marks: TemplateRoleMark[]): TemplateRoleMark[] {
  return marks.filter((m) => ROLE_MARKS[kind].includes(m.kind)).map((m) => (kind === 'department' && (m.kind === 'seal' || m.kind === 'riding') ? { ...m, sealType: 'department' } : m));
}

/**
 * 签署角色: name, kind (个人 / 企业 / 部门), 签署顺序 (step), 可拒签. Word templates place each role's
 * marks by 关键字定位 here (keyword, first / last / every occurrence, offsets in points; a 骑缝章
 * spans all pages at offset Y, or their odd / even ones by its 骑缝规则); Web templates place them on
 * the pages (the layout below).
 */
export const RolesEditor = ({
  kind,
  roles,
  errors,
  disabled,
  sealTypes,
  onChange,
}: {
  kind: TemplateKind;
  roles: TemplateRole[];
  errors: RuleErrors;
  disabled: boolean;
  sealTypes: NamedOption[];
  onChange: (roles: TemplateRole[]) => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.templates.roles.${key}`, opts);
  const errorText = (key: string) => {
    const e = errors[key];
    return e ? translate(`portal.templates.errors.${e.code}`, e.params) : undefined;
  };
  const setRole = (i: number, patch: Partial<TemplateRole>) => onChange(roles.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const setMark = (i: number, j: number, patch: Partial<TemplateRoleMark>) => setRole(i, { marks: roles[i]!.marks.map((m, k) => (k === j ? { ...m, ...patch } : m)) });
  const addRole = () => {
    const step = Math.max(0, ...roles.map((r) => r.step)) + 1;
    onChange([...roles, { id: nextRoleId(roles), name: '', kind: 'enterprise', step, canRefuse: false, marks: [] }]);
  };
  const removeRole = (i: number) => onChange(roles.filter((_, k) => k !== i));
  const addMark = (i: number) => {
    const role = roles[i]!;
    const kindOf: RoleMarkKind = role.kind === 'person' ? 'handwritten' : 'seal';
    const sealType = role.kind === 'department' ? 'department' : role.kind === 'enterprise' ? (sealTypes.find((s) => s.code === 'contract')?.code ?? sealTypes.find((s) => s.code !== 'department')?.code ?? null) : null;
    setRole(i, { marks: [...role.marks, { ...emptyMark(kindOf), sealType, occurrence: 'last', offsetX: 0, offsetY: 0 }] });
  };
  const enterpriseTypes = sealTypes.filter((s) => s.code !== 'department');
  const nativeSelect = (testId: string) => ({ select: { native: true }, htmlInput: { 'data-testid': testId } });

  return (
    <Box data-testid="roles-editor">
      {errors.roles && (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="roles-error">
          {errorText('roles')}
        </Alert>
      )}
      {errors.steps && (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="roles-steps-error">
          {errorText('steps')}
        </Alert>
      )}
      <Stack spacing={2}>
        {roles.map((role, i) => (
          <Box key={role.id} data-testid="role-row" data-role-id={role.id} sx={{ borderLeft: `4px solid ${participantColor(i)}`, pl: 1.5, py: 0.5 }}>
            <Stack direction="row" sx={{ gap: 1.5, flexWrap: 'wrap', alignItems: 'flex-start' }}>
              <TextField fullWidth={false}
                size="small"
                label={t('name')}
                value={role.name}
                disabled={disabled}
                placeholder={t('name_placeholder')}
                onChange={(e) => setRole(i, { name: e.target.value })}
                error={!!errors[`role.${i}.name`]}
                helperText={errorText(`role.${i}.name`)}
                slotProps={{ htmlInput: { 'data-testid': 'role-name', maxLength: MAX_ROLE_NAME } }}
              />
              <TextField fullWidth={false}
                select
                size="small"
                label={t('kind')}
                value={role.kind}
                disabled={disabled}
                onChange={(e) => {
                  const next = e.target.value as RoleKind;
                  setRole(i, { kind: next, marks: marksFor(next, role.marks) });
                }}
                slotProps={nativeSelect('role-kind')}
              >
                {ROLE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </TextField>
              <TextField fullWidth={false}
                size="small"
                type="number"
                label={t('step')}
                value={role.step}
                disabled={disabled}
                sx={{ width: 96 }}
                onChange={(e) => setRole(i, { step: Math.max(1, Math.trunc(Number(e.target.value) || 1)) })}
                slotProps={{ htmlInput: { 'data-testid': 'role-step', min: 1 } }}
              />
              <FormControlLabel
                control={<Checkbox checked={role.canRefuse} disabled={disabled} onChange={(e) => setRole(i, { canRefuse: e.target.checked })} slotProps={{ input: { 'data-testid': 'role-can-refuse' } as object }} />}
                label={t('can_refuse')}
              />
              <Tooltip title={t('remove')}>
                <span>
                  <IconButton aria-label={t('remove')} disabled={disabled} onClick={() => removeRole(i)} data-testid="role-remove">
                    <DeleteIcon />
                  </IconButton>
                </span>
              </Tooltip>
            </Stack>
            {errors[`role.${i}.marks`] && (
              <Typography variant="caption" color="error" component="div" data-testid="role-marks-error">
                {errorText(`role.${i}.marks`)}
              </Typography>
            )}
            {kind === 'web' ? (
              <Typography variant="caption" color="text.secondary" component="div" data-testid="role-marks-count">
                {t('web_marks', { smart_count: role.marks.length })}
              </Typography>
            ) : (
              <Stack spacing={1} sx={{ mt: 1 }}>
                {role.marks.map((m, j) => {
                  const at = (f: string) => `role.${i}.mark.${j}.${f}`;
                  const riding = m.kind === 'riding';
                  return (
                    <Stack key={j} direction="row" data-testid="role-mark" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }}>
                      <TextField fullWidth={false}
                        select
                        size="small"
                        label={t('mark_kind')}
                        value={m.kind}
                        disabled={disabled}
                        onChange={(e) => {
                          const next = e.target.value as RoleMarkKind;
                          const sealed = next === 'seal' || next === 'riding';
                          setMark(i, j, {
                            kind: next,
                            sealType: sealed ? (m.sealType ?? (role.kind === 'department' ? 'department' : (enterpriseTypes[0]?.code ?? null))) : null,
                            ...(next === 'riding' ? { keyword: null, occurrence: null, offsetX: null, ridingRule: m.ridingRule ?? 'all' } : { occurrence: m.occurrence ?? 'last', offsetX: m.offsetX ?? 0, ridingRule: null }),
                          });
                        }}
                        slotProps={nativeSelect('mark-kind')}
                      >
                        {ROLE_MARKS[role.kind].map((k) => (
                          <option key={k} value={k}>
                            {t(`marks.${k}`)}
                          </option>
                        ))}
                      </TextField>
                      {(m.kind === 'seal' || m.kind === 'riding') && role.kind === 'enterprise' && (
                        <TextField fullWidth={false}
                          select
                          size="small"
                          label={t('seal_type')}
                          value={m.sealType ?? ''}
                          disabled={disabled}
                          error={!!errors[at('sealType')]}
                          helperText={errorText(at('sealType'))}
                          onChange={(e) => setMark(i, j, { sealType: e.target.value || null })}
                          slotProps={nativeSelect('mark-seal-type')}
                        >
                          <option value="" />
                          {enterpriseTypes.map((s) => (
                            <option key={s.code} value={s.code}>
                              {optionName(s, locale)}
                            </option>
                          ))}
                        </TextField>
                      )}
                      {riding && (
                        <TextField fullWidth={false}
                          select
                          size="small"
                          label={translate('portal.pdf.riding_rule')}
                          value={m.ridingRule ?? 'all'}
                          disabled={disabled}
                          error={!!errors[at('ridingRule')]}
                          helperText={errorText(at('ridingRule')) ?? t('riding_rule_hint')}
                          onChange={(e) => setMark(i, j, { ridingRule: e.target.value as RidingRule })}
                          slotProps={nativeSelect('mark-riding-rule')}
                        >
                          {RIDING_RULES.map((rule) => (
                            <option key={rule} value={rule}>
                              {translate(`portal.pdf.riding_rules.${rule}`)}
                            </option>
                          ))}
                        </TextField>
                      )}
                      {!riding && (
                        <>
                          <TextField fullWidth={false}
                            size="small"
                            label={t('keyword')}
                            value={m.keyword ?? ''}
                            disabled={disabled}
                            placeholder={t('keyword_placeholder')}
                            onChange={(e) => setMark(i, j, { keyword: e.target.value || null })}
                            error={!!errors[at('keyword')]}
                            helperText={errorText(at('keyword'))}
                            slotProps={{ htmlInput: { 'data-testid': 'mark-keyword', maxLength: MAX_KEYWORD } }}
                          />
                          <TextField fullWidth={false}
                            select
                            size="small"
                            label={t('occurrence')}
                            value={m.occurrence ?? 'last'}
                            disabled={disabled}
                            onChange={(e) => setMark(i, j, { occurrence: e.target.value as Occurrence })}
                            slotProps={nativeSelect('mark-occurrence')}
                          >
                            {OCCURRENCES.map((o) => (
                              <option key={o} value={o}>
                                {t(`occurrences.${o}`)}
                              </option>
                            ))}
                          </TextField>
                          <TextField fullWidth={false}
                            size="small"
                            type="number"
                            label={t('offset_x')}
                            value={m.offsetX ?? ''}
                            disabled={disabled}
                            sx={{ width: 100 }}
                            onChange={(e) => setMark(i, j, { offsetX: numberOrNull(e.target.value) })}
                            error={!!errors[at('offsetX')]}
                            helperText={errorText(at('offsetX'))}
                            slotProps={{ htmlInput: { 'data-testid': 'mark-offset-x' } }}
                          />
                        </>
                      )}
                      <TextField fullWidth={false}
                        size="small"
                        type="number"
                        label={riding ? t('riding_y') : t('offset_y')}
                        value={m.offsetY ?? ''}
                        disabled={disabled}
                        sx={{ width: 100 }}
                        onChange={(e) => setMark(i, j, { offsetY: numberOrNull(e.target.value) })}
                        error={!!errors[at('offsetY')]}
                        helperText={errorText(at('offsetY'))}
                        slotProps={{ htmlInput: { 'data-testid': 'mark-offset-y' } }}
                      />
                      <IconButton aria-label={t('remove_mark')} disabled={disabled} onClick={() => setRole(i, { marks: role.marks.filter((_, k) => k !== j) })} data-testid="mark-remove">
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </Stack>
                  );
                })}
                <Box>
                  <Button size="small" startIcon={<AddIcon />} disabled={disabled} onClick={() => addMark(i)} data-testid="mark-add">
                    {t('add_mark')}
                  </Button>
                  {kind === 'word' && (
                    <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                      {t('keyword_hint')}
                    </Typography>
                  )}
                </Box>
              </Stack>
            )}
          </Box>
        ))}
      </Stack>
      <Button sx={{ mt: 2 }} startIcon={<AddIcon />} variant="outlined" disabled={disabled} onClick={addRole} data-testid="role-add">
        {t('add')}
      </Button>
    </Box>
  );
};
