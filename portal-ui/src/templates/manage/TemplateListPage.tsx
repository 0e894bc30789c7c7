import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  FormControl,
  IconButton,
  InputLabel,
  LinearProgress,
  MenuItem,
  Select,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import VisibilityIcon from '@mui/icons-material/Visibility';
import ShareIcon from '@mui/icons-material/Share';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { Title, useNotify, useTranslate } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../../ui-shared/src/components/ConfirmDialog';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { CreateTemplateDialog } from './CreateTemplateDialog';
import { ShareDialog } from './ShareDialog';
import { deleteTemplate, listTemplates, setTemplateEnabled, type TemplateFilters } from './templateApi';
import { templateRights, type TemplateSummary } from './types';
import { StartFromTemplateButton } from '../start/StartFromTemplateButton';

const SEARCH_DEBOUNCE_MS = 250;

/** 模板文件: the templates of the acting party and those shared to it, with filters, 启用/停用, 共享 and 删除. */
export const TemplateListPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const t = (key: string, opts?: object) => translate(`portal.templates.${key}`, opts);
  const [filters, setFilters] = useState<TemplateFilters>({ kind: '', status: '', enabled: '', q: '' });
  const [query, setQuery] = useState(filters);
  const [rows, setRows] = useState<TemplateSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<TemplateSummary | null>(null);
  const [sharing, setSharing] = useState<TemplateSummary | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  // The search box waits for a pause in typing; the selects apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(filters), filters.q === query.q ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [filters]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listTemplates(query, controller.signal)
      .then((r) => {
        setRows(r.data);
        setTotal(r.total);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, tick]);

  const reload = () => setTick((n) => n + 1);

  const toggle = async (row: TemplateSummary) => {
    setBusyId(row.id);
    try {
      await setTemplateEnabled(row.id, !row.enabled);
      notify(t(row.enabled ? 'disabled_done' : 'enabled_done', { name: row.name }), { type: 'success' });
      reload();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusyId(null);
    }
  };

  const select = (name: keyof TemplateFilters, options: string[], label: string) => (
    <FormControl size="small" sx={{ minWidth: 120 }}>
      <InputLabel>{label}</InputLabel>
      <Select
        label={label}
        value={filters[name] ?? ''}
        onChange={(e) => setFilters((f) => ({ ...f, [name]: e.target.value }))}
        inputProps={{ 'data-testid': `template-filter-${name}` }}
        SelectDisplayProps={{ 'data-testid': `template-filter-${name}-select` } as object}
      >
        <MenuItem value="" data-testid={`template-filter-${name}-all`}>
          {t('filter_all')}
        </MenuItem>
        {options.map((o) => (
          <MenuItem key={o} value={o} data-testid={`template-filter-${name}-${o}`}>
            {t(`filter_${name}.${o}`)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );

  return (
    <Box sx={{ mt: 2 }} data-testid="templates-page">
      <Title title={t('title')} />
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ gap: 1.5, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
            <TextField
              size="small"
              label={t('search')}
              value={filters.q}
              onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))}
              slotProps={{ htmlInput: { 'data-testid': 'template-filter-q', maxLength: 50 } }}
            />
            {select('kind', ['word', 'web'], t('kind'))}
            {select('status', ['draft', 'published'], t('status'))}
            {select('enabled', ['true', 'false'], t('enabled'))}
            <Box sx={{ flex: 1 }} />
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)} data-testid="template-create">
              {t('create')}
            </Button>
          </Stack>
          {loading && <LinearProgress sx={{ mb: 1 }} />}
          <ApiErrorAlert error={error} />
          {rows && rows.length === 0 && !loading && (
            <Typography color="text.secondary" sx={{ py: 3, textAlign: 'center' }} data-testid="templates-empty">
              {t('empty')}
            </Typography>
          )}
          {rows && rows.length > 0 && (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="templates-table">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('name')}</TableCell>
                    <TableCell>{t('kind')}</TableCell>
                    <TableCell>{t('business_type')}</TableCell>
                    <TableCell>{t('scenario')}</TableCell>
                    <TableCell>{t('status')}</TableCell>
                    <TableCell>{t('enabled')}</TableCell>
                    <TableCell>{t('updated_at')}</TableCell>
                    <TableCell align="right">{t('actions')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((row) => {
                    const rights = templateRights(row);
                    return (
                      <TableRow key={row.id} data-testid="template-row" data-id={row.id} data-name={row.name} data-status={row.status} data-enabled={String(row.enabled)} hover>
                        <TableCell>
                          <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                            <Typography variant="body2" sx={{ fontWeight: 600 }}>
                              {row.name}
                            </Typography>
                            {row.shared && (
                              <Chip size="small" color="info" variant="outlined" label={row.editable ? t('shared_editable') : t('shared_view_only')} data-testid="template-shared-badge" />
                            )}
                          </Stack>
                        </TableCell>
                        <TableCell>{t(`kinds.${row.kind}`)}</TableCell>
                        <TableCell>{row.businessType ?? '—'}</TableCell>
                        <TableCell>{row.scenario ?? '—'}</TableCell>
                        <TableCell>
                          <Chip size="small" color={row.status === 'published' ? 'success' : 'default'} label={t(`statuses.${row.status}`)} data-testid="template-status" />
                        </TableCell>
                        <TableCell>
                          <Chip size="small" color={row.enabled ? 'primary' : 'default'} variant={row.enabled ? 'filled' : 'outlined'} label={row.enabled ? t('enabled_on') : t(row.disabledByPlatform ? 'disabled_by_platform' : 'enabled_off')} data-testid="template-enabled" />
                        </TableCell>
                        <TableCell>{formatDateTime(row.updatedAt)}</TableCell>
                        <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                          {row.status === 'published' && row.enabled && <StartFromTemplateButton templateId={row.id} size="small" variant="text" />}
                          <Tooltip title={rights.edit ? t('edit') : t('view')}>
                            <IconButton size="small" onClick={() => navigate(`/templates/${encodeURIComponent(row.id)}`)} data-testid="template-open" aria-label={rights.edit ? t('edit') : t('view')}>
                              {rights.edit ? <EditIcon fontSize="small" /> : <VisibilityIcon fontSize="small" />}
                            </IconButton>
                          </Tooltip>
                          {rights.own && (
                            <>
                              <Button size="small" disabled={busyId === row.id || row.disabledByPlatform} title={row.disabledByPlatform ? t('disabled_by_platform_hint') : undefined} onClick={() => void toggle(row)} data-testid="template-toggle-enabled">
                                {row.enabled ? t('disable') : t('enable')}
                              </Button>
                              <Tooltip title={t('share')}>
                                <IconButton size="small" onClick={() => setSharing(row)} data-testid="template-share" aria-label={t('share')}>
                                  <ShareIcon fontSize="small" />
                                </IconButton>
                              </Tooltip>
                              <Tooltip title={t('delete')}>
                                <IconButton size="small" color="error" onClick={() => setDeleting(row)} data-testid="template-delete" aria-label={t('delete')}>
                                  <DeleteIcon fontSize="small" />
                                </IconButton>
                              </Tooltip>
                            </>
                          )}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
              {total > rows.length && (
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }} data-testid="templates-more">
                  {t('more', { shown: rows.length, total })}
                </Typography>
              )}
            </Box>
          )}
        </CardContent>
      </Card>
      {creating && (
        <CreateTemplateDialog
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            notify(t('created', { name: created.name }), { type: 'success' });
            void navigate(`/templates/${encodeURIComponent(created.id)}`);
          }}
        />
      )}
      {sharing && <ShareDialog template={sharing} onClose={() => setSharing(null)} />}
      <ConfirmDialog
        open={!!deleting}
        title={t('delete_title')}
        content={deleting ? t('delete_confirm', { name: deleting.name }) : ''}
        confirmLabel={t('delete')}
        confirmTestId="template-delete-confirm"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteTemplate(deleting.id);
          notify(t('deleted', { name: deleting.name }), { type: 'success' });
          setDeleting(null);
          reload();
        }}
      />
    </Box>
  );
};
