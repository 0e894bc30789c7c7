import { useEffect, useState } from 'react';
import { Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate } from 'react-admin';
import { PdfPages } from '../../pdf';
import type { FieldValues } from './startModel';
import { fetchPreview } from './templateApi';

/**
 * 预览: the document the platform will generate from these values (POST /templates/:id/preview),
 * drawn by pdf.js. A refusal (a value the server rejects, a template no longer usable) goes to
 * `onError`: the page points at the field or says why.
 */
export const PreviewStep = ({ templateId, values, onError }: { templateId: string; values: FieldValues; onError: (e: Error) => void }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templateStart.${key}`, opts);
  const [pdf, setPdf] = useState<Blob | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  const valuesKey = JSON.stringify(values);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setFailure(null);
    fetchPreview(templateId, JSON.parse(valuesKey) as FieldValues, controller.signal)
      .then((blob) => {
        setPdf(blob);
        setFailure(null);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        const error = e instanceof Error ? e : new Error(String(e));
        setFailure(error.message);
        onError(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // Fetched again only for another template or other values (not for a new onError).
  }, [templateId, valuesKey]);

  useEffect(() => {
    if (!pdf) return;
    const next = URL.createObjectURL(pdf);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [pdf]);

  return (
    <Box data-testid="preview-step" data-state={loading ? 'loading' : failure ? 'failed' : 'ready'} data-page-count={pages || undefined}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 2, mb: 1.5 }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {t('preview_hint')}
        </Typography>
        {url && !loading && (
          <Button size="small" startIcon={<OpenInNewIcon />} href={url} target="_blank" rel="noopener" data-testid="preview-open">
            {t('preview_open')}
          </Button>
        )}
      </Stack>
      {loading && (
        <Box sx={{ mb: 2 }}>
          <Typography variant="body2">{t('preview_generating')}</Typography>
          <LinearProgress />
        </Box>
      )}
      {pdf && !failure && <PdfPages source={pdf} zoomable testId="preview-pages" onLoaded={(sizes) => setPages(sizes.length)} />}
    </Box>
  );
};
