import { MenuItem, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { EnterpriseLookup } from './EnterpriseLookup';
import type { ParticipantDraft } from './wizardModel';

/**
 * Who a participant is: a person by mobile (and a name for an invitation), or an enterprise found
 * through the lookup — a department of it for a 部门 participant — with an optional 经办人. Used by
 * the 发起合同 wizard's participant cards and by 从模板发起's role cards.
 */
export const PartyFields = ({
  party: p,
  onChange,
  error,
  testId,
  disabled,
}: {
  party: ParticipantDraft;
  onChange: (patch: Partial<ParticipantDraft>) => void;
  /** The message for a field, if it has an error. */
  error: (field: string) => string | undefined;
  /** The test id of a field. */
  testId: (field: string) => string;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const t = (key: string) => translate(`portal.contracts.create.${key}`);
  if (p.kind === 'person') {
    return (
      <>
        <TextField
          size="small"
          required
          label={t('mobile')}
          value={p.mobile}
          onChange={(e) => onChange({ mobile: e.target.value.trim() })}
          error={!!error('mobile')}
          helperText={error('mobile')}
          disabled={disabled}
          sx={{ flex: '1 1 180px' }}
          slotProps={{ htmlInput: { 'data-testid': testId('mobile'), inputMode: 'tel', maxLength: 11 } }}
        />
        <TextField
          size="small"
          required
          label={t('name')}
          value={p.name}
          onChange={(e) => onChange({ name: e.target.value })}
          error={!!error('name')}
          helperText={error('name') ?? t('name_hint')}
          disabled={disabled}
          sx={{ flex: '1 1 220px' }}
          slotProps={{ htmlInput: { 'data-testid': testId('name'), maxLength: 50 } }}
        />
      </>
    );
  }
  const departments = p.enterprise?.departments ?? [];
  return (
    <>
      <EnterpriseLookup value={p.enterprise} onChange={(enterprise) => onChange({ enterprise, departmentName: '' })} error={error('enterprise')} disabled={disabled} testId={testId('enterprise')} />
      {p.kind === 'department' && (
        <TextField
          select
          size="small"
          required
          label={t('department')}
          value={p.departmentName}
          onChange={(e) => onChange({ departmentName: e.target.value })}
          error={!!error('departmentName')}
          helperText={error('departmentName') ?? (p.enterprise && departments.length === 0 ? t('no_departments') : undefined)}
          disabled={disabled || !p.enterprise || departments.length === 0}
          sx={{ flex: '1 1 160px' }}
          slotProps={{ htmlInput: { 'data-testid': testId('department') } }}
        >
          {departments.map((d) => (
            <MenuItem key={d} value={d} data-testid={`${testId('department')}-option`}>
              {d}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        size="small"
        label={t('operator_mobile')}
        value={p.operatorMobile}
        onChange={(e) => onChange({ operatorMobile: e.target.value.trim() })}
        error={!!error('operatorMobile')}
        helperText={error('operatorMobile') ?? t('operator_hint')}
        disabled={disabled}
        sx={{ flex: '1 1 200px' }}
        slotProps={{ htmlInput: { 'data-testid': testId('operator'), inputMode: 'tel', maxLength: 11 } }}
      />
    </>
  );
};
