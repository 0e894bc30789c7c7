import { Button, FormControlLabel, Radio, RadioGroup, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

export type SealImageMode = 'generated' | 'upload';

/**
 * Where a seal's image comes from: drawn from the enterprise's data, or an uploaded PNG/JPEG (white background removed by
 * the server). The mode radio and, for an upload, the file picker. data-testids: `<testIdPrefix>-mode-generated`,
 * `<testIdPrefix>-mode-upload`, `<testIdPrefix>-file`.
 */
export const SealImageSource = (props: {
  mode: SealImageMode;
  onMode: (mode: SealImageMode) => void;
  file: File | null;
  onFile: (file: File | null) => void;
  busy: boolean;
  /** The label of the drawn choice (创建: 按企业信息生成; 更换: 按企业信息重新生成). */
  generatedLabel: string;
  testIdPrefix: string;
}) => {
  const translate = useTranslate();
  const { mode, file, busy, testIdPrefix } = props;
  return (
    <>
      <RadioGroup row value={mode} onChange={(e) => props.onMode(e.target.value as SealImageMode)}>
        <FormControlLabel value="generated" control={<Radio slotProps={{ input: { 'data-testid': `${testIdPrefix}-mode-generated` } as object }} />} label={props.generatedLabel} disabled={busy} />
        <FormControlLabel value="upload" control={<Radio slotProps={{ input: { 'data-testid': `${testIdPrefix}-mode-upload` } as object }} />} label={translate('admin.seals.mode_upload')} disabled={busy} />
      </RadioGroup>
      {mode === 'generated' ? (
        <Typography variant="body2" color="text.secondary">
          {translate('admin.seals.generated_hint')}
        </Typography>
      ) : (
        <Stack spacing={1}>
          <Button variant="outlined" component="label" disabled={busy}>
            {file ? file.name : translate('admin.seals.choose_file')}
            <input hidden type="file" accept="image/png,image/jpeg" data-testid={`${testIdPrefix}-file`} onChange={(e) => props.onFile(e.target.files?.[0] ?? null)} />
          </Button>
          <Typography variant="body2" color="text.secondary">
            {translate('admin.seals.upload_hint')}
          </Typography>
        </Stack>
      )}
    </>
  );
};
