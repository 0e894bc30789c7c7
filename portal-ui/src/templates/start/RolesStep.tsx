import { Box, Chip, Paper, Stack, Typography } from '@mui/material';
import PersonIcon from '@mui/icons-material/Person';
import BusinessIcon from '@mui/icons-material/Business';
import GroupsIcon from '@mui/icons-material/Groups';
import { useTranslate } from 'react-admin';
import { PartyFields } from '../../contracts/create/PartyFields';
import type { FieldErrors, ParticipantDraft } from '../../contracts/create/wizardModel';
import { participantColor } from '../../pdf/placement';
import type { FormRole } from './types';

const KIND_ICONS = { person: <PersonIcon />, enterprise: <BusinessIcon />, department: <GroupsIcon /> };

/**
 * Who takes each of the template's roles (甲方, 乙方…): the role fixes the kind (个人 / 企业 / 部门),
 * the step and 可拒签, and its marks are placed by the template; here only the party is named —
 * a person by mobile (name for an invitation), an enterprise through the lookup, a department of
 * it, and optionally the 经办人.
 */
export const RolesStep = ({
  roles,
  participants,
  errors,
  onChange,
  disabled,
}: {
  roles: FormRole[];
  participants: ParticipantDraft[];
  errors: FieldErrors;
  onChange: (roleId: string, patch: Partial<ParticipantDraft>) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const tc = (key: string, opts?: object) => translate(`portal.contracts.create.${key}`, opts);
  const t = (key: string, opts?: object) => translate(`portal.templateStart.${key}`, opts);
  return (
    <Stack spacing={2} data-testid="roles-step">
      <Typography variant="body2" color="text.secondary">
        {t('roles_hint')}
      </Typography>
      {roles.map((role, index) => {
        const p = participants.find((q) => q.key === role.id);
        if (!p) return null;
        const color = participantColor(index);
        const err = (field: string) => {
          const code = errors[`${role.id}.${field}`];
          return code ? tc(`errors.${code}`) : undefined;
        };
        const tid = (field: string) => `role-${field}-${role.id}`;
        return (
          <Paper key={role.id} variant="outlined" sx={{ p: 2, borderLeft: `4px solid ${color}` }} data-testid="role-card" data-role={role.id} data-kind={role.kind} data-step={role.step}>
            <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
              <Typography variant="subtitle1" sx={{ fontWeight: 600 }} data-testid="role-name">
                {role.name}
              </Typography>
              <Chip icon={KIND_ICONS[role.kind]} label={tc(`kinds.${role.kind}`)} size="small" variant="outlined" sx={{ color, borderColor: color }} />
              <Chip label={tc('step_n', { n: role.step })} size="small" />
              {role.canRefuse && <Chip label={tc('can_refuse')} size="small" variant="outlined" />}
              <Box sx={{ flex: 1 }} />
              {role.markKinds.length > 0 && (
                <Typography variant="caption" color="text.secondary">
                  {t('marks_label')}
                  {role.markKinds.map((k) => t(`mark_kinds.${k}`)).join('、')}
                </Typography>
              )}
            </Stack>
            <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap' }}>
              <PartyFields party={p} onChange={(patch) => onChange(role.id, patch)} error={err} testId={tid} disabled={disabled} />
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
};
