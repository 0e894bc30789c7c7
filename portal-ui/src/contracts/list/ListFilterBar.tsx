import { useEffect, useState } from 'react';
import { Box, Button, InputAdornment, MenuItem, Stack, TextField } from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import { useTranslate } from 'react-admin';
import type { Box as ContractBox } from '../boxes';
import { VOID_REASONS_V2 } from '../types';
import type { ListFilters } from './listApi';

/** Status filter per box: the void reason in 已作废, the status in 抄送我的; the other boxes imply one. */
function statusFilter(box: ContractBox): { param: 'status' | 'voidReason'; choices: { value: string; key: string }[] } | null {
  if (box === 'voided') return { param: 'voidReason', choices: VOID_REASONS_V2.map((r) => ({ value: r, key: `void_${r}` })) };
  if (box === 'cc') return { param: 'status', choices: ['in_progress', 'completed', 'voided'].map((s) => ({ value: s, key: `status_${s}` })) };
  return null;
}

const SEARCH_DELAY_MS = 400;

export const isFiltered = (f: ListFilters) => Boolean(f.q?.trim() || f.status || f.voidReason || f.initiator?.trim() || f.from || f.to);

/** 搜索 (title / number / counterparty), 状态, 发起方, 发起日期 from–to, 重置. */
export const ListFilterBar = ({ box, filters, onChange }: { box: ContractBox; filters: ListFilters; onChange: (f: ListFilters) => void }) => {
  const translate = useTranslate();
  const [q, setQ] = useState(filters.q ?? '');
  const [initiator, setInitiator] = useState(filters.initiator ?? '');
  // Typing searches after a short pause, not on every key.
  useEffect(() => {
    if ((filters.q ?? '') === q && (filters.initiator ?? '') === initiator) return;
    const timer = setTimeout(() => onChange({ ...filters, q, initiator }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, initiator]);
  const status = statusFilter(box);
  const set = (patch: Partial<ListFilters>) => onChange({ ...filters, ...patch });
  const active = isFiltered(filters);
  const t = (key: string) => translate(`portal.contracts.list.${key}`);
  return (
    <Box sx={{ mb: 2, display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', '& > *': { flex: { xs: '1 1 100%', sm: '0 1 auto' } } }} data-testid="list-filters">
      <TextField
        size="small"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onChange({ ...filters, q, initiator })}
        placeholder={t('search')}
        sx={{ minWidth: { sm: 280 } }}
        slotProps={{
          htmlInput: { 'data-testid': 'list-search', maxLength: 100, 'aria-label': t('search') },
          input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
        }}
      />
      {status && (
        <TextField
          select
          size="small"
          label={t(status.param === 'voidReason' ? 'void_reason' : 'status')}
          value={filters[status.param] ?? ''}
          onChange={(e) => set({ [status.param]: e.target.value || undefined })}
          sx={{ minWidth: 140 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'list-status' } as object } }}
        >
          <MenuItem value="">{t('status_all')}</MenuItem>
          {status.choices.map((c) => (
            <MenuItem key={c.value} value={c.value} data-testid={`list-status-${c.value}`}>
              {t(c.key)}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        size="small"
        label={t('initiator')}
        value={initiator}
        onChange={(e) => setInitiator(e.target.value)}
        sx={{ minWidth: 140 }}
        slotProps={{ htmlInput: { 'data-testid': 'list-initiator', maxLength: 100 } }}
      />
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flex: { xs: '1 1 100%', sm: '0 1 340px' } }}>
        <TextField
          type="date"
          size="small"
          label={t('from')}
          value={filters.from ?? ''}
          onChange={(e) => set({ from: e.target.value || undefined })}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'list-from', max: filters.to } }}
          sx={{ flex: 1 }}
        />
        <TextField
          type="date"
          size="small"
          label={t('to')}
          value={filters.to ?? ''}
          onChange={(e) => set({ to: e.target.value || undefined })}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'list-to', min: filters.from } }}
          sx={{ flex: 1 }}
        />
      </Stack>
      {active && (
        <Button
          size="small"
          onClick={() => {
            setQ('');
            setInitiator('');
            onChange({});
          }}
          data-testid="list-reset"
        >
          {t('reset')}
        </Button>
      )}
    </Box>
  );
};
