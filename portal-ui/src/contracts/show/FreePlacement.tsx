import { createContext, useContext, useMemo, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, LinearProgress, Stack } from '@mui/material';
import DrawIcon from '@mui/icons-material/Draw';
import { useLocaleState, useTranslate } from 'react-admin';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { optionName, type NamedOption } from '../../../../ui-shared/src/types';
import { markSizeOf, type ContractOptions } from '../create/contractOptions';
import { paletteFor } from '../create/wizardModel';
import { PlacementEditor } from '../../pdf/PlacementEditor';
import { participantColor, type EditorMark, type EditorParticipant, type PaletteItem } from '../../pdf/placement';
import type { ContractView, ParticipantView } from '../types';
import { contractUrls } from './contractUrls';
import { SignDialog, type PlacedMark } from './SignDialog';

/** Lets 签署 (in the header) switch the contract page into placement mode for a free-placement participant. */
export const FreePlacementContext = createContext<{ start: (participantId: string) => void } | null>(null);
export const useFreePlacement = () => useContext(FreePlacementContext);

/** What POST /sign carries for a placed mark: page marks page/x/y, a 骑缝章 pageFrom/pageTo/y; no nulls. */
export function toPlacedMark(m: EditorMark): PlacedMark {
  const out: PlacedMark = { kind: m.kind };
  if (m.sealType) out.sealType = m.sealType;
  if (m.kind === 'riding') Object.assign(out, { pageFrom: m.pageFrom ?? undefined, pageTo: m.pageTo ?? undefined, y: m.y ?? undefined });
  else Object.assign(out, { page: m.page ?? undefined, x: m.x ?? undefined, y: m.y ?? undefined });
  return out;
}

/** Why the placed marks cannot be signed yet (a translation key under portal.contracts.show), or null. */
function missingMarks(participant: ParticipantView, marks: EditorMark[]): string | null {
  if (marks.length === 0) return 'place_need_mark';
  if (participant.kind !== 'person' && !marks.some((m) => m.kind === 'seal' || m.kind === 'riding')) return 'place_need_seal';
  return null;
}

/**
 * 签署 for a participant with free placement: the signer drags the marks they may place onto the
 * pages (PlacementEditor, one participant), then 下一步 opens the SMS step, which sends the marks
 * with the signature. Cancelling the SMS step returns here with the marks kept.
 */
export const FreePlacementPanel = ({
  contract,
  participant,
  version,
  onCancel,
  onSigned,
}: {
  contract: ContractView;
  participant: ParticipantView;
  version: string;
  onCancel: () => void;
  onSigned: () => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const options = useApiGet<ContractOptions>('/api/contracts/options');
  const [marks, setMarks] = useState<EditorMark[]>([]);
  const [confirming, setConfirming] = useState(false);
  const source = useMemo(() => `${contractUrls.document(contract.id)}?v=${encodeURIComponent(version)}`, [contract.id, version]);
  const sealTypes = options.data?.sealTypes;

  const editorParticipants: EditorParticipant[] = useMemo(() => {
    const label = (item: Omit<PaletteItem, 'label'>, sealType?: NamedOption) => {
      const sealName = sealType ? optionName(sealType, locale) : (item.sealType ?? '');
      if (item.kind === 'seal') return sealName;
      if (item.kind === 'riding') return translate('portal.contracts.show.mark_riding_of', { seal: sealName });
      return translate(`portal.contracts.show.mark_${item.kind}`);
    };
    const index = Math.max(0, contract.participants.findIndex((p) => p.id === participant.id));
    return [{ key: participant.id, label: participant.name, color: participantColor(index), palette: paletteFor(participant, sealTypes ?? [], label) }];
  }, [contract.participants, participant, sealTypes, locale, translate]);

  const missing = missingMarks(participant, marks);

  // overflow visible: the editor's palette stays sticky against the window while the pages scroll.
  return (
    <Card data-testid="free-placement" data-participant-id={participant.id} sx={{ overflow: 'visible' }}>
      <CardHeader
        title={t('place_title')}
        subheader={participant.kind === 'person' ? t('place_intro_person') : t('place_intro_for', { name: participant.name })}
        slotProps={{ title: { variant: 'h6' }, subheader: { variant: 'body2' } }}
        action={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, pt: 1 }}>
            <Button onClick={onCancel} data-testid="free-placement-cancel">
              {translate('ra.action.cancel')}
            </Button>
            <Button variant="contained" startIcon={<DrawIcon />} disabled={missing !== null} onClick={() => setConfirming(true)} data-testid="free-placement-next">
              {t('place_next')}
            </Button>
          </Stack>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {missing && marks.length > 0 && (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="free-placement-missing">
            {t(missing)}
          </Alert>
        )}
        {options.error && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="free-placement-options-error">
            {options.error.message}
          </Alert>
        )}
        {!options.data ? (
          !options.error && <LinearProgress />
        ) : (
          <Box>
            <PlacementEditor
              source={source}
              participants={editorParticipants}
              marks={marks}
              onChange={setMarks}
              sizeOf={(kind, sealType) => markSizeOf(options.data!, kind, sealType)}
              disabled={confirming}
            />
          </Box>
        )}
      </CardContent>
      {confirming && (
        <SignDialog
          contract={contract}
          participant={participant}
          marks={marks.map(toPlacedMark)}
          onClose={() => setConfirming(false)}
          onSigned={() => {
            setConfirming(false);
            onSigned();
          }}
        />
      )}
    </Card>
  );
};
