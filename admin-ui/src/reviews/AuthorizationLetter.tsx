import { useEffect, useState } from 'react';
import { Box, Button, CircularProgress, Link, Stack, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate } from 'react-admin';
import { fetchBlob } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert } from '../../../ui-shared/src/components/ApiErrorAlert';

/**
 * Shows a 授权书 from its API URL: a PDF in an iframe, an image as an image (the type comes from
 * the response). Also offers it in a new window.
 */
export const AuthorizationLetter = ({ url, height = 640 }: { url: string; height?: number }) => {
  const translate = useTranslate();
  const [letter, setLetter] = useState<{ src: string; type: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let src: string | null = null;
    let cancelled = false;
    const controller = new AbortController();
    setLetter(null);
    setError(null);
    fetchBlob(url, { signal: controller.signal })
      .then((blob) => {
        if (cancelled) return;
        src = URL.createObjectURL(blob);
        setLetter({ src, type: blob.type });
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      cancelled = true;
      controller.abort();
      if (src) URL.revokeObjectURL(src);
    };
  }, [url]);

  const isPdf = letter?.type.includes('pdf');
  return (
    <Box data-testid="authorization-letter" data-type={letter?.type ?? ''}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate('admin.review.letter')}
        </Typography>
        <Button size="small" component={Link} href={url} target="_blank" rel="noopener noreferrer" endIcon={<OpenInNewIcon />} data-testid="letter-open">
          {translate('sf.common.open_new')}
        </Button>
      </Stack>
      <ApiErrorAlert error={error} sx={{ mt: 0 }} />
      {!letter && !error && <CircularProgress size={24} />}
      {letter &&
        (isPdf ? (
          <Box
            component="iframe"
            src={letter.src}
            title={translate('admin.review.letter')}
            data-testid="letter-frame"
            sx={{ width: '100%', height, border: 1, borderColor: 'divider', borderRadius: 1 }}
          />
        ) : (
          <Box
            component="img"
            src={letter.src}
            alt={translate('admin.review.letter')}
            data-testid="letter-image"
            sx={{ maxWidth: '100%', maxHeight: height, border: 1, borderColor: 'divider', borderRadius: 1, display: 'block' }}
          />
        ))}
    </Box>
  );
};
