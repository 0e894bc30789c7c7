import { useMemo } from 'react';
import { Alert, Box, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { optionName, type NamedOption } from '../../../../ui-shared/src/types';
import { PlacementEditor } from '../../pdf/PlacementEditor';
import type { Size } from '../../pdf/geometry';
import { participantColor, type EditorMark, type EditorParticipant, type PaletteItem } from '../../pdf/placement';
import { markSizeOf, type ContractOptions } from './contractOptions';
import { paletteFor, type FieldErrors, type ParticipantDraft } from './wizardModel';

/** How a participant is named in the editor: the person's name or number, the enterprise, 企业·部门. */
export function participantLabel(p: ParticipantDraft, index: number, fallback: (n: number) => string): string {
  if (p.kind === 'person') return p.name.trim() || p.mobile || fallback(index + 1);
  const name = p.enterprise?.name ?? fallback(index + 1);
  return p.kind === 'department' && p.departmentName ? `${name}·${p.departmentName}` : name;
}

/** 签署位置: drag each preset participant's marks onto the pages; free-placement participants are listed. */
export const PlacementStep = ({
  file,
  participants,
  marks,
  options,
  errors,
  onChange,
  onPagesLoaded,
  disabled,
}: {
  file: File | null;
  participants: ParticipantDraft[];
  marks: EditorMark[];
  options: ContractOptions;
  errors: FieldErrors;
  onChange: (marks: EditorMark[]) => void;
  onPagesLoaded: (pages: Size[]) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.create.${key}`, opts);
  const fallback = (n: number) => t('participant_n', { n });

  const editorParticipants: EditorParticipant[] = useMemo(() => {
    const label = (item: Omit<PaletteItem, 'label'>, sealType?: NamedOption) => {
      const sealName = sealType ? optionName(sealType, locale) : (item.sealType ?? '');
      if (item.kind === 'seal') return sealName;
      if (item.kind === 'riding') return translate('portal.contracts.create.marks.riding_of', { seal: sealName });
      return translate(`portal.contracts.create.marks.${item.kind}`);
    };
    return participants.flatMap((p, index) =>
      p.placement === 'preset'
        ? [{ key: p.key, label: participantLabel(p, index, (n) => translate('portal.contracts.create.participant_n', { n })), color: participantColor(index), palette: paletteFor(p, options.sealTypes, label) }]
        : [],
    );
  }, [participants, options.sealTypes, locale, translate]);

  const free = participants.filter((p) => p.placement === 'free');
  const missing = participants.flatMap((p, index) => (errors[p.key] ? [{ p, index, code: errors[p.key]! }] : []));

  return (
    <Box data-testid="placement-step">
      {free.length > 0 && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="placement-free-note">
          {t('free_participants', { names: free.map((p) => participantLabel(p, participants.indexOf(p), fallback)).join('、') })}
        </Alert>
      )}
      {missing.length > 0 && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="placement-errors">
          {missing.map(({ p, index, code }) => (
            <Typography key={p.key} variant="body2">
              {participantLabel(p, index, fallback)}：{t(`errors.${code}`)}
            </Typography>
          ))}
        </Alert>
      )}
      {editorParticipants.length === 0 ? (
        <Typography color="text.secondary">{t('nothing_to_place')}</Typography>
      ) : (
        <PlacementEditor
          source={file}
          participants={editorParticipants}
          marks={marks}
          onChange={onChange}
          sizeOf={(kind, sealType) => markSizeOf(options, kind, sealType)}
          onPagesLoaded={onPagesLoaded}
          disabled={disabled}
        />
      )}
    </Box>
  );
};
