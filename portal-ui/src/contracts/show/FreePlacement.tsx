import { useMemo, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, LinearProgress, Stack } from '@mui/material';
import DrawIcon from '@mui/icons-material/Draw';
import { useLocaleState, useTranslate } from 'react-admin';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { markSizeOf, type ContractOptions } from '../create/contractOptions';
import { PlacementEditor } from '../../pdf/PlacementEditor';
import { participantColor, type EditorMark, type EditorParticipant, type MarkKind } from '../../pdf/placement';
import type { ContractView, ParticipantView } from '../types';
import { contractUrls } from './contractUrls';
import { SignatureChooser } from './SignatureChooser';
import { SignDialog, type PlacedMark } from './SignDialog';
import { baseSizeOf, defaultSignatureOf, limitsFor, paletteFromOptions, signOptionsUrl, type SignOptions } from './signOptions';
import { LeaveGuard } from '../../../../ui-shared/src/components/LeaveGuard';

/**
 * What POST /sign carries for a placed mark: page marks page/x/y (+ width/height when resized),
 * a 骑缝章 pageFrom/pageTo/y and its 骑缝规则; the seal (enterprise) by id; no nulls.
 */
export function toPlacedMark(m: EditorMark): PlacedMark {
  const out: PlacedMark = { kind: m.kind };
  if (m.sealType) out.sealType = m.sealType;
  if (m.sealId && (m.kind === 'seal' || m.kind === 'riding')) out.sealId = m.sealId;
  if (m.signatureId && m.kind === 'handwritten') out.signatureId = m.signatureId;
  if (m.kind === 'riding') Object.assign(out, { pageFrom: m.pageFrom ?? undefined, pageTo: m.pageTo ?? undefined, ridingRule: m.ridingRule ?? 'all', y: m.y ?? undefined });
  else Object.assign(out, { page: m.page ?? undefined, x: m.x ?? undefined, y: m.y ?? undefined });
  if (m.kind !== 'riding' && m.width != null && m.height != null) Object.assign(out, { width: m.width, height: m.height });
  return out;
}

/** Why the placed marks cannot be signed yet (a translation key under portal.contracts.show), or null. */
function missingMarks(participant: ParticipantView, marks: EditorMark[], round: number): string | null {
  if (marks.length === 0) return round > 0 ? null : 'place_need_mark';
  if (round === 0 && participant.kind !== 'person' && !marks.some((m) => m.kind === 'seal' || m.kind === 'riding')) return 'place_need_seal';
  return null;
}

/**
 * 签署 for a participant with free placement: the signer drags the marks they may place (from the
 * sign options: the person's 人名章 / 手写签名 / 日期章, the enterprise's usable seals, 骑缝章 and
 * 日期章) onto the pages, moves, resizes (within the server's limits), copies onto several pages
 * (多页盖章) or deletes them (一键删除), then 下一步 opens the SMS step: 继续签署 signs this round
 * and keeps the participant open, 结束签署 signs and finishes. Cancelling the SMS step keeps the marks;
 * leaving the page with marks placed asks first (LeaveGuard).
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
  const ts = (key: string, opts?: object) => translate(`portal.contracts.sign.${key}`, opts);
  const options = useApiGet<ContractOptions>('/api/contracts/options');
  const signOptions = useApiGet<SignOptions>(signOptionsUrl(String(contract.id), participant.id), version);
  const [marks, setMarks] = useState<EditorMark[]>([]);
  const [confirming, setConfirming] = useState(false);
  /** The handwritten signature the 手写签名 chip places (null: the default one). */
  const [chosenSignature, setChosenSignature] = useState<string | null>(null);
  const source = useMemo(() => `${contractUrls.document(contract.id)}?v=${encodeURIComponent(version)}`, [contract.id, version]);
  const so = signOptions.data;
  const round = so?.round ?? 0;

  const editorParticipants: EditorParticipant[] = useMemo(() => {
    if (!so) return [];
    const show = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
    const label = (kind: MarkKind, seal?: { name: string }) => {
      if (kind === 'seal') return seal?.name ?? show('mark_seal');
      if (kind === 'riding') return show('mark_riding_of', { seal: seal?.name ?? show('mark_seal') });
      return show(`mark_${kind}`);
    };
    const words = { noSignature: translate('portal.contracts.sign.no_signature'), sealUnusable: translate('portal.contracts.sign.seal_unusable') };
    const reason = (seal: { reason?: string | null; reasonEn?: string | null }) => (locale === 'en' ? (seal.reasonEn ?? seal.reason) : seal.reason);
    const palette = paletteFromOptions(so, { label, reason, ...words }, chosenSignature);
    const index = Math.max(0, contract.participants.findIndex((p) => p.id === participant.id));
    return [{ key: participant.id, label: participant.name, color: participantColor(index), palette }];
  }, [so, contract.participants, participant, translate, locale, chosenSignature]);

  const missing = missingMarks(participant, marks, round);
  const ready = options.data && so;
  const kindSize = (kind: MarkKind, sealType?: string | null) => markSizeOf(options.data!, kind, sealType);
  const sizeOf = (kind: MarkKind, sealType?: string | null, sealId?: string | null) => baseSizeOf(so!, kind, sealId, kindSize(kind, sealType));
  const limitsOf = (m: EditorMark) => limitsFor(so!, m.kind, sizeOf(m.kind, m.sealType, m.sealId), kindSize(m.kind));
  const error = options.error ?? signOptions.error;

  // overflow visible: the editor's palette stays sticky against the window while the pages scroll.
  return (
    <Card data-testid="free-placement" data-participant-id={participant.id} data-round={round} sx={{ overflow: 'visible' }}>
      <LeaveGuard when={marks.length > 0} />
      <CardHeader
        title={t('place_title')}
        subheader={participant.kind === 'person' ? t('place_intro_person') : t('place_intro_for', { name: participant.name })}
        slotProps={{ title: { variant: 'h6' }, subheader: { variant: 'body2' } }}
        sx={{ flexWrap: 'wrap', '& .MuiCardHeader-action': { m: 0 } }}
        action={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, pt: 1 }}>
            <Button onClick={onCancel} data-testid="free-placement-cancel">
              {translate('ra.action.cancel')}
            </Button>
            <Button variant="contained" startIcon={<DrawIcon />} disabled={!ready || missing !== null} onClick={() => setConfirming(true)} data-testid="free-placement-next">
              {marks.length === 0 && round > 0 ? ts('finish') : t('place_next')}
            </Button>
          </Stack>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {round > 0 && (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="free-placement-rounds" icon={<Chip size="small" color="primary" label={round} />}>
            {ts('rounds_done', { smart_count: round })}
          </Alert>
        )}
        {missing && marks.length > 0 && (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="free-placement-missing">
            {t(missing)}
          </Alert>
        )}
        {so && marks.length >= so.maxMarks && (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="free-placement-full">
            {ts('max_marks', { max: so.maxMarks })}
          </Alert>
        )}
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="free-placement-options-error">
            {error.message}
          </Alert>
        )}
        {so && participant.kind === 'person' && so.allowedKinds.includes('handwritten') && so.signatures.length > 1 && (
          <SignatureChooser signatures={so.signatures} value={chosenSignature ?? defaultSignatureOf(so)?.id ?? null} onChange={setChosenSignature} disabled={confirming} />
        )}
        {!ready ? (
          !error && <LinearProgress />
        ) : (
          <Box>
            <PlacementEditor
              source={source}
              participants={editorParticipants}
              marks={marks}
              onChange={setMarks}
              sizeOf={sizeOf}
              limitsOf={limitsOf}
              maxMarks={so.maxMarks}
              multiPage
              viewer
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
          rounds={so?.continueAllowed ?? false}
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
