import { Box, Chip, FormControlLabel, IconButton, MenuItem, Paper, Stack, Switch, TextField, ToggleButton, ToggleButtonGroup, Tooltip, Typography } from '@mui/material';
import PersonIcon from '@mui/icons-material/Person';
import BusinessIcon from '@mui/icons-material/Business';
import GroupsIcon from '@mui/icons-material/Groups';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useTranslate } from 'react-admin';
import { PartyFields } from './PartyFields';
import type { FieldErrors, ParticipantDraft } from './wizardModel';
import { MAX_NOTE } from './wizardModel';

const KIND_ICONS = { person: <PersonIcon />, enterprise: <BusinessIcon />, department: <GroupsIcon /> };

/** One participant: who (个人 mobile + name / 企业 / 部门), its step, 可拒签, preset or free placement, note. */
export const ParticipantCard = ({
  participant: p,
  index,
  color,
  steps,
  errors,
  onChange,
  onRemove,
  canRemove,
  disabled,
}: {
  participant: ParticipantDraft;
  index: number;
  color: string;
  /** Steps it may move to: 1..steps. */
  steps: number;
  errors: FieldErrors;
  onChange: (patch: Partial<ParticipantDraft>) => void;
  onRemove: () => void;
  canRemove: boolean;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const t = (key: string) => translate(`portal.contracts.create.${key}`);
  const err = (field: string) => {
    const code = errors[`${p.key}.${field}`];
    return code ? t(`errors.${code}`) : undefined;
  };
  const tid = (field: string) => `participant-${field}-${index}`;

  return (
    <Paper
      variant="outlined"
      data-testid="participant-card"
      data-index={index}
      data-kind={p.kind}
      data-step={p.step}
      sx={{ p: 2, borderLeft: `4px solid ${color}` }}
    >
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
        <Chip icon={KIND_ICONS[p.kind]} label={t(`kinds.${p.kind}`)} size="small" sx={{ color, borderColor: color }} variant="outlined" />
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {translate('portal.contracts.create.participant_n', { n: index + 1 })}
        </Typography>
        <TextField
          select
          size="small"
          label={t('step')}
          value={p.step}
          onChange={(e) => onChange({ step: Number(e.target.value) })}
          disabled={disabled}
          sx={{ width: 120 }}
          slotProps={{ htmlInput: { 'data-testid': tid('step') } }}
        >
          {Array.from({ length: steps }, (_, i) => (
            <MenuItem key={i + 1} value={i + 1} data-testid={`${tid('step')}-option`}>
              {translate('portal.contracts.create.step_n', { n: i + 1 })}
            </MenuItem>
          ))}
        </TextField>
        <Tooltip title={t('remove_participant')}>
          <span>
            <IconButton onClick={onRemove} disabled={disabled || !canRemove} aria-label={t('remove_participant')} data-testid={tid('remove')}>
              <DeleteIcon />
            </IconButton>
          </span>
        </Tooltip>
      </Stack>

      <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap' }}>
        <PartyFields party={p} onChange={onChange} error={err} testId={tid} disabled={disabled} />
      </Stack>

      <Stack direction="row" sx={{ gap: 2, mt: 1.5, alignItems: 'center', flexWrap: 'wrap' }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={p.placement}
          onChange={(_e, v: ParticipantDraft['placement'] | null) => v && onChange({ placement: v })}
          disabled={disabled}
          aria-label={t('placement')}
        >
          <ToggleButton value="preset" data-testid={`${tid('placement')}-preset`}>
            {t('placement_preset')}
          </ToggleButton>
          <ToggleButton value="free" data-testid={`${tid('placement')}-free`}>
            {t('placement_free')}
          </ToggleButton>
        </ToggleButtonGroup>
        <FormControlLabel
          control={<Switch checked={p.canRefuse} onChange={(e) => onChange({ canRefuse: e.target.checked })} disabled={disabled} slotProps={{ input: { 'data-testid': tid('can-refuse') } as object }} />}
          label={t('can_refuse')}
        />
      </Stack>
      <Box sx={{ mt: 1.5 }}>
        <TextField
          size="small"
          fullWidth
          label={t('note')}
          value={p.note}
          onChange={(e) => onChange({ note: e.target.value })}
          error={!!err('note')}
          helperText={err('note')}
          disabled={disabled}
          slotProps={{ htmlInput: { 'data-testid': tid('note'), maxLength: MAX_NOTE } }}
        />
      </Box>
    </Paper>
  );
};
