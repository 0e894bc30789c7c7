import type { PDFDocumentProxy } from 'pdfjs-dist';
import { Box, ButtonBase, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Size } from './geometry';
import { PdfPageCanvas } from './PdfPageCanvas';

const THUMB_WIDTH_PX = 96;

/** Small pictures of every page; a click jumps to that page. The page in view is outlined. */
export const PdfThumbnails = ({
  doc,
  pages,
  current,
  onJump,
}: {
  doc: PDFDocumentProxy;
  pages: Size[];
  current: number;
  onJump: (page: number) => void;
}) => {
  const translate = useTranslate();
  return (
    <Box
      component="nav"
      aria-label={translate('portal.contracts.sign.pdf.thumbnails')}
      data-testid="pdf-thumbnails"
      sx={{ width: THUMB_WIDTH_PX + 24, flexShrink: 0, position: 'sticky', top: 56, maxHeight: 'calc(100vh - 72px)', overflowY: 'auto', pr: 1 }}
    >
      {pages.map((size, index) => {
        const page = index + 1;
        const heightPx = (size.height / Math.max(1, size.width)) * THUMB_WIDTH_PX;
        return (
          <ButtonBase
            key={page}
            onClick={() => onJump(page)}
            data-testid="pdf-thumbnail"
            data-thumb-page={page}
            data-current={page === current ? 'true' : 'false'}
            aria-current={page === current ? 'page' : undefined}
            aria-label={translate('portal.pdf.page_label', { page, pages: pages.length })}
            sx={{ display: 'block', mb: 1, mx: 'auto', p: 0.5, borderRadius: 1, outline: page === current ? '2px solid' : 'none', outlineColor: 'primary.main' }}
          >
            <Box sx={{ position: 'relative', width: THUMB_WIDTH_PX, height: heightPx, bgcolor: '#fff', boxShadow: 1 }}>
              <PdfPageCanvas doc={doc} pageNumber={page} widthPx={THUMB_WIDTH_PX} heightPx={heightPx} testId="pdf-thumbnail-canvas" />
            </Box>
            <Typography variant="caption" color="text.secondary" component="span" sx={{ display: 'block', textAlign: 'center' }}>
              {page}
            </Typography>
          </ButtonBase>
        );
      })}
    </Box>
  );
};
