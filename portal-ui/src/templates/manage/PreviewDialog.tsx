import { useEffect, useMemo } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate } from 'react-admin';
import { PdfPages } from '../../pdf/PdfPages';

/** 预览: the PDF generated with sample values, drawn by pdf.js; also opens in a new tab. */
export const PreviewDialog = ({ pdf, name, onClose }: { pdf: Blob; name: string; onClose: () => void }) => {
  const translate = useTranslate();
  const url = useMemo(() => URL.createObjectURL(pdf), [pdf]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth data-testid="template-preview-dialog">
      <DialogTitle>{translate('portal.templates.preview_title', { name })}</DialogTitle>
      <DialogContent dividers>
        <PdfPages source={pdf} testId="template-preview-pages" maxPageWidth={760} />
      </DialogContent>
      <DialogActions>
        <Button component="a" href={url} target="_blank" rel="noopener" startIcon={<OpenInNewIcon />} data-testid="template-preview-open">
          {translate('portal.templates.preview_open')}
        </Button>
        <Button onClick={onClose} data-testid="template-preview-close">
          {translate('portal.templates.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
