import { Box, Button, Card, CardContent, CardHeader, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate } from 'react-admin';
import { participantColor, PdfPages, ridingStrip, type PdfPageInfo } from '../../pdf';
import type { ContractMarkView, ContractView } from '../types';
import { contractUrls } from './contractUrls';

interface Box4 {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a mark sits on one page, in PDF points from the top-left; null when not on that page. */
function markBoxOn(mark: ContractMarkView, page: PdfPageInfo): Box4 | null {
  if (mark.width == null || mark.height == null || mark.y == null) return null;
  if (mark.kind === 'riding') {
    if (mark.pageFrom == null || mark.pageTo == null) return null;
    return ridingStrip({ width: mark.width, height: mark.height }, { from: mark.pageFrom, to: mark.pageTo }, page.pageNumber, page.width, mark.y);
  }
  if (mark.page !== page.pageNumber || mark.x == null) return null;
  return { x: mark.x, y: mark.y, width: mark.width, height: mark.height };
}

/**
 * The current PDF rendered by pdf.js with every participant's marks drawn over it: dashed boxes
 * still to be applied, solid ones applied (the seal itself shows through). One colour per participant.
 */
export const DocumentPreview = ({ contract, version }: { contract: ContractView; version: string }) => {
  const translate = useTranslate();
  const t = (key: string) => translate(`portal.contracts.show.${key}`);
  // The version query parameter makes the renderer fetch the document again after each signature.
  const src = `${contractUrls.document(contract.id)}?v=${encodeURIComponent(version)}`;
  const marks = contract.participants.flatMap((p, index) => p.marks.map((m) => ({ mark: m, participant: p, color: participantColor(index) })));

  const overlay = (page: PdfPageInfo) =>
    marks.map(({ mark, participant, color }) => {
      const box = markBoxOn(mark, page);
      if (!box) return null;
      return (
        <Box
          key={mark.id}
          data-testid="mark-box"
          data-kind={mark.kind}
          data-applied={mark.applied ? 'true' : 'false'}
          data-participant-id={participant.id}
          title={participant.name}
          sx={{
            position: 'absolute',
            left: box.x * page.scale,
            top: box.y * page.scale,
            width: box.width * page.scale,
            height: box.height * page.scale,
            border: `2px ${mark.applied ? 'solid' : 'dashed'} ${color}`,
            bgcolor: mark.applied ? 'transparent' : `${color}14`,
            borderRadius: 0.5,
            pointerEvents: 'none',
            overflow: 'hidden',
          }}
        >
          {!mark.applied && mark.kind !== 'riding' && (
            <Typography variant="caption" sx={{ color, fontSize: Math.max(9, 11 * Math.min(1, page.scale)), lineHeight: 1.1, p: 0.25, display: 'block', overflowWrap: 'anywhere' }}>
              {participant.name}
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
        action={
          <Button size="small" href={src} target="_blank" rel="noopener" startIcon={<OpenInNewIcon />} data-testid="document-open">
            {t('open_new')}
          </Button>
        }
      />
      <CardContent sx={{ pt: 0, maxHeight: { lg: '85vh' }, overflowY: { lg: 'auto' }, bgcolor: 'action.hover' }} data-testid="document-preview">
        <PdfPages key={version} source={src} renderOverlay={overlay} testId="document-pages" />
      </CardContent>
    </Card>
  );
};
