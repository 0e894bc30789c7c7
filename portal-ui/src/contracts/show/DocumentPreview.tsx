import { Button, Card, CardContent, CardHeader, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate, type Identifier } from 'react-admin';
import { contractUrls } from './contractUrls';

/** The current PDF in an <object> (falls back to a link on browsers without an inline viewer). */
export const DocumentPreview = ({ contractId, version }: { contractId: Identifier; version: string }) => {
  const translate = useTranslate();
  // The version query parameter busts the browser cache after each signature.
  const src = `${contractUrls.document(contractId)}?v=${encodeURIComponent(version)}`;
  return (
    <Card>
      <CardHeader
        title={translate('portal.show.document')}
        slotProps={{ title: { variant: 'h6' } }}
        action={
          <Button size="small" href={src} target="_blank" rel="noopener" startIcon={<OpenInNewIcon />} data-testid="document-open">
            {translate('portal.show.open_new')}
          </Button>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        <object
          key={version}
          data={src}
          type="application/pdf"
          aria-label={translate('portal.show.document')}
          data-testid="document-preview"
          style={{ width: '100%', height: '75vh', minHeight: 420, border: '1px solid rgba(0,0,0,0.12)', borderRadius: 4 }}
        >
          <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
            {translate('portal.show.preview_fallback')}
          </Typography>
        </object>
      </CardContent>
    </Card>
  );
};
