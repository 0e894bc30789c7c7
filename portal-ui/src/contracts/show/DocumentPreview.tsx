import { Box, Button, Card, CardContent, CardHeader, Stack, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import VerifiedIcon from '@mui/icons-material/Verified';
import { useTranslate } from 'react-admin';
import { participantColor, PdfPages, ridingStrip, type PdfPageInfo } from '../../pdf';
import type { ContractMarkView, ContractView } from '../types';
import { contractUrls } from './contractUrls';

interface Box4 {
  x: number;
  y: number;
  width: number;
  height: number;
  /** 骑缝章: which strip of how many. */
  strip?: { index: number; count: number };
}

/** Where a mark sits on one page, in PDF points from the top-left; null when not on that page. */
function markBoxOn(mark: ContractMarkView, page: PdfPageInfo): Box4 | null {
  if (mark.width == null || mark.height == null || mark.y == null) return null;
  if (mark.kind === 'riding') {
    if (mark.pageFrom == null || mark.pageTo == null) return null;
    const strip = ridingStrip({ width: mark.width, height: mark.height }, { from: mark.pageFrom, to: mark.pageTo, rule: mark.ridingRule }, page.pageNumber, page.width, mark.y);
    return strip && { ...strip, strip: { index: strip.index, count: strip.count } };
  }
  if (mark.page !== page.pageNumber || mark.x == null) return null;
  return { x: mark.x, y: mark.y, width: mark.width, height: mark.height };
}

/** What the viewer's own preset marks show: where to sign (highlighted), or stamped after 一键盖章. */
export interface OwnMarks {
  participantId: string;
  stamped: boolean;
  /** The picture a stamped mark shows (seal, handwritten signature); null: its text. */
  imageOf: (mark: ContractMarkView) => string | null;
  /** Text of a stamped mark without a picture (人名章: the name, 日期章: the date). */
  textOf: (mark: ContractMarkView) => string;
  onOneClickStamp: () => void;
}

/** A picture filling the box (a 骑缝章 strip: its slice of the seal). */
function pictureSx(image: string, strip?: Box4['strip']) {
  const common = { backgroundImage: `url("${image}")`, backgroundRepeat: 'no-repeat' };
  if (!strip) return { ...common, backgroundSize: 'contain', backgroundPosition: 'center' };
  const position = strip.count > 1 ? (strip.index / (strip.count - 1)) * 100 : 0;
  return { ...common, backgroundSize: `${strip.count * 100}% 100%`, backgroundPosition: `${position}% 0` };
}

/**
 * The current PDF rendered by pdf.js (zoom, page thumbnails) with every participant's marks drawn
 * over it: dashed boxes still to be applied, solid ones applied (the seal itself shows through).
 * One colour per participant. `own`: the viewer's preset marks to sign are highlighted; 一键盖章
 * shows them stamped and opens the SMS step.
 */
export const DocumentPreview = ({ contract, version, own }: { contract: ContractView; version: string; own?: OwnMarks | null }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const ts = (key: string, opts?: object) => translate(`portal.contracts.sign.${key}`, opts);
  // The version query parameter makes the renderer fetch the document again after each signature.
  const src = `${contractUrls.document(contract.id)}?v=${encodeURIComponent(version)}`;
  const marks = contract.participants.flatMap((p, index) => p.marks.map((m) => ({ mark: m, participant: p, color: participantColor(index) })));
  const toSign = own ? marks.filter(({ mark, participant }) => participant.id === own.participantId && !mark.applied) : [];

  const overlay = (page: PdfPageInfo) =>
    marks.map(({ mark, participant, color }) => {
      const box = markBoxOn(mark, page);
      if (!box) return null;
      const mine = !!own && participant.id === own.participantId && !mark.applied;
      const stamped = mine && own.stamped;
      const image = stamped ? own.imageOf(mark) : null;
      return (
        <Box
          key={mark.id}
          data-testid="mark-box"
          data-kind={mark.kind}
          data-applied={mark.applied ? 'true' : 'false'}
          data-participant-id={participant.id}
          data-mine={mine ? 'true' : undefined}
          data-stamped={mine ? String(stamped) : undefined}
          title={participant.name}
          sx={{
            position: 'absolute',
            left: box.x * page.scale,
            top: box.y * page.scale,
            width: box.width * page.scale,
            height: box.height * page.scale,
            border: stamped ? 'none' : `${mine ? 3 : 2}px ${mark.applied ? 'solid' : 'dashed'} ${color}`,
            bgcolor: mark.applied || stamped ? 'transparent' : `${color}${mine ? '33' : '14'}`,
            borderRadius: 0.5,
            pointerEvents: 'none',
            overflow: 'hidden',
            boxSizing: 'border-box',
            ...(mine && !stamped ? { animation: 'sealflow-pulse 1.6s ease-in-out infinite', '@keyframes sealflow-pulse': { '50%': { boxShadow: `0 0 0 4px ${color}55` } } } : {}),
            ...(image ? pictureSx(image, box.strip) : {}),
            ...(stamped && !image ? { color: '#c62828', fontWeight: 700, display: 'flex', alignItems: 'center', justifyContent: 'center', textAlign: 'center' } : {}),
          }}
        >
          {stamped && !image && mark.kind !== 'riding' && (
            <Typography component="span" sx={{ fontSize: Math.max(9, 14 * Math.min(1, page.scale)), fontWeight: 700, lineHeight: 1.1, color: '#c62828' }}>
              {own.textOf(mark)}
            </Typography>
          )}
          {!stamped && !mark.applied && mark.kind !== 'riding' && (
            <Typography variant="caption" sx={{ color, fontSize: Math.max(9, 11 * Math.min(1, page.scale)), lineHeight: 1.1, p: 0.25, display: 'block', overflowWrap: 'anywhere' }}>
              {mine ? ts('sign_here') : participant.name}
            </Typography>
          )}
        </Box>
      );
    });

  return (
    <Card>
      <CardHeader
        title={t('document')}
        subheader={marks.length > 0 ? t('marks_legend') : undefined}
        slotProps={{ title: { variant: 'h6' }, subheader: { variant: 'caption' } }}
        sx={{ flexWrap: 'wrap', '& .MuiCardHeader-action': { m: 0 } }}
        action={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
            {own && toSign.length > 0 && (
              <Button size="small" variant="contained" startIcon={<VerifiedIcon />} onClick={own.onOneClickStamp} data-testid="one-click-stamp">
                {ts('one_click_stamp')}
              </Button>
            )}
            <Button size="small" href={src} target="_blank" rel="noopener" startIcon={<OpenInNewIcon />} data-testid="document-open">
              {t('open_new')}
            </Button>
          </Stack>
        }
      />
      <CardContent sx={{ pt: 0, maxHeight: { lg: '85vh' }, overflowY: { lg: 'auto' }, bgcolor: 'action.hover' }} data-testid="document-preview">
        {own && toSign.length > 0 && (
          <Typography variant="body2" color="primary" sx={{ mb: 1 }} data-testid="own-marks-hint">
            {own.stamped ? ts('stamped_hint', { smart_count: toSign.length }) : ts('preset_hint', { smart_count: toSign.length })}
          </Typography>
        )}
        <PdfPages key={version} source={src} renderOverlay={overlay} testId="document-pages" zoomable thumbnails />
      </CardContent>
    </Card>
  );
};
