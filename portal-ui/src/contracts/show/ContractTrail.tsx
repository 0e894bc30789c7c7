import GppBadIcon from '@mui/icons-material/GppBad';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, LinearProgress, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocaleState, useTranslate, type Identifier } from 'react-admin';
import type { TrailCheckView, TrailEntryView, TrailPageView } from '../../../../domain/contracts/trail/trail-view';
import { ApiError, apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import { formatDateTime } from '../../../../ui-shared/src/format';

/** GET /api/contracts/:id/trail (a page of entries) and GET /api/contracts/:id/trail/verify: the server's shapes (domain/contracts/trail/trail-view.ts). */
export type TrailEntry = TrailEntryView;
export type TrailPage = TrailPageView;
export type TrailCheck = TrailCheckView;

const base = (id: Identifier) => `/api/contracts/${encodeURIComponent(String(id))}/trail`;

interface TrailState {
  items: TrailEntry[];
  nextAfter: number | null;
  /** The first page has arrived. */
  loaded: boolean;
  loading: boolean;
  error: Error | undefined;
}

/**
 * The trail a page at a time: the first page whenever `version` changes (the contract moved on: afresh), then the
 * next one on `loadMore`. An answer for an earlier version is dropped.
 */
function useTrailPages(contractId: Identifier, version: string) {
  const [state, setState] = useState<TrailState>({ items: [], nextAfter: null, loaded: false, loading: true, error: undefined });
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    apiFetch<TrailPage>(base(contractId), { signal: controller.signal })
      .then((page) => {
        if (generation.current === mine) setState({ items: page.items, nextAfter: page.nextAfter, loaded: true, loading: false, error: undefined });
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted && generation.current === mine) setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e : new Error(String(e)) }));
      });
    return () => controller.abort();
  }, [contractId, version]);
  const loadMore = useCallback(() => {
    const after = state.nextAfter;
    if (after === null || state.loading) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true }));
    apiFetch<TrailPage>(`${base(contractId)}?after=${after}`)
      .then((page) => {
        if (generation.current === mine) setState((s) => ({ ...s, items: [...s.items, ...page.items], nextAfter: page.nextAfter, loading: false, error: undefined }));
      })
      .catch((e: unknown) => {
        if (generation.current === mine) setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e : new Error(String(e)) }));
      });
  }, [contractId, state.nextAfter, state.loading]);
  return { ...state, loadMore };
}

/** The check may wait its turn: at most 2 heavy requests of one user run at once (429 with Retry-After); asked again a few times. */
async function fetchCheck(url: string, signal: AbortSignal): Promise<TrailCheck> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiFetch<TrailCheck>(url, { signal });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 429 || attempt >= 5 || signal.aborted) throw e;
      await new Promise((resolve) => setTimeout(resolve, (e.retryAfterSeconds ?? 2) * 1000));
    }
  }
}

function useTrailCheck(contractId: Identifier, version: string) {
  const [state, setState] = useState<{ data: TrailCheck | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    fetchCheck(`${base(contractId)}/verify`, controller.signal)
      .then((data) => setState({ data, error: undefined, loading: false }))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e : new Error(String(e)) }));
      });
    return () => controller.abort();
  }, [contractId, version]);
  return state;
}

/** The badge: 轨迹完整 when the chain is unbroken and the document matches; otherwise 轨迹被篡改, naming the event. */
const TrailBadge = ({ check, entries }: { check: TrailCheck; entries: TrailEntry[] | undefined }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (check.intact && check.checked === 0) return <Alert severity="info" data-testid="trail-badge" data-state="empty">{translate('portal.contracts.trail.no_events_detail')}</Alert>;
  const ok = check.intact && check.documentMatches;
  const problems: string[] = [];
  if (check.brokenAt) {
    const b = check.brokenAt;
    const entry = entries?.find((e) => e.seq === b.seq && e.type === b.type);
    const label = entry ? (locale === 'en' ? entry.labelEn : entry.label) : ((locale === 'en' ? b.labelEn : b.label) ?? b.type ?? '');
    const where =
      b.type === null
        ? translate('portal.contracts.trail.broken_missing', { seq: b.seq })
        : translate('portal.contracts.trail.broken_event', { seq: b.seq, label, at: formatDateTime(b.at, locale) });
    problems.push(`${where}${locale === 'en' ? ' ' : ''}${translate(`portal.contracts.trail.reason_${b.reason}`)}`);
  }
  if (!check.documentMatches) problems.push(translate('portal.contracts.trail.document_mismatch'));
  return (
    <Box data-testid="trail-badge" data-state={ok ? 'intact' : 'tampered'} data-broken-seq={check.brokenAt?.seq ?? ''} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Chip
          icon={ok ? <VerifiedUserIcon /> : <GppBadIcon />}
          color={ok ? 'success' : 'error'}
          label={translate(ok ? 'portal.contracts.trail.intact' : 'portal.contracts.trail.tampered')}
        />
        {ok && <Typography variant="body2" color="text.secondary">{translate('portal.contracts.trail.intact_detail', { count: check.checked })}</Typography>}
      </Box>
      {problems.map((p) => (
        <Alert key={p} severity="error" data-testid="trail-problem">{p}</Alert>
      ))}
    </Box>
  );
};

/**
 * 签署轨迹 (M32): the hash-chained events with the check badge. `version` changes whenever the contract moves on
 * (refetch). The events come 200 at a time (加载更多 for the next page); the check covers all of them.
 */
export const ContractTrail = ({ contractId, version }: { contractId: Identifier; version: string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const trail = useTrailPages(contractId, version);
  const check = useTrailCheck(contractId, version);
  const en = locale === 'en';
  return (
    <Card data-testid="contract-trail">
      <CardHeader title={translate('portal.contracts.trail.title')} slotProps={{ title: { variant: 'h6' } }} />
      {(trail.loading || check.loading) && <LinearProgress />}
      <CardContent sx={{ pt: 0, display: 'flex', flexDirection: 'column', gap: 2 }}>
        {check.error && <Alert severity="warning">{translate('portal.contracts.trail.verify_failed', { message: check.error.message })}</Alert>}
        {check.data && <TrailBadge check={check.data} entries={trail.items} />}
        {trail.error && <Alert severity="error">{trail.error.message}</Alert>}
        {trail.loaded && trail.items.length === 0 && <Alert severity="info">{translate('portal.contracts.trail.empty')}</Alert>}
        {trail.items.length > 0 && (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small" data-testid="trail-list">
              <TableHead>
                <TableRow>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('portal.contracts.trail.col_seq')}</TableCell>
                  <TableCell>{translate('portal.contracts.trail.col_at')} / {translate('portal.contracts.trail.col_actor')}</TableCell>
                  <TableCell>{translate('portal.contracts.trail.col_event')} / {translate('portal.contracts.trail.col_summary')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {trail.items.map((e) => {
                  const broken = check.data?.brokenAt?.seq === e.seq;
                  return (
                    <TableRow key={e.seq} data-testid="trail-row" data-type={e.type} data-seq={e.seq} selected={broken} sx={{ verticalAlign: 'top', ...(broken ? { '& td, & td *': { color: 'error.main' } } : {}) }}>
                      <TableCell>{e.seq}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        <Typography variant="body2">{formatDateTime(e.at, locale)}</Typography>
                        <Typography variant="body2" color="text.secondary">{e.actorName || translate('portal.contracts.trail.system_actor')}</Typography>
                      </TableCell>
                      <TableCell>
                        <Typography variant="body2" sx={{ fontWeight: 500 }}>{en ? e.labelEn : e.label}</Typography>
                        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>{en ? e.summaryEn : e.summary}</Typography>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        {trail.nextAfter !== null && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            <Button variant="outlined" size="small" onClick={trail.loadMore} disabled={trail.loading} data-testid="trail-load-more">
              {translate('portal.contracts.trail.load_more')}
            </Button>
            <Typography variant="body2" color="text.secondary" data-testid="trail-shown">
              {translate('portal.contracts.trail.shown', { count: trail.items.length })}
            </Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
