import { useEffect, useState } from 'react';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  InputAdornment,
  List,
  ListItem,
  ListItemText,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import { useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { RealNameRequired } from '../account/RealNameRequired';
import type { EnterpriseSearchResult } from './types';

/** 加入企业: search certified enterprises by name or 统一社会信用代码, apply with a message. */
export const JoinDialog = ({ onClose, onDone }: { onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [q, setQ] = useState('');
  const [message, setMessage] = useState('');
  const [results, setResults] = useState<EnterpriseSearchResult[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [applying, setApplying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      apiFetch<EnterpriseSearchResult[]>(`/api/enterprises/search?q=${encodeURIComponent(term)}`, { signal: controller.signal })
        .then((rows) => {
          setResults(rows);
          setError(null);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setError(errorMessage(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) setSearching(false);
        });
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const apply = async (enterprise: EnterpriseSearchResult) => {
    setApplying(enterprise.id);
    setError(null);
    try {
      await apiFetch(`/api/enterprises/${encodeURIComponent(enterprise.id)}/join`, { body: message.trim() ? { message: message.trim() } : {} });
      notify(translate('portal.join.applied', { name: enterprise.name }), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setApplying(null);
    }
  };

  return (
    <Dialog open onClose={applying ? undefined : onClose} maxWidth="sm" fullWidth data-testid="join-dialog">
      <DialogTitle>{translate('portal.join.title')}</DialogTitle>
      <DialogContent>
        <RealNameRequired actionKey="portal.join.action" />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            label={translate('portal.join.search')}
            placeholder={translate('portal.join.search_placeholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoFocus
            slotProps={{
              htmlInput: { 'data-testid': 'join-search', maxLength: 100 },
              input: {
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon />
                  </InputAdornment>
                ),
                endAdornment: searching ? <CircularProgress size={18} /> : undefined,
              },
            }}
          />
          <TextField
            label={translate('portal.join.message')}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            multiline
            minRows={2}
            slotProps={{ htmlInput: { 'data-testid': 'join-message', maxLength: 500 } }}
          />
        </Stack>
        {q.trim().length > 0 && q.trim().length < 2 && (
          <Typography variant="caption" color="text.secondary">
            {translate('portal.join.min_chars')}
          </Typography>
        )}
        {results && results.length === 0 && !searching && (
          <Typography color="text.secondary" sx={{ mt: 2 }} data-testid="join-no-results">
            {translate('portal.join.no_results')}
          </Typography>
        )}
        {results && results.length > 0 && (
          <List dense data-testid="join-results" sx={{ mt: 1 }}>
            {results.map((r) => (
              <ListItem
                key={r.id}
                divider
                data-testid="join-result-row"
                data-id={r.id}
                secondaryAction={
                  <Button
                    size="small"
                    variant="contained"
                    onClick={() => apply(r)}
                    disabled={applying !== null}
                    data-testid="join-apply"
                    startIcon={applying === r.id ? <CircularProgress size={16} color="inherit" /> : undefined}
                  >
                    {translate('portal.join.apply')}
                  </Button>
                }
              >
                <ListItemText primary={r.name} secondary={r.uscc} sx={{ pr: 12 }} />
              </ListItem>
            ))}
          </List>
        )}
        <ApiErrorAlert error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={applying !== null} data-testid="join-cancel">
          {translate('ra.action.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
