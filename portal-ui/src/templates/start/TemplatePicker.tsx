import { useEffect, useState } from 'react';
import { Alert, Box, Card, CardActionArea, CardContent, Chip, CircularProgress, InputAdornment, Stack, TextField, Typography } from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import DescriptionIcon from '@mui/icons-material/Description';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import { useTranslate } from 'react-admin';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import type { TemplateSummary } from './types';

const DEBOUNCE_MS = 250;

/** The templates that may start a contract (GET /api/templates?usable=1: published and enabled), searchable by name. */
export const TemplatePicker = ({ selected, onPick, disabled }: { selected: string | null; onPick: (id: string) => void; disabled?: boolean }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templateStart.${key}`, opts);
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(input.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);
  const list = useApiGet<{ data: TemplateSummary[]; total: number }>(`/api/templates?usable=1${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  const templates = list.data?.data ?? [];

  return (
    <Box data-testid="template-picker">
      <TextField
        size="small"
        fullWidth
        placeholder={t('search')}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        sx={{ mb: 2 }}
        slotProps={{
          htmlInput: { 'data-testid': 'template-search', maxLength: 100 },
          input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
        }}
      />
      {list.error && (
        <Alert severity="error" data-testid="template-list-error">
          {list.error.message}
        </Alert>
      )}
      {list.loading && !list.data && <CircularProgress size={24} />}
      {list.data && templates.length === 0 && (
        <Alert severity="info" data-testid="template-list-empty">
          {q ? t('none_found') : t('none_usable')}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
        {templates.map((tpl) => {
          const active = tpl.id === selected;
          return (
            <Card key={tpl.id} variant="outlined" sx={{ borderColor: active ? 'primary.main' : undefined, borderWidth: active ? 2 : 1 }}>
              <CardActionArea onClick={() => onPick(tpl.id)} disabled={disabled} data-testid="template-option" data-id={tpl.id} data-kind={tpl.kind} data-selected={active}>
                <CardContent>
                  <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 0.5 }}>
                    {tpl.kind === 'word' ? <DescriptionIcon color="primary" fontSize="small" /> : <PictureAsPdfIcon color="error" fontSize="small" />}
                    <Typography variant="subtitle1" sx={{ fontWeight: 600, flex: 1, minWidth: 0 }} noWrap title={tpl.name} data-testid="template-option-name">
                      {tpl.name}
                    </Typography>
                    <Chip size="small" variant="outlined" label={t(`kinds.${tpl.kind}`)} />
                    {tpl.shared && <Chip size="small" color="info" label={t('shared')} data-testid="template-option-shared" />}
                  </Stack>
                  <Typography variant="body2" color="text.secondary">
                    {t('business_type')}：{tpl.businessType || '—'} · {t('scenario')}：{tpl.scenario || '—'}
                  </Typography>
                </CardContent>
              </CardActionArea>
            </Card>
          );
        })}
      </Box>
    </Box>
  );
};
