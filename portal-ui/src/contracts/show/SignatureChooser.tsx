import { Box, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SignOptionSignature } from './signOptions';

/**
 * 手写签名 chooser of a person with several handwritten signatures: their pictures as toggle
 * buttons, the default one marked (and preselected by the caller). The 手写签名 chip then places
 * the chosen one; marks already placed keep theirs.
 */
export const SignatureChooser = ({
  signatures,
  value,
  onChange,
  disabled,
}: {
  signatures: SignOptionSignature[];
  value: string | null;
  onChange: (id: string) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const ts = (key: string, opts?: object) => translate(`portal.contracts.sign.${key}`, opts);
  return (
    <Box data-testid="signature-chooser" sx={{ mb: 2 }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {ts('signature_choose')}
      </Typography>
      <ToggleButtonGroup
        exclusive
        value={value}
        disabled={disabled}
        onChange={(_e, id: string | null) => {
          if (id) onChange(id);
        }}
        sx={{ flexWrap: 'wrap', gap: 1, '& .MuiToggleButtonGroup-grouped': { border: 1, borderColor: 'divider', borderRadius: 1, m: 0 } }}
      >
        {signatures.map((s, i) => (
          <ToggleButton
            key={s.id}
            value={s.id}
            data-testid="signature-choice"
            data-signature-id={s.id}
            data-default={s.isDefault ? 'true' : 'false'}
            aria-label={ts('signature_option', { n: i + 1 })}
            sx={{ flexDirection: 'column', p: 0.5, minWidth: 96 }}
          >
            <Box component="img" src={s.imageUrl} alt={ts('signature_option', { n: i + 1 })} sx={{ height: 40, maxWidth: 120, objectFit: 'contain' }} />
            <Typography variant="caption" sx={{ textTransform: 'none' }}>
              {s.isDefault ? ts('signature_default') : ts('signature_option', { n: i + 1 })}
            </Typography>
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Box>
  );
};
