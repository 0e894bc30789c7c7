import { Box, Button, FormHelperText, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import ImageIcon from '@mui/icons-material/Image';
import { useTranslate } from 'react-admin';

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A button-styled native file input for one PDF, or what `accept` allows (data-testid on the <input>). */
export const PdfFileInput = ({
  file,
  onChange,
  error,
  disabled,
  testId,
  chooseLabel,
  accept = 'application/pdf,.pdf',
}: {
  file: File | null;
  onChange: (file: File | null) => void;
  error?: string;
  disabled?: boolean;
  testId: string;
  chooseLabel: string;
  accept?: string;
}) => {
  const translate = useTranslate();
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        <Button component="label" variant="outlined" startIcon={<UploadFileIcon />} disabled={disabled} color={error ? 'error' : 'primary'}>
          {file ? translate('portal.create.change_file') : chooseLabel}
          <input
            type="file"
            accept={accept}
            hidden
            data-testid={testId}
            onChange={(e) => {
              onChange(e.target.files?.[0] ?? null);
              e.target.value = '';
            }}
          />
        </Button>
        {file ? (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }} data-testid={`${testId}-name`}>
            {file.type.startsWith('image/') ? <ImageIcon color="primary" /> : <PictureAsPdfIcon color="error" />}
            <Typography variant="body2" noWrap sx={{ maxWidth: { xs: '60vw', sm: 360 } }}>
              {file.name}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {sizeText(file.size)}
            </Typography>
          </Box>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {translate('portal.create.no_file')}
          </Typography>
        )}
      </Box>
      {error && <FormHelperText error>{error}</FormHelperText>}
    </Box>
  );
};
