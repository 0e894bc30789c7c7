import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Radio, RadioGroup, Stack, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

/** 多页盖章: the same mark on all pages or on a page range, at the same position. */
export const MultiPageDialog = ({
  pageCount,
  page,
  onClose,
  onApply,
}: {
  pageCount: number;
  /** The page the mark is on now. */
  page: number;
  onClose: () => void;
  onApply: (from: number, to: number) => void;
}) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.contracts.sign.${key}`, opts);
  const [mode, setMode] = useState<'all' | 'range'>('all');
  const [from, setFrom] = useState(String(page));
  const [to, setTo] = useState(String(pageCount));
  const f = Number(from);
  const l = Number(to);
  const rangeOk = Number.isInteger(f) && Number.isInteger(l) && f >= 1 && l <= pageCount && f <= l;
  const ok = mode === 'all' || rangeOk;

  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth data-testid="multipage-dialog">
      <DialogTitle>{t('multi_page')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {t('multi_page_hint')}
        </Typography>
        <RadioGroup value={mode} onChange={(e) => setMode(e.target.value as 'all' | 'range')}>
          <FormControlLabel value="all" control={<Radio slotProps={{ input: { 'data-testid': 'multipage-all' } as object }} />} label={t('multi_page_all', { pages: pageCount })} />
          <FormControlLabel value="range" control={<Radio slotProps={{ input: { 'data-testid': 'multipage-range' } as object }} />} label={t('multi_page_range')} />
        </RadioGroup>
        {mode === 'range' && (
          <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
            {(
              [
                ['from', from, setFrom, 'portal.pdf.page_from'],
                ['to', to, setTo, 'portal.pdf.page_to'],
              ] as const
            ).map(([key, value, set, label]) => (
              <TextField
                key={key}
                size="small"
                type="number"
                label={translate(label)}
                value={value}
                onChange={(e) => set(e.target.value)}
                error={!rangeOk}
                slotProps={{ htmlInput: { min: 1, max: pageCount, 'data-testid': `multipage-${key}` } }}
                sx={{ width: 110 }}
              />
            ))}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={!ok} onClick={() => (mode === 'all' ? onApply(1, pageCount) : onApply(f, l))} data-testid="multipage-apply">
          {t('multi_page_apply')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
