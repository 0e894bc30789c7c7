import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { PdfFileInput } from './PdfFileInput';

/** Step 1: the contract PDF (its pages are shown in the placement step). */
export const FileStep = ({
  file,
  pageCount,
  onChange,
  error,
  disabled,
}: {
  file: File | null;
  pageCount: number;
  onChange: (file: File | null) => void;
  error?: string;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  return (
    <Box data-testid="file-step">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('portal.contracts.create.file_hint')}
      </Typography>
      <PdfFileInput
        file={file}
        onChange={onChange}
        error={error}
        disabled={disabled}
        testId="create-file-input"
        chooseLabel={translate('portal.contracts.create.choose_file')}
      />
      {file && pageCount > 0 && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }} data-testid="create-page-count">
          {translate('portal.contracts.create.page_count', { smart_count: pageCount })}
        </Typography>
      )}
    </Box>
  );
};
