import { useState } from 'react';
import { Alert, Box, Button, Menu, MenuItem, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useTranslate } from 'react-admin';
import { participantColor } from '../../pdf/placement';
import { ParticipantCard } from './ParticipantCard';
import { MAX_PARTICIPANTS, newParticipant, normalizeSteps, stepCount, type FieldErrors, type ParticipantDraft, type ParticipantKind } from './wizardModel';

const KINDS: ParticipantKind[] = ['person', 'enterprise', 'department'];

/** "Add" button with a menu of the three participant kinds. */
const AddMenu = ({ label, testId, onAdd, disabled }: { label: string; testId: string; onAdd: (kind: ParticipantKind) => void; disabled?: boolean }) => {
  const translate = useTranslate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button startIcon={<AddIcon />} onClick={(e) => setAnchor(e.currentTarget)} disabled={disabled} data-testid={testId} size="small">
        {label}
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {KINDS.map((kind) => (
          <MenuItem
            key={kind}
            data-testid={`${testId}-${kind}`}
            onClick={() => {
              setAnchor(null);
              onAdd(kind);
            }}
          >
            {translate(`portal.contracts.create.kinds.${kind}`)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
};

/**
 * Participants by step: steps sign one after the other; the participants of one step sign in
 * parallel. Steps stay numbered 1..n (emptied steps close up).
 */
export const ParticipantsStep = ({
  participants,
  errors,
  onChange,
  disabled,
}: {
  participants: ParticipantDraft[];
  errors: FieldErrors;
  onChange: (participants: ParticipantDraft[]) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const t = (key: string, options?: object) => translate(`portal.contracts.create.${key}`, options);
  const steps = stepCount(participants);
  const full = participants.length >= MAX_PARTICIPANTS;
  const set = (next: ParticipantDraft[]) => onChange(normalizeSteps(next));
  const add = (kind: ParticipantKind, step: number) => set([...participants, newParticipant(kind, step)]);

  return (
    <Box data-testid="participants-step">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('steps_hint')}
      </Typography>
      {errors.participants && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {t(`errors.${errors.participants}`)}
        </Alert>
      )}
      <Stack spacing={3}>
        {Array.from({ length: steps }, (_, i) => i + 1).map((step) => (
          <Box key={step} data-testid="participant-step-group" data-step={step}>
            <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
              {t('step_n', { n: step })}
              {participants.filter((p) => p.step === step).length > 1 && (
                <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
                  {t('parallel')}
                </Typography>
              )}
            </Typography>
            <Stack spacing={1.5}>
              {participants.map((p, index) =>
                p.step === step ? (
                  <ParticipantCard
                    key={p.key}
                    participant={p}
                    index={index}
                    color={participantColor(index)}
                    steps={Math.min(steps + 1, MAX_PARTICIPANTS)}
                    errors={errors}
                    onChange={(patch) => set(participants.map((q) => (q.key === p.key ? { ...q, ...patch } : q)))}
                    onRemove={() => set(participants.filter((q) => q.key !== p.key))}
                    canRemove={participants.length > 1}
                    disabled={disabled}
                  />
                ) : null,
              )}
            </Stack>
            <AddMenu label={t('add_to_step', { n: step })} testId={`add-to-step-${step}`} onAdd={(kind) => add(kind, step)} disabled={disabled || full} />
          </Box>
        ))}
      </Stack>
      <Box sx={{ mt: 2 }}>
        <AddMenu label={t('add_step')} testId="add-step" onAdd={(kind) => add(kind, steps + 1)} disabled={disabled || full} />
      </Box>
    </Box>
  );
};
